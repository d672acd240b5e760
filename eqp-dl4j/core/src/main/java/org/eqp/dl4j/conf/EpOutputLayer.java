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
import org.eqp.topology.BuiltTopology;
import org.eqp.topology.Topology;
import org.eqp.topology.spec.CustomMasks;
import org.eqp.topology.spec.Layered;
import org.eqp.topology.spec.SmallWorldAdd;
import org.eqp.topology.spec.SmallWorldIntralayer;
import org.eqp.topology.spec.SmallWorldReplace;
import org.eqp.topology.spec.SymmetricTopologySpec;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossL2;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

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
 * C = ||y - s_y||^2; DL4J's {@code LossMSE} divides it by nOut (a weaker nudge). Cross-entropy ({@code LossMCXENT} or
 * {@code LossNegativeLogLikelihood}) with the softmax activation adds a softmax readout outside the energy
 * ({@link #softmaxReadout()}). Other losses apply their activation to the output states.
 *
 * <p>Per-block learning rates: {@link Builder#blockUpdaters} gives block k (layer k to k+1 in the layered
 * topology) its own updater, used for its weights and for the bias of its upper layer.
 *
 * <p>The configuration holds two values besides DL4J's own fields: the EP knobs ({@link EpSettings}, defaults
 * {@link EpSettings#DEFAULTS}) and how the units are connected ({@link SymmetricTopologySpec}, default {@link Layered}).
 */
public class EpOutputLayer extends BaseOutputLayer {
    private int[] hiddenSizes;
    private EpSettings settings = EpSettings.DEFAULTS;
    private SymmetricTopologySpec topologySpec = new Layered();
    private double skipInitScale;
    private IUpdater[] blockUpdaters;
    /** The built topology (deterministic from the spec and the sizes; rebuilt after deserialization). */
    private transient BuiltTopology builtCache;

    /** For JSON; use the {@link Builder}. */
    public EpOutputLayer() {
    }

    protected EpOutputLayer(Builder builder) {
        super(builder);
        this.hiddenSizes = builder.hiddenSizes;
        this.settings = new EpSettings(builder.eps, builder.beta, builder.freeIterations, builder.nudgedIterations,
                builder.randomSignBeta, builder.persistentParticles, builder.tolerance);
        this.topologySpec = builder.topologySeed == null ? builder.topologySpec
                : builder.topologySpec.withSeed(builder.topologySeed);
        this.skipInitScale = builder.skipInitScale;
        this.blockUpdaters = builder.blockUpdaters;
        if (!(skipInitScale >= 0) || Double.isInfinite(skipInitScale)) {
            throw new IllegalArgumentException("skipInitScale must be finite and >= 0 (0 = the topology's rule); got "
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
        if (softmaxReadout() && topologySpec instanceof CustomMasks) {
            throw new IllegalArgumentException("a softmax readout (cross-entropy with softmax) reads the last hidden "
                    + "layer, so the relaxing network has no output layer of nOut units, but a given topology "
                    + "(connections(...)) includes one: give the topology without the output layer, or use LossL2");
        }
        if (!hasBias) {
            throw new IllegalArgumentException("EpOutputLayer always has biases (they are part of the Hopfield energy); "
                    + "remove hasBias(false)");
        }
        if (blockUpdaters != null && blockUpdaters.length != hiddenSizes.length + 1) {
            throw new IllegalArgumentException("blockUpdaters needs one updater per weight block (" + (hiddenSizes.length + 1)
                    + " for " + hiddenSizes.length + " hidden layers); got " + blockUpdaters.length);
        }
        if (builder.getAllParamConstraints() != null || builder.getWeightConstraints() != null
                || builder.getBiasConstraints() != null) {
            if (nIn < 1 || nOut < 1) {
                throw new IllegalArgumentException("constraints on an EpOutputLayer's builder need its nIn and nOut (the "
                        + "parameter keys depend on the topology): set them, or constrain on the network's builder");
            }
            initializeConstraints(builder);
        }
    }

    /**
     * The EP network's layer sizes, the relaxing network's: nIn, the hidden sizes, then nOut, except with a softmax
     * readout ({@link #softmaxReadout()}), whose nOut classes are read out of the last hidden layer and do not relax.
     */
    public int[] layerSizes() {
        if (nIn < 1 || nOut < 1) {
            throw new IllegalStateException("EpOutputLayer needs nIn and nOut (set them, or give the network an InputType); "
                    + "got nIn=" + nIn + ", nOut=" + nOut);
        }
        boolean readout = softmaxReadout();
        int[] sizes = new int[hiddenSizes.length + (readout ? 1 : 2)];
        sizes[0] = Math.toIntExact(nIn);
        System.arraycopy(hiddenSizes, 0, sizes, 1, hiddenSizes.length);
        if (!readout) {
            sizes[sizes.length - 1] = Math.toIntExact(nOut);
        }
        return sizes;
    }

    /**
     * The EP network's topology over this layer's input, the hidden layers and the outputs, with what building it did
     * (connections drawn, achieved p), built from the {@link SymmetricTopologySpec} (the same configuration always gives the
     * same connections).
     */
    public BuiltTopology builtTopology() {
        int[] sizes = layerSizes();
        if (builtCache == null || !Arrays.equals(builtCache.topology().layerSizes(), sizes)) {
            builtCache = topologySpec.build(sizes);
        }
        return builtCache;
    }

    /** The EP network's topology ({@link #builtTopology()}). */
    public Topology topology() {
        return builtTopology().topology();
    }

    /**
     * The initial scale a of layer-skipping and intralayer weights, U[-a, a]: {@code skipInitScale} if set, else the
     * topology kind's default ({@link SymmetricTopologySpec#defaultSkipInitScale}).
     */
    public double effectiveSkipInitScale() {
        return skipInitScale > 0 ? skipInitScale : topologySpec.defaultSkipInitScale(topology());
    }

    /**
     * Whether the prediction is a softmax readout of the last hidden layer (Laborieux et al. 2021): true for a
     * cross-entropy loss ({@code LossMCXENT}, {@code LossNegativeLogLikelihood}) with the softmax activation. The
     * relaxing network is then nIn and the hidden layers (its "output units" are the last hidden layer, s_N), and the
     * layer predicts {@code softmax(s_N R + c)} with readout weights R [size(N), nOut] and bias c [1, nOut] that are
     * not part of the energy ({@link org.eqp.dynamics.SoftmaxReadout}; parameters
     * {@link EpParamInitializer#READOUT_WEIGHTS} and {@link EpParamInitializer#READOUT_BIAS}). Without the readout,
     * nOut bounded output units in the energy would be the readout's only input: cross-entropy drives them to 0/1,
     * where the hard sigmoid passes no gradient (measured on iris: 98 % of them saturated, training stuck at 30 %
     * error).
     */
    public boolean softmaxReadout() {
        return getLossFn() instanceof LossMCXENT && getActivationFn() instanceof ActivationSoftmax;
    }

    /** The EP knobs. */
    public EpSettings settings() {
        return settings;
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
     * The random-sign state ({@link EpParamInitializer#SIGN_DRAWS}) gets DL4J's NoOp updater, as BatchNormalization's
     * running statistics do: its gradient is zero, and NoOp keeps it out of the updater's state. With per-block
     * updaters: the updater of adjacent layer pair l-(l+1) serves that block's weights and the bias of layer l+1;
     * layer-skipping and intralayer blocks use the layer's updater; the softmax readout uses the last block's.
     */
    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        if (EpParamInitializer.SIGN_DRAWS.equals(paramName)) {
            return new NoOp();
        }
        if (blockUpdaters != null) {
            if (EpParamInitializer.isReadoutParam(paramName)) {
                return blockUpdaters[blockUpdaters.length - 1];
            }
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
        this.builtCache = null;
    }

    public EpSettings getSettings() {
        return settings;
    }

    public void setSettings(EpSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public SymmetricTopologySpec getTopologySpec() {
        return topologySpec;
    }

    public void setTopologySpec(SymmetricTopologySpec topologySpec) {
        this.topologySpec = Objects.requireNonNull(topologySpec, "topologySpec");
        this.builtCache = null;
    }

    public double getSkipInitScale() {
        return skipInitScale;
    }

    public void setSkipInitScale(double skipInitScale) {
        this.skipInitScale = skipInitScale;
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
        return Arrays.equals(hiddenSizes, other.hiddenSizes) && settings.equals(other.settings)
                && topologySpec.equals(other.topologySpec) && skipInitScale == other.skipInitScale
                && Arrays.equals(blockUpdaters, other.blockUpdaters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), Arrays.hashCode(hiddenSizes), settings, topologySpec, skipInitScale,
                Arrays.hashCode(blockUpdaters));
    }

    /**
     * Builds an {@link EpOutputLayer}. Defaults: {@link EpSettings#DEFAULTS} (eps 0.5, beta 1 with random sign,
     * 20 free / 4 nudged iterations, free phases from zero states), the layered topology, loss {@link LossL2},
     * identity activation, Xavier-uniform weights, zero biases.
     */
    public static class Builder extends BaseOutputLayer.Builder<Builder> {
        private int[] hiddenSizes;
        private double eps = EpSettings.DEFAULTS.eps();
        private double beta = EpSettings.DEFAULTS.beta();
        private int freeIterations = EpSettings.DEFAULTS.freeIterations();
        private int nudgedIterations = EpSettings.DEFAULTS.nudgedIterations();
        private boolean randomSignBeta = EpSettings.DEFAULTS.randomSignBeta();
        private boolean persistentParticles = EpSettings.DEFAULTS.persistentParticles();
        private double tolerance = EpSettings.DEFAULTS.tolerance();
        private SymmetricTopologySpec topologySpec = new Layered();
        private Long topologySeed;
        private double skipInitScale;
        private IUpdater[] blockUpdaters;

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

        /** All EP knobs at once (e.g. {@link EpSettings#DEFAULTS} with one changed). */
        public Builder settings(EpSettings settings) {
            eps = settings.eps();
            beta = settings.beta();
            freeIterations = settings.freeIterations();
            nudgedIterations = settings.nudgedIterations();
            randomSignBeta = settings.randomSignBeta();
            persistentParticles = settings.persistentParticles();
            tolerance = settings.tolerance();
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

        /** How the units are connected (default {@link Layered}). */
        public Builder topology(SymmetricTopologySpec spec) {
            this.topologySpec = Objects.requireNonNull(spec, "topology spec");
            return this;
        }

        /** The journal's small-world network with probability p: {@code topology(new SmallWorldReplace(p, seed))}. */
        public Builder smallWorld(double p) {
            return topology(new SmallWorldReplace(p, 0));
        }

        /** The layered network plus skip connections with probability p: {@link SmallWorldAdd}. */
        public Builder smallWorldAdd(double p) {
            return topology(new SmallWorldAdd(p, 0));
        }

        /** The preprint's topology with n replacements: {@link SmallWorldIntralayer}. */
        public Builder smallWorldIntralayer(long replacements) {
            return topology(new SmallWorldIntralayer(replacements, 0));
        }

        /**
         * A user-given topology (e.g. from {@link Topology#of}): its blocks and masks are stored in the configuration
         * ({@link CustomMasks}); its layer sizes set nIn, the hidden sizes and nOut.
         */
        public Builder connections(Topology topology) {
            int[] sizes = topology.layerSizes();
            nIn(sizes[0]);
            nOut(sizes[sizes.length - 1]);
            this.hiddenSizes = Arrays.copyOfRange(sizes, 1, sizes.length - 1);
            return topology(CustomMasks.of(topology));
        }

        /** Seed of a generated topology, whichever kind is set before or after (default: the kind's own, 0). */
        public Builder topologySeed(long seed) {
            this.topologySeed = seed;
            return this;
        }

        /** Initial scale a of skip weights, U[-a, a]; 0 (default) = the topology kind's rule. */
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
