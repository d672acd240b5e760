package org.eqp.learning;

import java.io.Serializable;
/**
 * The knobs of equilibrium propagation, validated on construction, and the one home of their defaults
 * ({@link #DEFAULTS}): the layer's builder, the command line and the search knobs all start from it. Stored in the
 * layer configuration's JSON.
 *
 * @param eps                 Euler step size of the relaxation, &gt; 0 (seed: 0.5)
 * @param beta                nudge strength, non-zero, finite (seed: 1.0)
 * @param freeIterations      Euler steps of the free phase, ≥ 1 (seed: 500 for 3x500, 20 for 784-500-10)
 * @param nudgedIterations    Euler steps of the nudged phase, ≥ 1 (seed: 8; 4)
 * @param randomSignBeta      negate beta with probability 1/2 before each nudged phase
 * @param persistentParticles start each training example's free phase from its last free equilibrium
 * @param tolerance           stop a phase early once no unit moves more than this in one step; 0 = fixed counts
 * @param symmetricNudging    run two nudged phases from s^0, at -beta and at +beta, and estimate the gradient from
 *                            their difference divided by 2 beta (Laborieux et al. 2021, symmetric EP): the O(beta) bias of the
 *                            one-sided estimate cancels; costs a second nudged phase; the random sign is then moot
 * @param alternatingUpdates  each relaxation step updates the odd layers, then the even layers from their new states
 *                            (Scellier et al. 2023's asynchronous sweeps; {@link org.eqp.dynamics.Relaxation#run(int,
 *                            double, double, org.eqp.dynamics.NudgeForce, boolean)}): the same equilibria in far fewer
 *                            steps on deep layered nets; false = the seed's synchronous steps
 */
public record EpSettings(double eps, double beta, int freeIterations, int nudgedIterations, boolean randomSignBeta,
                         boolean persistentParticles, double tolerance, boolean symmetricNudging,
                         boolean alternatingUpdates)
        implements Serializable {

    /** Settings with the seed's synchronous steps (alternatingUpdates false). */
    public EpSettings(double eps, double beta, int freeIterations, int nudgedIterations, boolean randomSignBeta,
                      boolean persistentParticles, double tolerance, boolean symmetricNudging) {
        this(eps, beta, freeIterations, nudgedIterations, randomSignBeta, persistentParticles, tolerance,
                symmetricNudging, false);
    }

    /**
     * The quickstart settings: eps 0.5, beta 1 with random sign, 20 free / 4 nudged iterations (the seed's 784-500-10
     * values), free phases from zero states, fixed iteration counts.
     *
     * <p>Persistent particles (the seed code's default) are off: on MNIST 784-500-10 at 20/4 iterations, 20 steps from
     * zero already reach the equilibrium, and with particles training fits equilibria that the zero-start relaxation
     * of inference does not reach (README, "Measured"). Turn them on for deep nets whose relaxation from zero would
     * need many more steps. One-sided nudging, as the seed.
     */
    public static final EpSettings DEFAULTS = new EpSettings(0.5, 1.0, 20, 4, true, false, 0.0, false);

    /**
     * The default beta with a softmax readout (cross-entropy; {@link org.eqp.dynamics.SoftmaxReadout}): 0.5. Its
     * nudge -beta R (p - y) grows with the readout weights R, and at beta 1 with random sign the -beta phases push the
     * outputs away from the targets hard enough that training turns unstable (measured on iris, 4-20 + readout, 3
     * seeds: test error over epochs 101-150 averaged 11.1 % with spikes to 33 % at beta 1, 3.9 % at beta 0.5, where
     * the squared error gave 4.2 %).
     */
    public static final double READOUT_BETA = 0.5;

    /**
     * The default SGD rates, one per adjacent weight block (biases of the block's upper layer included): Scellier and
     * Bengio's 0.1 / 0.05 for one hidden layer; Gammell et al.'s single rate 0.02 for deeper networks (one value for
     * all blocks).
     *
     * @param hiddenLayers number of hidden layers, &gt;= 1
     */
    public static double[] defaultLearningRates(int hiddenLayers) {
        if (hiddenLayers < 1) {
            throw new IllegalArgumentException("an EP network needs at least one hidden layer; got " + hiddenLayers);
        }
        return hiddenLayers == 1 ? new double[] {0.1, 0.05} : new double[] {0.02};
    }

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
