package org.eqp.dl4j.layers;

import org.eqp.learning.ParticleStore;

/**
 * A DL4J layer that runs an EP network ({@link EpOutputLayerImpl}, {@link EpLayerImpl}): what listeners read
 * ({@link EpLayerStats}) and the persistent particles of its training examples, which are not parameters, so that
 * {@link org.eqp.dl4j.EpModelSerializer} saves, restores and copies them.
 */
public interface EpLayerRuntime extends EpLayerStats {

    /** The persistent particles of the training examples (empty unless the configuration enables them). */
    ParticleStore particles();
}
