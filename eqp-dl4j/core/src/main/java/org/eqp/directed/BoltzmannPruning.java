package org.eqp.directed;

import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * Farinha et al. 2020, eq. 3: every edge i &rarr; j with |W_ij| &lt; lambda is removed with probability
 * {@code p_ij = exp(-|W_ij| / T) / sum_{k=1..N} exp(-|W_kj| / T)}, the sum over all N units as the equation (and the
 * authors' code) has it, a unit k without an edge into j counting with W_kj = 0. The weakest of a unit's inputs are
 * the likeliest to go. The DL4J layer {@code DirectedEpOutputLayer} applies this policy after every update and removes
 * the drawn edges for good (its edge mask M), or, with {@link DirectedSettings#regrow}, sets their weights to zero and
 * lets the next update move them again, as the authors' notebook does. An edge already at zero is drawn like any other
 * (it stays at zero).
 */
public final class BoltzmannPruning {
    private BoltzmannPruning() {
    }

    /**
     * The edges to remove (bits {@code i * N + j}), drawn with {@code random}; nothing when lambda is 0.
     *
     * @param lambda      threshold (&ge; 0)
     * @param temperature T (&gt; 0)
     */
    public static BitSet draw(DirectedNetwork network, double lambda, double temperature, SplittableRandom random) {
        if (!(lambda >= 0) || !(temperature > 0)) {
            throw new IllegalArgumentException("pruning needs lambda >= 0 and T > 0; got lambda=" + lambda + ", T="
                    + temperature);
        }
        DirectedGraph g = network.graph();
        int n = g.size();
        BitSet removed = new BitSet(n * n);
        if (lambda == 0) {
            return removed;
        }
        for (int j = g.inputs(); j < n; j++) {
            double partition = 0;
            for (int i = 0; i < n; i++) {
                partition += Math.exp(-Math.abs(network.weight(i, j)) / temperature);
            }
            for (int i = 0; i < n; i++) {
                double w = Math.abs(network.weight(i, j));
                if (g.edge(i, j) && w < lambda && random.nextDouble() < Math.exp(-w / temperature) / partition) {
                    removed.set(i * n + j);
                }
            }
        }
        return removed;
    }
}
