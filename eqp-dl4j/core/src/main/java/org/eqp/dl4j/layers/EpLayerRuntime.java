package org.eqp.dl4j.layers;

import java.util.function.Supplier;
import org.eqp.learning.ParticleStore;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A DL4J layer that runs an EP network ({@link EpOutputLayerImpl}, {@link EpLayerImpl}): what listeners read
 * ({@link EpLayerStats}) and the persistent particles of its training examples, which are not parameters, so that
 * {@link org.eqp.dl4j.EpModelSerializer} saves, restores and copies them.
 */
public interface EpLayerRuntime extends EpLayerStats {

    /** The persistent particles of the training examples (empty unless the configuration enables them). */
    ParticleStore particles();

    /**
     * Keys the persistent particles by the network's input instead of the layer's own input, which layers below
     * compute; {@link org.eqp.dl4j.ParticleKeys#fromNetworkInput} calls it for every EP layer of a network.
     *
     * @param networkInput the network's input arrays of the current pass (a graph's inputs in order)
     */
    void keyParticlesBy(Supplier<INDArray[]> networkInput);
}
