package org.eqp.directed;

/**
 * The two ways a directed network relaxes and learns.
 *
 * <ul>
 *   <li>{@link #DEEP} (Farinha et al. 2020): dynamics (eq. 1)
 *       {@code ds_j/dt = sum_i W_ij s_i - s_j sum_k W_jk - beta dC/ds_j}, the leak of unit j scaled by the sum of its
 *       outgoing weights; learning (eq. 2) {@code dW_ij = (1/M_beta) sum_m s_i(m) (s_j(m) - s_j(m-1))} along the
 *       nudged trajectory (not divided by beta, as in the authors' code: their rate absorbs it).</li>
 *   <li>{@link #VECTOR_FIELD} (Scellier et al. 2018): dynamics {@code ds_j/dt = sum_i W_ij rho(s_i) - s_j - beta
 *       dC/ds_j}; learning {@code dW_ij = (1/beta) rho(s_i^0) (s_j^beta - s_j^0)}.</li>
 * </ul>
 * Biases are the weights out of the bias unit (fixed at 1), learnt by the same rule. States stay in [0, 1] (hard
 * sigmoid after each Euler step), so rho(s) = s.
 */
public enum DirectedRule {
    DEEP, VECTOR_FIELD
}
