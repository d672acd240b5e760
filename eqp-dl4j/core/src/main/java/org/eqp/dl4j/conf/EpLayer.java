package org.eqp.dl4j.conf;

import java.util.Collection;
import java.util.Objects;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.eqp.dl4j.layers.EpLayerImpl;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * An EP network as a block anywhere inside a DL4J network: a layer of a {@code MultiLayerNetwork}, or of a
 * {@code ComputationGraph} with one or more inputs ({@code addLayer("ep", epLayer, "a", "b")}: DL4J concatenates the
 * inputs, which become the clamped input units). Forward: the free phase, returning the output units' states
 * [batch, nOut] in [0, 1] (through {@code activation}, identity by default). Backward: the nudged phase driven by the
 * gradient arriving from above, delta = dL/ds_out, through the linear cost C = &lt;delta, s_out&gt; (force
 * -beta * delta); EP's estimates are then dL/dtheta for the block's parameters and dL/d(input) for the layers below
 * (Scellier and Bengio 2017, Theorem 1, for this cost), so backprop layers above and below train with it.
 *
 * <p>The EP network itself is the same {@link EpNetworkConf} as {@link EpOutputLayer}'s (hidden sizes, knobs,
 * topology, per-block updaters), set with the same builder methods. Why a layer and not a custom graph vertex: DL4J
 * 1.0.0-M2.1 gives the global updater and regularisation only to layers (and to SameDiff vertices), and counts only
 * layers' parameters in {@code ComputationGraph.numParams()}; a layer gets every DL4J service, and several inputs
 * through DL4J's own merge.
 */
public class EpLayer extends FeedForwardLayer implements EpLayerConf {
    private EpNetworkConf network = new EpNetworkConf();

    /** For JSON; use the {@link Builder}. */
    public EpLayer() {
    }

    protected EpLayer(Builder builder) {
        super(builder);
        this.network = builder.draft.build(false);
        EpParamInitializer.initializeBuilderConstraints(this, builder, () -> initializeConstraints(builder));
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        LayerValidation.assertNInNOutSet("EpLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        EpParamInitializer.rejectNoise(this, layerIndex);
        network.requireSkipUpdater(getNIn(), getNOut(), softmaxReadout(), getLayerName());
        return LayerWiring.wire(new EpLayerImpl(conf, networkDataType), conf, listeners, layerIndex, layerParamsView,
                initializeParams, initializer());
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
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        return new LayerMemoryReport.Builder(layerName, EpLayer.class, inputType, outputType)
                .standardMemory(initializer().numParams(this), 0).workingMemory(0, 0, 0, 0)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS).build();
    }

    @Override
    public EpNetworkConf getNetwork() {
        return network;
    }

    public void setNetwork(EpNetworkConf network) {
        this.network = Objects.requireNonNull(network, "network");
    }

    @Override
    public EpLayer clone() {
        EpLayer copy = (EpLayer) super.clone();
        copy.network = network.copy();
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof EpLayer other && super.equals(o) && network.equals(other.network);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), network);
    }

    /**
     * Builds an {@link EpLayer}. Defaults as {@link EpOutputLayer.Builder}'s: {@link org.eqp.learning.EpSettings#DEFAULTS},
     * the layered topology, identity activation, Xavier-uniform weights, zero biases. The EP methods are
     * {@link EpNetworkBuilder}'s.
     */
    public static class Builder extends FeedForwardLayer.Builder<Builder> implements EpNetworkBuilder<Builder> {
        private final EpNetworkBuilder.Draft draft = new EpNetworkBuilder.Draft();

        public Builder() {
            activation(new ActivationIdentity());
            weightInit(org.deeplearning4j.nn.weights.WeightInit.XAVIER_UNIFORM);
        }

        @Override
        public EpNetworkBuilder.Draft draft() {
            return draft;
        }

        @Override
        @SuppressWarnings("unchecked")
        public EpLayer build() {
            return new EpLayer(this);
        }
    }
}
