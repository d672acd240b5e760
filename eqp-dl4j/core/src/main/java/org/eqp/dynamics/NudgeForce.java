package org.eqp.dynamics;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The weak clamping of the output units in the nudged phase: after each Euler step, which leaves the outputs unclamped
 * in the nudged phase, the output states are moved by {@code -eps * beta * dC/ds_y} and clamped to [0, 1]
 * ({@link org.eqp.learning} "Conventions"; Scellier and Bengio 2017, eq. 8 with the total energy F = E + beta * C).
 *
 * <p>Because the nudge follows the Euler step (the seed code's order) rather than being part of it, the nudged
 * fixed point is the equilibrium of E + beta' * C on the box [0, 1], beta' = beta / (1 - 2 * eps * beta) for the
 * squared error: at a bound an output stays put unless -dE/ds_y - beta' dC/ds_y points into the box (the
 * Karush-Kuhn-Tucker condition of the constrained minimum). Inside the box this is a finite-beta estimate inflated by
 * 1 / (1 - 2 * eps * beta) (25 % at eps = 0.5, beta = 0.5; at eps = 0.5, beta = 1 the outputs are fully clamped to the
 * targets). The factor tends to 1 as beta tends to 0, where EP's estimate is exact.
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
     * @param outputs output states, shape [batch, nOut], 'f' order, already advanced by the Euler step and not yet
     *                clamped (they may lie outside [0, 1]); clamped to [0, 1] on return
     * @param eps     the Euler step size
     */
    void apply(INDArray outputs, double eps);

    /**
     * Whether the targets are output values, so must lie in [0, 1] (the reach of the hard-sigmoid units); false for a
     * force whose "targets" are a gradient from above ({@link LinearCostNudge}), which only need to be finite.
     */
    default boolean boundedTargets() {
        return true;
    }
}
