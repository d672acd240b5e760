/**
 * Equilibrium propagation on layered Hopfield networks (Scellier and Bengio 2017): the free phase, the weakly clamped
 * (nudged) phase and the EP gradient, with the knobs in {@link org.eqp.learning.EpSettings}.
 *
 * <h2 id="conventions">Conventions</h2>
 * The dynamics and the update follow the code of Gammell et al. (2021, the small-world papers' public code) step for
 * step, so that our numbers can be set beside their logs. Every class of the relaxation and of the update cites this
 * list.
 * <ul>
 *   <li><b>Units.</b> Input x (clamped), hidden and output units s; rho = the hard sigmoid clamp(s, 0, 1).</li>
 *   <li><b>Energy</b> (Scellier and Bengio 2017, eq. 1): E = 1/2 sum_i s_i^2 - 1/2 sum_{i != j} W_ij rho(s_i)
 *       rho(s_j) - sum_i b_i rho(s_i); W symmetric with a zero diagonal, stored one block per connected pair of
 *       layers.</li>
 *   <li><b>Free step</b> (Euler, step eps): {@code s <- clamp(s + eps * (W rho(s) + b - s), 0, 1)} for every
 *       non-input unit, all units at once. States are clamped after every step, so rho(s) = s and rho' = 1 on
 *       [0, 1].</li>
 *   <li><b>Nudged step:</b> the same step, but the outputs are clamped only after the nudge
 *       {@code s_y <- s_y + 2 eps beta (y - s_y)} (cost C = ||y - s_y||^2, without the 1/2). With eps = 0.5 and
 *       beta = 1 the outputs become y. The seed code clamps before the nudge too; the two agree at eps = 0.5,
 *       beta = +-1, and only ours leaves an output the step pins at a bound there, as the constrained equilibrium of
 *       E + beta' C and the true gradient (rho' = 0) want, so that EP's estimates converge as beta -&gt; 0 with
 *       saturated outputs too. Another DL4J loss gives the nudge {@code -eps * beta * dC/ds_y}
 *       ({@link org.eqp.dynamics.NudgeForce}); cross-entropy with softmax reads the last hidden layer out through a
 *       softmax outside the energy and nudges it inside the step by {@code -eps * beta * (p - y) R^T}
 *       ({@link org.eqp.dynamics.SoftmaxReadout}); an EP block inside a network is nudged by the gradient from above,
 *       {@code -eps * beta * delta} ({@link org.eqp.dynamics.LinearCostNudge}).</li>
 *   <li><b>Iteration counts</b> are fixed (N_free, N_nudged); stopping once no unit moves more than a tolerance is
 *       our optional addition ({@link org.eqp.learning.EpSettings#tolerance()}).</li>
 *   <li><b>Random sign of beta:</b> before each nudged phase beta is negated with probability 1/2; the update
 *       divides by the signed beta.</li>
 *   <li><b>Persistent particles</b> (optional): each training example starts its free phase from the equilibrium it
 *       reached last time (the seed code kept them per fixed batch; we key them by the example's features, the
 *       network's input also under trainable layers, and keep at most a capacity of examples, evicting the least
 *       recently used: {@link org.eqp.learning.ParticleStore}).</li>
 *   <li><b>Update:</b> {@code dW = (1/beta) * mean_batch[rho(s^beta) rho(s^beta)^T - rho(s^0) rho(s^0)^T]} on
 *       existing connections only, {@code db = (1/beta) * mean_batch[rho(s^beta) - rho(s^0)]}, {@code W += alpha dW}.
 *       DL4J receives it as a gradient in descent convention summed over the batch, so {@code Sgd(alpha)} is this
 *       update.</li>
 *   <li><b>Initialisation:</b> adjacent-layer weights Glorot uniform U[-sqrt(6 / (n_l + n_{l+1})), +...], biases 0,
 *       states 0; layer-skipping weights U[-a, a] with a the mean of those bounds over the adjacent layer pairs
 *       ({@link org.eqp.topology.Topology#defaultSkipInitScale()}).</li>
 *   <li><b>Errors:</b> an example is misclassified when argmax(s_y) != argmax(y) after the free phase. The seed logs
 *       its training error online (each batch before its own update); we report that and the end-of-epoch error.</li>
 *   <li><b>Corrections:</b> the RMS correction of a layer pair is the RMS of dW over the existing connections of its
 *       block (not multiplied by alpha); the log-spread is the population standard deviation of log10 of the
 *       per-pair mean RMS over training. The seed code's per-layer-rate mode updated biases with rate 1.0; we give
 *       each bias its block's rate.</li>
 * </ul>
 */
package org.eqp.learning;
