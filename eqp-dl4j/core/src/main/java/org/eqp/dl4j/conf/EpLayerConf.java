package org.eqp.dl4j.conf;

import org.eqp.learning.EpSettings;
import org.eqp.topology.BuiltTopology;
import org.eqp.topology.Topology;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * What the EP layer configurations share ({@link EpOutputLayer}, {@link EpLayer}): an {@link EpNetworkConf} between
 * the layer's nIn inputs and nOut outputs, and DL4J's weight and bias initialisation. The parameter layout
 * ({@link EpParamInitializer}) and the runtime read the network through this view.
 */
public interface EpLayerConf {

    /** The EP network (JSON property {@code network}). */
    EpNetworkConf getNetwork();

    long getNIn();

    long getNOut();

    org.deeplearning4j.nn.weights.IWeightInit getWeightInitFn();

    double getBiasInit();

    /**
     * Whether the layer predicts through a softmax readout of the last hidden layer kept out of the energy (Laborieux
     * et al. 2021); then the relaxing network ends at the last hidden layer. False unless the layer says so.
     */
    default boolean softmaxReadout() {
        return false;
    }

    /** The EP knobs. */
    default EpSettings settings() {
        return getNetwork().getSettings();
    }

    /** The relaxing network's layer sizes ({@link EpNetworkConf#layerSizes}). */
    default int[] layerSizes() {
        return getNetwork().layerSizes(getNIn(), getNOut(), softmaxReadout());
    }

    /** The topology and what building it did ({@link EpNetworkConf#builtTopology}). */
    default BuiltTopology builtTopology() {
        return getNetwork().builtTopology(getNIn(), getNOut(), softmaxReadout());
    }

    /** The EP network's topology over the layer's inputs, the hidden layers and its outputs. */
    default Topology topology() {
        return builtTopology().topology();
    }

    /** The initial scale of layer-skipping and intralayer weights ({@link EpNetworkConf#effectiveSkipInitScale}). */
    default double effectiveSkipInitScale() {
        return getNetwork().effectiveSkipInitScale(getNIn(), getNOut(), softmaxReadout());
    }

    /**
     * The updater of one parameter: NoOp for the random-sign state ({@link EpParamInitializer#SIGN_DRAWS}, as DL4J's
     * BatchNormalization keeps its running statistics out of training), the block's own with per-block updaters, else
     * {@code layerDefault}.
     */
    default IUpdater epUpdaterByParam(String paramName, IUpdater layerDefault) {
        if (EpParamInitializer.SIGN_DRAWS.equals(paramName)) {
            return new NoOp();
        }
        IUpdater block = getNetwork().blockUpdater(paramName, getNIn(), getNOut(), softmaxReadout());
        return block != null ? block : layerDefault;
    }
}
