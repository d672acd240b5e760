package org.eqp.dynamics;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossL2;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

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
     * The nudge of a DL4J loss on output units with the given activation: the fused squared error for unweighted
     * {@code LossL2} (scale 1) and {@code LossMSE} (scale 1/nOut) with the identity, else {@link LossFunctionNudge}.
     */
    static NudgeForce forLoss(ILossFunction loss, IActivation activation, int nOut) {
        boolean plain = activation instanceof ActivationIdentity && loss instanceof LossL2 l2 && l2.getWeights() == null;
        if (plain && loss.getClass() == LossL2.class) {
            return new SquaredErrorNudge(1.0);
        }
        if (plain && loss.getClass() == LossMSE.class) {
            return new SquaredErrorNudge(1.0 / nOut);
        }
        return new LossFunctionNudge(loss, activation);
    }

    /**
     * The columns of the targets this nudge takes: the output units' count (the default), or e.g. the classes of a
     * readout of them ({@link SoftmaxReadout}).
     *
     * @param outputUnits the size of the network's output layer
     */
    default int targetColumns(int outputUnits) {
        return outputUnits;
    }

    /**
     * Sets the targets and the signed nudge strength for the coming nudged phase.
     *
     * @param labels targets y, shape [batch, {@link #targetColumns}], 'f' order
     * @param beta   signed nudge strength, non-zero
     */
    void prepare(INDArray labels, double beta);

    /**
     * Whether the force acts inside the Euler step, before its clamp:
     * {@code s_y <- clamp(s_y + eps * (W s + b - s_y + f), 0, 1)} with f = {@link #writeForce} at the step's starting
     * states, so the nudged fixed point is the stationary point of E + beta * C on the box [0, 1] (a unit held at a
     * bound by its drive stays there under a weaker nudge of either sign). Otherwise (the seed's order for the squared
     * error) {@link #apply} moves the stepped outputs.
     */
    default boolean insideStep() {
        return false;
    }

    /**
     * For a force {@link #insideStep()}: writes f = -beta * dC/ds_y at the given output states.
     *
     * @param outputs the output states, [batch, nOut], 'f' order
     * @param force   [batch, nOut], 'f' order, overwritten
     */
    default void writeForce(INDArray outputs, INDArray force) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " acts after the Euler step: use apply");
    }

    /**
     * Applies one nudge to the output states in place (a force not {@link #insideStep()}).
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
