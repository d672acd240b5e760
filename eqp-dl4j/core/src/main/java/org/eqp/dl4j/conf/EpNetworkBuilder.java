package org.eqp.dl4j.conf;

import java.util.Arrays;
import java.util.Objects;
import org.eqp.learning.EpSettings;
import org.eqp.learning.ParticleStore;
import org.eqp.topology.Topology;
import org.eqp.topology.spec.CustomMasks;
import org.eqp.topology.spec.Layered;
import org.eqp.topology.spec.SmallWorldAdd;
import org.eqp.topology.spec.SmallWorldIntralayer;
import org.eqp.topology.spec.SmallWorldReplace;
import org.eqp.topology.spec.SymmetricTopologySpec;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The EP part of the EP layers' builders ({@link EpOutputLayer.Builder}, {@link EpLayer.Builder}): every method sets
 * one thing of the {@link EpNetworkConf} the layer will hold. Defaults: {@link EpSettings#DEFAULTS}, {@link Layered}.
 *
 * @param <B> the layer builder
 */
public interface EpNetworkBuilder<B extends EpNetworkBuilder<B>> {

    /** The draft the methods below fill in. */
    Draft draft();

    B nIn(long nIn);

    B nOut(long nOut);

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Hidden layer sizes, bottom (next to the input) first. */
    default B hidden(int... sizes) {
        draft().hiddenSizes = sizes == null ? null : sizes.clone();
        return self();
    }

    /** All EP knobs at once (e.g. {@link EpSettings#DEFAULTS} with one changed). */
    default B settings(EpSettings settings) {
        Draft d = draft();
        d.eps = settings.eps();
        d.beta = settings.beta();
        d.freeIterations = settings.freeIterations();
        d.nudgedIterations = settings.nudgedIterations();
        d.randomSignBeta = settings.randomSignBeta();
        d.persistentParticles = settings.persistentParticles();
        d.tolerance = settings.tolerance();
        d.symmetricNudging = settings.symmetricNudging();
        d.alternatingUpdates = settings.alternatingUpdates();
        return self();
    }

    /** Euler step size of the relaxation (&gt; 0). */
    default B eps(double eps) {
        draft().eps = eps;
        return self();
    }

    /**
     * Nudge strength (non-zero); default {@link EpSettings#DEFAULTS}' 1, or {@link EpSettings#READOUT_BETA} with a
     * softmax readout.
     */
    default B beta(double beta) {
        draft().beta = beta;
        return self();
    }

    default B freeIterations(int n) {
        draft().freeIterations = n;
        return self();
    }

    default B nudgedIterations(int n) {
        draft().nudgedIterations = n;
        return self();
    }

    /** Negate beta with probability 1/2 before each nudged phase (default true). */
    default B randomSignBeta(boolean on) {
        draft().randomSignBeta = on;
        return self();
    }

    /** Start each training example's free phase from its last free equilibrium (default false). */
    default B persistentParticles(boolean on) {
        draft().persistentParticles = on;
        return self();
    }

    /**
     * The most training examples whose persistent particles the layer keeps, least recently used evicted first
     * (default {@link ParticleStore#DEFAULT_CAPACITY}; memory: 4 bytes per non-input unit per example).
     */
    default B particleCapacity(int examples) {
        draft().particleCapacity = examples;
        return self();
    }

    /** Stop a phase early once no unit moves more than this per step; 0 (default) keeps fixed counts. */
    default B tolerance(double tolerance) {
        draft().tolerance = tolerance;
        return self();
    }

    /**
     * Two nudged phases per step, at -beta and +beta, and the symmetric estimate (default false: one nudged phase, as
     * the seed); {@link EpSettings#symmetricNudging()}.
     */
    default B symmetricNudging(boolean on) {
        draft().symmetricNudging = on;
        return self();
    }

    /**
     * Relaxation steps that update the odd layers, then the even ones (default false: the seed's synchronous steps);
     * {@link EpSettings#alternatingUpdates()}.
     */
    default B alternatingUpdates(boolean on) {
        draft().alternatingUpdates = on;
        return self();
    }

    /** How the units are connected (default {@link Layered}). */
    default B topology(SymmetricTopologySpec spec) {
        draft().topologySpec = Objects.requireNonNull(spec, "topology spec");
        return self();
    }

    /** The journal's small-world network with probability p: {@code topology(new SmallWorldReplace(p, seed))}. */
    default B smallWorld(double p) {
        return topology(new SmallWorldReplace(p, 0));
    }

    /** The layered network plus skip connections with probability p: {@link SmallWorldAdd}. */
    default B smallWorldAdd(double p) {
        return topology(new SmallWorldAdd(p, 0));
    }

    /** The preprint's topology with n replacements: {@link SmallWorldIntralayer}. */
    default B smallWorldIntralayer(long replacements) {
        return topology(new SmallWorldIntralayer(replacements, 0));
    }

    /**
     * A user-given topology (e.g. from {@link Topology#of}): its blocks and masks are stored in the configuration
     * ({@link CustomMasks}); its layer sizes set nIn, the hidden sizes and nOut.
     */
    default B connections(Topology topology) {
        int[] sizes = topology.layerSizes();
        nIn(sizes[0]);
        nOut(sizes[sizes.length - 1]);
        draft().hiddenSizes = Arrays.copyOfRange(sizes, 1, sizes.length - 1);
        return topology(CustomMasks.of(topology));
    }

    /** Seed of a generated topology, whichever kind is set before or after (default: the kind's own, 0). */
    default B topologySeed(long seed) {
        draft().topologySeed = seed;
        return self();
    }

    /** Initial scale a of skip weights, U[-a, a]; 0 (default) = the topology kind's rule. */
    default B skipInitScale(double a) {
        draft().skipInitScale = a;
        return self();
    }

    /**
     * One updater per adjacent weight block (hidden layers + 1), e.g. {@code new Sgd(0.1), new Sgd(0.05)}; block k's
     * serves its weights and the biases of layer k + 1. Layer-skipping and intralayer blocks take {@link #skipUpdater}.
     */
    default B blockUpdaters(IUpdater... updaters) {
        draft().blockUpdaters = updaters == null ? null : updaters.clone();
        return self();
    }

    /**
     * The updater of the layer-skipping and intralayer weight blocks (default: the layer's). Required next to
     * {@link #blockUpdaters} when the topology has such blocks.
     */
    default B skipUpdater(IUpdater updater) {
        draft().skipUpdater = updater;
        return self();
    }

    /** What the builder methods set, turned into the validated {@link EpNetworkConf} by {@link #build()}. */
    final class Draft {
        private int[] hiddenSizes;
        private double eps = EpSettings.DEFAULTS.eps();
        /** null: the default for the layer's loss ({@link #build(boolean)}). */
        private Double beta;
        private int freeIterations = EpSettings.DEFAULTS.freeIterations();
        private int nudgedIterations = EpSettings.DEFAULTS.nudgedIterations();
        private boolean randomSignBeta = EpSettings.DEFAULTS.randomSignBeta();
        private boolean persistentParticles = EpSettings.DEFAULTS.persistentParticles();
        private int particleCapacity = ParticleStore.DEFAULT_CAPACITY;
        private double tolerance = EpSettings.DEFAULTS.tolerance();
        private boolean symmetricNudging = EpSettings.DEFAULTS.symmetricNudging();
        private boolean alternatingUpdates = EpSettings.DEFAULTS.alternatingUpdates();
        private SymmetricTopologySpec topologySpec = new Layered();
        private Long topologySeed;
        private double skipInitScale;
        private IUpdater[] blockUpdaters;
        private IUpdater skipUpdater;

        /**
         * @param softmaxReadout whether the layer predicts through a softmax readout (it sets beta's default)
         * @throws IllegalArgumentException naming the first invalid knob
         */
        public EpNetworkConf build(boolean softmaxReadout) {
            double b = beta != null ? beta : softmaxReadout ? EpSettings.READOUT_BETA : EpSettings.DEFAULTS.beta();
            EpSettings settings = new EpSettings(eps, b, freeIterations, nudgedIterations, randomSignBeta,
                    persistentParticles, tolerance, symmetricNudging, alternatingUpdates);
            SymmetricTopologySpec spec = topologySeed == null ? topologySpec : topologySpec.withSeed(topologySeed);
            return new EpNetworkConf(hiddenSizes, settings, spec, skipInitScale, blockUpdaters, skipUpdater,
                    particleCapacity);
        }
    }
}
