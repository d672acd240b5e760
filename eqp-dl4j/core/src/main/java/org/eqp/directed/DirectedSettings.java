package org.eqp.directed;

/**
 * The knobs of directed EP's two phases and of its pruning. The learning rate and the l1 term are not here: they are
 * DL4J's (the updater, e.g. {@code Sgd(rate)}, and the regularization {@code L1AfterUpdate}) on the layer
 * {@code DirectedEpOutputLayer}.
 *
 * @param rule          DEEP or vector-field EP
 * @param dt            Euler step of the dynamics (&gt; 0)
 * @param freeSteps     M_0, steps of the free phase (&ge; 1)
 * @param nudgedSteps   M_beta, steps of the nudged phase (&ge; 1)
 * @param beta          nudge strength (non-zero, finite)
 * @param pruneBelow    lambda of eq. 3: weights with |W| below it are pruning candidates (&ge; 0; 0 = no pruning)
 * @param temperature   T of the Boltzmann pruning probability (eq. 3; &gt; 0)
 * @param initialSpread the non-input states start each free phase uniform in [0, initialSpread] (the authors: 0.1;
 *                      0 = from zero) (&ge; 0, &le; 1)
 * @param regrow        what pruning an edge means: false, it is removed for good; true, its weight is set to zero but
 *                      the edge stays, so the next update may make it non-zero again (the authors' notebook). Needs
 *                      pruning (lambda &gt; 0)
 */
public record DirectedSettings(DirectedRule rule, double dt, int freeSteps, int nudgedSteps, double beta,
                               double pruneBelow, double temperature, double initialSpread, boolean regrow) {

    /**
     * The authors' settings for the logic tasks (their notebook): dt 0.05, 1000 free and 1000 nudged steps, beta 10,
     * states from U[0, 0.1], and with {@code sparse} the pruning of eq. 3 with lambda 0.01, T 5 (without it lambda 0),
     * pruned edges removed for good (the notebook's regrowth is {@code regrow}). Their rates (100 for DEEP, 1 for
     * vector-field EP) and l1 step (1.5e-4) belong to the updater and the regularization.
     */
    public static DirectedSettings paper(DirectedRule rule, boolean sparse) {
        return new DirectedSettings(rule, 0.05, 1000, 1000, 10, sparse ? 0.01 : 0, 5, 0.1, false);
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
            throw new IllegalArgumentException("beta must be finite and non-zero (at 0 the nudged phase is the free one "
                    + "and nothing is learnt; vector-field EP also divides by it); got " + beta);
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
        if (regrow && pruneBelow == 0) {
            throw new IllegalArgumentException("regrow lets pruned edges grow back, but lambda 0 prunes nothing; give "
                    + "lambda > 0 or drop regrow");
        }
    }
}
