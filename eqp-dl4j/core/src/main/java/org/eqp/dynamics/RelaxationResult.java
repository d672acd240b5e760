package org.eqp.dynamics;

/**
 * What one relaxation run did.
 *
 * @param steps       Euler steps taken
 * @param maxChange   largest |Δs| of any unit in the last step (state units, in [0, 1])
 * @param residual    RMS over all non-input units of the last step's velocity Δs/eps; 0 at an exact fixed point
 */
public record RelaxationResult(int steps, double maxChange, double residual) {
}
