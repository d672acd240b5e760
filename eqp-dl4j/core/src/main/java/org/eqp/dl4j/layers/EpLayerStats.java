package org.eqp.dl4j.layers;

import java.nio.FloatBuffer;
import org.eqp.topology.Topology;

/**
 * What an EP layer shows a DL4J {@code TrainingListener} about its training, read-only. Read it in
 * {@code onGradientCalculation} (before the updater; the raw gradient is the layer's gradient view) or
 * {@code iterationDone}: it describes the layer's last training step.
 */
public interface EpLayerStats {

    /** What the last training step did, or null before the first. */
    EpStepStats lastStepStats();

    /** The layer's EP network: layer sizes (input first, outputs last), blocks of connections and their masks. */
    Topology topology();

    /**
     * The free equilibrium s_l^0 of layer l (1 ≤ l ≤ output) in the last training step, [batch, size(l)] in 'f' order
     * (example r, unit j at index j * batch + r), as a read-only view without copying.
     *
     * @throws IllegalStateException before the first training step, or once the layer has relaxed another batch of the
     *                               same size since (e.g. {@code output()} on a batch of the training batch size)
     */
    FloatBuffer freeState(int layer);
}
