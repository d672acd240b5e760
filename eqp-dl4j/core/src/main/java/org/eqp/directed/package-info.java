/**
 * Equilibrium propagation on directed graphs with asymmetric weights (Farinha et al. 2020, "DEEP"): the graph
 * ({@link org.eqp.directed.DirectedGraph}), the two dynamics and learning rules ({@link org.eqp.directed.DirectedRule}:
 * DEEP, eq. 1-2, and vector-field EP, Scellier et al. 2018), the correction source that runs the free and nudged
 * phases ({@link org.eqp.directed.DirectedPhases}), the pruning policy of eq. 3
 * ({@link org.eqp.directed.BoltzmannPruning}) and the stability conditions of Proposition 2. Training (the update with
 * the learning rate, the l1 term, when to prune) is the DL4J layer's, {@code org.eqp.dl4j.conf.DirectedEpOutputLayer}.
 * Networks here are small by design (the graph is complete), so the kernels are plain double-precision Java.
 */
package org.eqp.directed;
