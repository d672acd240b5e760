/**
 * Equilibrium propagation on directed graphs with asymmetric weights (Farinha et al. 2020, "DEEP"; DESIGN.md §3):
 * the graph ({@link org.eqp.directed.DirectedGraph}), the two dynamics and learning rules
 * ({@link org.eqp.directed.DirectedRule}: DEEP, eq. 1-2, and vector-field EP, Scellier et al. 2018), Boltzmann
 * pruning (eq. 3), the stability conditions of Proposition 2, and the training loop. Networks here are small by
 * design (the graph is complete), so the kernels are plain double-precision Java.
 */
package org.eqp.directed;
