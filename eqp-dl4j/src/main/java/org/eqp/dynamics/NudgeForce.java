package org.eqp.dynamics;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The weak clamping of the output units in the nudged phase: after each Euler step, the output states are
 * moved by {@code -eps * beta * dC/ds_y} and clamped to [0, 1] again (DESIGN.md §3; Scellier and Bengio 2017,
 * eq. 8 with the total energy F = E + beta * C).
 */
public interface NudgeForce {

    /**
     * Sets the targets and the signed nudge strength for the coming nudged phase.
     *
     * @param labels targets y, shape [batch, nOut], 'f' order, same layout as the outputs
     * @param beta   signed nudge strength, non-zero
     */
    void prepare(INDArray labels, double beta);

    /**
     * Applies one nudge to the output states in place.
     *
     * @param outputs output states, shape [batch, nOut], 'f' order, already advanced by the Euler step
     * @param eps     the Euler step size
     */
    void apply(INDArray outputs, double eps);
}
