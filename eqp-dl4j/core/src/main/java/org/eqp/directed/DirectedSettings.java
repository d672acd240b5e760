package org.eqp.directed;

/**
 * The knobs of directed EP training.
 *
 * @param rule          DEEP or vector-field EP
 * @param dt            Euler step of the dynamics (&gt; 0)
 * @param freeSteps     M_0, steps of the free phase from zero states (&ge; 1)
 * @param nudgedSteps   M_beta, steps of the nudged phase (&ge; 1)
 * @param beta          nudge strength (non-zero, finite)
 * @param learningRate  alpha in {@code W += alpha dW} (&ge; 0)
 * @param l1            l1 step after each update: {@code W -= l1 sign(W)}, not scaled by alpha, as in the authors'
 *                      code (&ge; 0)
 * @param pruneBelow    lambda: weights with |W| below it are pruning candidates (&ge; 0; 0 = no pruning)
 * @param temperature   T of the Boltzmann pruning probability (eq. 3; &gt; 0)
 * @param initialSpread the non-input states start each free phase uniform in [0, initialSpread] (the authors: 0.1;
 *                      0 = from zero) (&ge; 0, &le; 1)
 */
public record DirectedSettings(DirectedRule rule, double dt, int freeSteps, int nudgedSteps, double beta,
                               double learningRate, double l1, double pruneBelow, double temperature,
                               double initialSpread) {

    /**
     * The authors' settings for the logic tasks (their notebook, DESIGN.md §3): dt 0.05, 1000 free and 1000 nudged
     * steps, beta 10, states from U[0, 0.1]; DEEP: rate 100, l1 1.5e-4, lambda 0.01, T 5; vector-field EP: rate 1,
     * same l1 and pruning.
     */
    public static DirectedSettings paper(DirectedRule rule, boolean sparse) {
        return new DirectedSettings(rule, 0.05, 1000, 1000, 10, rule == DirectedRule.DEEP ? 100 : 1,
                sparse ? 1.5e-4 : 0, sparse ? 0.01 : 0, 5, 0.1);
    }

    public DirectedSettings {
        if (rule == null) {
            throw new IllegalArgumentException("choose a rule: DEEP or VECTOR_FIELD");
        }
        if (!(dt > 0) || Double.isInfinite(dt)) {
            throw new IllegalArgumentException("the Euler step dt must be finite and > 0; got " + dt);
        }
        if (freeSteps < 1 || nudgedSteps < 1) {
            throw new IllegalArgumentException("free and nudged steps must be at least 1; got " + freeSteps + " and "
                    + nudgedSteps);
        }
        if (beta == 0 || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("beta must be finite and non-zero (the update divides by it); got " + beta);
        }
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("the learning rate must be finite and >= 0; got " + learningRate);
        }
        if (!(l1 >= 0) || Double.isInfinite(l1)) {
            throw new IllegalArgumentException("the l1 coefficient must be finite and >= 0; got " + l1);
        }
        if (!(pruneBelow >= 0) || Double.isInfinite(pruneBelow)) {
            throw new IllegalArgumentException("the pruning threshold lambda must be finite and >= 0 (0 = no pruning); "
                    + "got " + pruneBelow);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("the pruning temperature T must be finite and > 0; got " + temperature);
        }
        if (!(initialSpread >= 0 && initialSpread <= 1)) {
            throw new IllegalArgumentException("the initial state spread must lie in [0, 1]; got " + initialSpread);
        }
    }
}
