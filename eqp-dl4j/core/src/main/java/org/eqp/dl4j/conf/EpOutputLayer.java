package org.eqp.dl4j.conf;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.eqp.dl4j.layers.EpOutputLayerImpl;
import org.eqp.learning.EpSettings;
import org.eqp.topology.SmallWorld;
import org.eqp.topology.Topology;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.impl.LossL2;

/**
 * An equilibrium-propagation network as one DL4J output layer: the input of this layer is clamped as the EP
 * net's input units, {@code hiddenSizes} layers of hidden units and {@code nOut} output units relax to an energy
 * minimum, and learning follows the EP rule instead of backprop (Scellier and Bengio 2017).
 *
 * <p>In a {@code MultiLayerNetwork}: {@code output} runs the free phase from zero states and returns the output
 * units (through {@code activation}, identity by default); {@code fit} runs the free phase (from persistent
 * particles), the nudged phase, and hands EP's gradient estimate to the standard DL4J updater (so {@code Sgd(a)}
 * reproduces the papers' {@code W += a * dW}); the score is the loss at the free equilibrium.
 *
 * <p>The loss sets the nudge {@code -beta * dC/ds_y}. The default {@link LossL2} is the papers' cost
 * C = ||y - s_y||^2; DL4J's {@code LossMSE} divides it by nOut (a weaker nudge). Cross-entropy losses work with
 * their usual activation (e.g. softmax + MCXENT), applied to the output states.
 *
 * <p>Per-block learning rates: {@link Builder#blockUpdaters} gives block k (layer k to k+1 in the layered
 * topology) its own updater, used for its weights and for the bias of its upper layer.
 */
public class EpOutputLayer extends BaseOutputLayer {
    private int[] hiddenSizes;
    private double eps = 0.5;
    private double beta = 1.0;
    private int freeIterations = 20;
    private int nudgedIterations = 4;
    private boolean randomSignBeta = true;
    private boolean persistentParticles = false;
    private double tolerance = 0.0;
    private IUpdater[] blockUpdaters;
    private Connectivity connectivity = Connectivity.LAYERED;
    private double skipProbability;
    private long topologySeed;
    private double skipInitScale;
    private long skipReplacements;
    private java.util.List<EpBlockConf> customBlocks;
    /** The generated topology (deterministic from the fields above; rebuilt after deserialization). */
    private transient Topology topologyCache;

    /** How the units are connected (Gammell et al. 2021). */
    public enum Connectivity {
        /** Dense blocks between adjacent layers only. */
        LAYERED,
        /** Each adjacent connection moved, with probability {@code skipProbability}, to a layer-skipping pair. */
        SMALL_WORLD,
        /** Adjacent connections kept; with probability {@code skipProbability} each adds a layer-skipping pair. */
        SMALL_WORLD_ADD,
        /**
         * The preprint's topology (Gammell et al. 2020, Algorithm 1): hidden layers connected within themselves, then
         * {@code skipReplacements} connections moved to layer-skipping pairs ({@link SmallWorld#intralayerReplace}).
         */
        SMALL_WORLD_INTRALAYER,
        /** A user-given set of blocks and masks ({@link Builder#connections}). */
        CUSTOM
    }

    /** The preprint's initial scale of intralayer and layer-skipping weights, U[-0.05, 0.05] (Gammell et al. 2020, §4.3). */
    public static final double PREPRINT_SKIP_INIT_SCALE = 0.05;

    /** For JSON; use the {@link Builder}. */
    public EpOutputLayer() {
    }

    protected EpOutputLayer(Builder builder) {
        super(builder);
        this.hiddenSizes = builder.hiddenSizes;
        this.eps = builder.eps;
        this.beta = builder.beta;
        this.freeIterations = builder.freeIterations;
        this.nudgedIterations = builder.nudgedIterations;
        this.randomSignBeta = builder.randomSignBeta;
        this.persistentParticles = builder.persistentParticles;
        this.tolerance = builder.tolerance;
        this.blockUpdaters = builder.blockUpdaters;
        this.connectivity = builder.connectivity;
        this.skipProbability = builder.skipProbability;
        this.topologySeed = builder.topologySeed;
        this.skipInitScale = builder.skipInitScale;
        this.skipReplacements = builder.skipReplacements;
        this.customBlocks = builder.customBlocks;
        settings();
        if (skipReplacements < 0) {
            throw new IllegalArgumentException("the number of replaced connections must be >= 0; got " + skipReplacements);
        }
        if (connectivity == Connectivity.CUSTOM && (customBlocks == null || customBlocks.isEmpty())) {
            throw new IllegalArgumentException("CUSTOM connectivity needs the blocks: call connections(topology)");
        }
        if (!(skipProbability >= 0 && skipProbability <= 1)) {
            throw new IllegalArgumentException("the small-world probability p must lie in [0, 1]; got " + skipProbability);
        }
        if (!(skipInitScale >= 0) || Double.isInfinite(skipInitScale)) {
            throw new IllegalArgumentException("skipInitScale must be finite and >= 0 (0 = the paper's rule); got "
                    + skipInitScale);
        }
        if (hiddenSizes == null || hiddenSizes.length == 0) {
            throw new IllegalArgumentException("EpOutputLayer needs at least one hidden layer: call hidden(500) or "
                    + "hidden(500, 500, ...)");
        }
        for (int h : hiddenSizes) {
            if (h < 1) {
                throw new IllegalArgumentException("Hidden layer sizes must be at least 1; got " + Arrays.toString(hiddenSizes));
            }
        }
        if (!hasBias) {
            throw new IllegalArgumentException("EpOutputLayer always has biases (they are part of the Hopfield energy); "
                    + "remove hasBias(false)");
        }
        if (blockUpdaters != null && blockUpdaters.length != hiddenSizes.length + 1) {
            throw new IllegalArgumentException("blockUpdaters needs one updater per weight block (" + (hiddenSizes.length + 1)
                    + " for " + hiddenSizes.length + " hidden layers); got " + blockUpdaters.length);
        }
    }

    /**
     * The EP network's topology over this layer's input, the hidden layers and the outputs: layered, or small-world
     * generated from {@code topologySeed} (the same configuration always gives the same connections).
     */
    public Topology topology() {
        if (nIn < 1 || nOut < 1) {
            throw new IllegalStateException("EpOutputLayer needs nIn and nOut (set them, or give the network an InputType); "
                    + "got nIn=" + nIn + ", nOut=" + nOut);
        }
        int[] sizes = new int[hiddenSizes.length + 2];
        sizes[0] = Math.toIntExact(nIn);
        System.arraycopy(hiddenSizes, 0, sizes, 1, hiddenSizes.length);
        sizes[sizes.length - 1] = Math.toIntExact(nOut);
        if (topologyCache == null || !java.util.Arrays.equals(topologyCache.layerSizes(), sizes)) {
            topologyCache = switch (connectivity) {
                case LAYERED -> Topology.layered(sizes);
                case SMALL_WORLD -> SmallWorld.replace(sizes, skipProbability, topologySeed).topology();
                case SMALL_WORLD_ADD -> SmallWorld.add(sizes, skipProbability, topologySeed).topology();
                case SMALL_WORLD_INTRALAYER -> SmallWorld.intralayerReplace(sizes, skipReplacements, topologySeed)
                        .topology();
                case CUSTOM -> Topology.of(sizes, customBlocks.stream().map(b -> b.toBlock(sizes)).toList());
            };
        }
        return topologyCache;
    }

    /**
     * The initial scale a of layer-skipping and intralayer weights, U[-a, a]: {@code skipInitScale} if set, else the
     * preprint's 0.05 for its topology, else the journal's rule ({@link Topology#defaultSkipInitScale()}).
     */
    public double effectiveSkipInitScale() {
        if (skipInitScale > 0) {
            return skipInitScale;
        }
        return connectivity == Connectivity.SMALL_WORLD_INTRALAYER ? PREPRINT_SKIP_INIT_SCALE
                : topology().defaultSkipInitScale();
    }

    /** The EP knobs as a validated value. */
    public EpSettings settings() {
        return new EpSettings(eps, beta, freeIterations, nudgedIterations, randomSignBeta, persistentParticles, tolerance);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        LayerValidation.assertNInNOutSet("EpOutputLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        if (getIDropout() != null || getWeightNoise() != null) {
            throw new IllegalArgumentException("EpOutputLayer does not support dropout or weight noise; remove them from layer "
                    + layerIndex);
        }
        EpOutputLayerImpl layer = new EpOutputLayerImpl(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(paramTable);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return EpParamInitializer.getInstance();
    }

    /**
     * With per-block updaters: the updater of adjacent layer pair l-(l+1) serves that block's weights and the bias of
     * layer l+1; layer-skipping and intralayer blocks use the layer's updater.
     */
    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        if (blockUpdaters != null) {
            int index = Integer.parseInt(paramName.substring(1));
            if (!EpParamInitializer.getInstance().isWeightParam(this, paramName)) {
                return blockUpdaters[index - 1];
            }
            org.eqp.topology.Block block = topology().blocks().get(index);
            if (block.adjacent()) {
                return blockUpdaters[block.from()];
            }
        }
        return super.getUpdaterByParam(paramName);
    }

    public int[] getHiddenSizes() {
        return hiddenSizes == null ? null : hiddenSizes.clone();
    }

    public void setHiddenSizes(int[] hiddenSizes) {
        this.hiddenSizes = hiddenSizes == null ? null : hiddenSizes.clone();
    }

    public double getEps() {
        return eps;
    }

    public void setEps(double eps) {
        this.eps = eps;
    }

    public double getBeta() {
        return beta;
    }

    public void setBeta(double beta) {
        this.beta = beta;
    }

    public int getFreeIterations() {
        return freeIterations;
    }

    public void setFreeIterations(int freeIterations) {
        this.freeIterations = freeIterations;
    }

    public int getNudgedIterations() {
        return nudgedIterations;
    }

    public void setNudgedIterations(int nudgedIterations) {
        this.nudgedIterations = nudgedIterations;
    }

    public boolean isRandomSignBeta() {
        return randomSignBeta;
    }

    public void setRandomSignBeta(boolean randomSignBeta) {
        this.randomSignBeta = randomSignBeta;
    }

    public boolean isPersistentParticles() {
        return persistentParticles;
    }

    public void setPersistentParticles(boolean persistentParticles) {
        this.persistentParticles = persistentParticles;
    }

    public double getTolerance() {
        return tolerance;
    }

    public void setTolerance(double tolerance) {
        this.tolerance = tolerance;
    }

    public Connectivity getConnectivity() {
        return connectivity;
    }

    public void setConnectivity(Connectivity connectivity) {
        this.connectivity = connectivity;
        this.topologyCache = null;
    }

    public double getSkipProbability() {
        return skipProbability;
    }

    public void setSkipProbability(double skipProbability) {
        this.skipProbability = skipProbability;
        this.topologyCache = null;
    }

    public long getTopologySeed() {
        return topologySeed;
    }

    public void setTopologySeed(long topologySeed) {
        this.topologySeed = topologySeed;
        this.topologyCache = null;
    }

    public double getSkipInitScale() {
        return skipInitScale;
    }

    public void setSkipInitScale(double skipInitScale) {
        this.skipInitScale = skipInitScale;
    }

    public long getSkipReplacements() {
        return skipReplacements;
    }

    public void setSkipReplacements(long skipReplacements) {
        this.skipReplacements = skipReplacements;
        this.topologyCache = null;
    }

    public java.util.List<EpBlockConf> getCustomBlocks() {
        return customBlocks;
    }

    public void setCustomBlocks(java.util.List<EpBlockConf> customBlocks) {
        this.customBlocks = customBlocks == null ? null : java.util.List.copyOf(customBlocks);
        this.topologyCache = null;
    }

    public IUpdater[] getBlockUpdaters() {
        return blockUpdaters == null ? null : blockUpdaters.clone();
    }

    public void setBlockUpdaters(IUpdater[] blockUpdaters) {
        this.blockUpdaters = blockUpdaters == null ? null : blockUpdaters.clone();
    }

    @Override
    public EpOutputLayer clone() {
        EpOutputLayer copy = (EpOutputLayer) super.clone();
        copy.hiddenSizes = getHiddenSizes();
        copy.blockUpdaters = blockUpdaters == null ? null
                : Arrays.stream(blockUpdaters).map(IUpdater::clone).toArray(IUpdater[]::new);
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof EpOutputLayer other) || !super.equals(o)) {
            return false;
        }
        return Arrays.equals(hiddenSizes, other.hiddenSizes) && eps == other.eps && beta == other.beta
                && freeIterations == other.freeIterations && nudgedIterations == other.nudgedIterations
                && randomSignBeta == other.randomSignBeta && persistentParticles == other.persistentParticles
                && tolerance == other.tolerance && Arrays.equals(blockUpdaters, other.blockUpdaters)
                && connectivity == other.connectivity && skipProbability == other.skipProbability
                && topologySeed == other.topologySeed && skipInitScale == other.skipInitScale
                && skipReplacements == other.skipReplacements && Objects.equals(customBlocks, other.customBlocks);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), Arrays.hashCode(hiddenSizes), eps, beta, freeIterations, nudgedIterations,
                randomSignBeta, persistentParticles, tolerance, Arrays.hashCode(blockUpdaters), connectivity,
                skipProbability, topologySeed, skipInitScale, skipReplacements, customBlocks);
    }

    /**
     * Builds an {@link EpOutputLayer}. Defaults: the quickstart settings (eps 0.5, beta 1 with random sign,
     * 20 free / 4 nudged iterations, free phases from zero states), loss {@link LossL2}, identity activation,
     * Xavier-uniform weights, zero biases.
     *
     * <p>Persistent particles (the seed code's default) are off by default: on MNIST 784-500-10 at 20/4 iterations,
     * 20 steps from zero already reach the equilibrium, and with particles training fits equilibria that the
     * zero-start relaxation of {@code output()} does not reach (25 epochs: 4.09 % test error against 2.77 % without;
     * README, "Measured"). Turn them on for deep nets whose relaxation from zero would need many more steps.
     */
    public static class Builder extends BaseOutputLayer.Builder<Builder> {
        private int[] hiddenSizes;
        private double eps = 0.5;
        private double beta = 1.0;
        private int freeIterations = 20;
        private int nudgedIterations = 4;
        private boolean randomSignBeta = true;
        private boolean persistentParticles = false;
        private double tolerance = 0.0;
        private IUpdater[] blockUpdaters;
        private Connectivity connectivity = Connectivity.LAYERED;
        private double skipProbability;
        private long topologySeed;
        private double skipInitScale;
        private long skipReplacements;
        private java.util.List<EpBlockConf> customBlocks;

        public Builder() {
            lossFunction(new LossL2());
            activation(new ActivationIdentity());
            weightInit(org.deeplearning4j.nn.weights.WeightInit.XAVIER_UNIFORM);
        }

        /** Hidden layer sizes, bottom (next to the input) first. */
        public Builder hidden(int... sizes) {
            this.hiddenSizes = sizes == null ? null : sizes.clone();
            return this;
        }

        /** Euler step size of the relaxation (&gt; 0). */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        /** Nudge strength (non-zero). */
        public Builder beta(double beta) {
            this.beta = beta;
            return this;
        }

        public Builder freeIterations(int n) {
            this.freeIterations = n;
            return this;
        }

        public Builder nudgedIterations(int n) {
            this.nudgedIterations = n;
            return this;
        }

        /** Negate beta with probability 1/2 before each nudged phase (default true). */
        public Builder randomSignBeta(boolean on) {
            this.randomSignBeta = on;
            return this;
        }

        /** Start each training example's free phase from its last free equilibrium (default false). */
        public Builder persistentParticles(boolean on) {
            this.persistentParticles = on;
            return this;
        }

        /** Stop a phase early once no unit moves more than this per step; 0 (default) keeps fixed counts. */
        public Builder tolerance(double tolerance) {
            this.tolerance = tolerance;
            return this;
        }

        /**
         * Small-world network (Gammell et al. 2021): each adjacent-layer connection is moved, with probability p, to a
         * random pair of units at least two layers apart ({@link SmallWorld#replace}).
         */
        public Builder smallWorld(double p) {
            this.connectivity = Connectivity.SMALL_WORLD;
            this.skipProbability = p;
            return this;
        }

        /** Layered network plus, with probability p per adjacent connection, one layer-skipping connection. */
        public Builder smallWorldAdd(double p) {
            this.connectivity = Connectivity.SMALL_WORLD_ADD;
            this.skipProbability = p;
            return this;
        }

        /**
         * The earlier preprint's topology (Gammell et al. 2020, Algorithm 1): every pair of units within each hidden
         * layer connected, then {@code replacements} existing connections moved to random layer-skipping pairs
         * ({@link SmallWorld#intralayerReplace}, which reports the equivalent p). Intralayer and skip weights start
         * U[-0.05, 0.05] unless {@link #skipInitScale} says otherwise.
         */
        public Builder smallWorldIntralayer(long replacements) {
            this.connectivity = Connectivity.SMALL_WORLD_INTRALAYER;
            this.skipReplacements = replacements;
            return this;
        }

        /**
         * A user-given topology (e.g. from {@link org.eqp.topology.Topology#of}): its blocks and masks are stored in the
         * configuration; its layer sizes set nIn, the hidden sizes and nOut.
         */
        public Builder connections(Topology topology) {
            this.connectivity = Connectivity.CUSTOM;
            this.customBlocks = topology.blocks().stream().map(EpBlockConf::of).toList();
            int[] sizes = topology.layerSizes();
            nIn(sizes[0]);
            nOut(sizes[sizes.length - 1]);
            this.hiddenSizes = java.util.Arrays.copyOfRange(sizes, 1, sizes.length - 1);
            return this;
        }

        /** Seed of the small-world connections (default 0). */
        public Builder topologySeed(long seed) {
            this.topologySeed = seed;
            return this;
        }

        /** Initial scale a of skip weights, U[-a, a]; 0 (default) = the paper's rule, see Topology. */
        public Builder skipInitScale(double a) {
            this.skipInitScale = a;
            return this;
        }

        /** One updater per adjacent weight block (hidden layers + 1), e.g. {@code new Sgd(0.1), new Sgd(0.05)}. */
        public Builder blockUpdaters(IUpdater... updaters) {
            this.blockUpdaters = updaters == null ? null : updaters.clone();
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public EpOutputLayer build() {
            return new EpOutputLayer(this);
        }
    }
}
