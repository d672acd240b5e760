package org.eqp.dl4j.conf;

import java.util.Collection;
import java.util.Objects;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.eqp.dl4j.layers.EpOutputLayerImpl;
import org.eqp.learning.EpSettings;
import org.eqp.topology.spec.CustomMasks;
import org.eqp.topology.spec.SymmetricTopologySpec;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.impl.LossL2;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * An equilibrium-propagation network as one DL4J output layer: the input of this layer is clamped as the EP
 * net's input units, the hidden layers and {@code nOut} output units relax to an energy minimum, and learning follows
 * the EP rule instead of backprop (Scellier and Bengio 2017).
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
 * <p>Per-block learning rates: {@link Builder#blockUpdaters} gives block k (layer k to k+1) its own updater, used for
 * its weights and for the bias of its upper layer; the layer-skipping and intralayer blocks of a small-world topology
 * take {@link Builder#skipUpdater}, which such a topology requires next to per-block updaters (none of them is left
 * to fall back on the layer's updater unnoticed).
 *
 * <p>The EP network itself (hidden sizes, {@link EpSettings}, the {@link SymmetricTopologySpec}, skip-weight scale,
 * per-block updaters) is one {@link EpNetworkConf}, shared with the EP block {@link EpLayer}.
 */
public class EpOutputLayer extends BaseOutputLayer implements EpLayerConf {
    private EpNetworkConf network = new EpNetworkConf();

    /** For JSON; use the {@link Builder}. */
    public EpOutputLayer() {
    }

    protected EpOutputLayer(Builder builder) {
        super(builder);
        this.network = builder.draft.build(softmaxReadout());
        if (softmaxReadout() && network.getTopologySpec() instanceof CustomMasks) {
            throw new IllegalArgumentException("a softmax readout (cross-entropy with softmax) reads the last hidden "
                    + "layer, so the relaxing network has no output layer of nOut units, but a given topology "
                    + "(connections(...)) includes one: give the topology without the output layer, or use LossL2");
        }
        if (!hasBias) {
            throw new IllegalArgumentException("EpOutputLayer always has biases (they are part of the Hopfield energy); "
                    + "remove hasBias(false)");
        }
        EpParamInitializer.initializeBuilderConstraints(this, builder, () -> initializeConstraints(builder));
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        LayerValidation.assertNInNOutSet("EpOutputLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        EpParamInitializer.rejectNoise(this, layerIndex);
        network.requireSkipUpdater(getNIn(), getNOut(), softmaxReadout(), getLayerName());
        return LayerWiring.wire(new EpOutputLayerImpl(conf, networkDataType), conf, listeners, layerIndex, layerParamsView,
                initializeParams, initializer());
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
    @Override
    public boolean softmaxReadout() {
        return getLossFn() instanceof LossMCXENT && getActivationFn() instanceof ActivationSoftmax;
    }

    @Override
    public ParamInitializer initializer() {
        return EpParamInitializer.getInstance();
    }

    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        return epUpdaterByParam(paramName, super.getUpdaterByParam(paramName));
    }

    @Override
    public EpNetworkConf getNetwork() {
        return network;
    }

    public void setNetwork(EpNetworkConf network) {
        this.network = Objects.requireNonNull(network, "network");
    }

    @Override
    public EpOutputLayer clone() {
        EpOutputLayer copy = (EpOutputLayer) super.clone();
        copy.network = network.copy();
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof EpOutputLayer other && super.equals(o) && network.equals(other.network);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), network);
    }

    /**
     * Builds an {@link EpOutputLayer}. Defaults: {@link EpSettings#DEFAULTS} (eps 0.5, beta 1 with random sign,
     * 20 free / 4 nudged iterations, free phases from zero states), the layered topology, loss {@link LossL2},
     * identity activation, Xavier-uniform weights, zero biases. The EP methods are {@link EpNetworkBuilder}'s.
     */
    public static class Builder extends BaseOutputLayer.Builder<Builder> implements EpNetworkBuilder<Builder> {
        private final EpNetworkBuilder.Draft draft = new EpNetworkBuilder.Draft();

        public Builder() {
            lossFunction(new LossL2());
            activation(new ActivationIdentity());
            weightInit(org.deeplearning4j.nn.weights.WeightInit.XAVIER_UNIFORM);
        }

        @Override
        public EpNetworkBuilder.Draft draft() {
            return draft;
        }

        @Override
        @SuppressWarnings("unchecked")
        public EpOutputLayer build() {
            return new EpOutputLayer(this);
        }
    }
}
