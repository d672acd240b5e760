package org.eqp.learning;

/**
 * The knobs of equilibrium propagation (DESIGN.md §3), validated on construction.
 *
 * @param eps                 Euler step size of the relaxation, &gt; 0 (seed: 0.5)
 * @param beta                nudge strength, non-zero, finite (seed: 1.0)
 * @param freeIterations      Euler steps of the free phase, ≥ 1 (seed: 500 for 3x500, 20 for 784-500-10)
 * @param nudgedIterations    Euler steps of the nudged phase, ≥ 1 (seed: 8; 4)
 * @param randomSignBeta      negate beta with probability 1/2 before each nudged phase
 * @param persistentParticles start each training example's free phase from its last free equilibrium
 * @param tolerance           stop a phase early once no unit moves more than this in one step; 0 = fixed counts
 */
public record EpSettings(double eps, double beta, int freeIterations, int nudgedIterations, boolean randomSignBeta,
                         boolean persistentParticles, double tolerance) {

    public EpSettings {
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("eps (the Euler step size) must be a finite number > 0; got " + eps
                    + ". The papers use eps = 0.5.");
        }
        if (beta == 0 || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("beta (the nudge strength) must be finite and non-zero; got " + beta
                    + ". EP divides by beta; the papers use beta = 1 (with random sign).");
        }
        if (freeIterations < 1 || nudgedIterations < 1) {
            throw new IllegalArgumentException("free and nudged iteration counts must be at least 1; got free="
                    + freeIterations + ", nudged=" + nudgedIterations);
        }
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be >= 0 (0 disables early stopping); got " + tolerance);
        }
    }
}
