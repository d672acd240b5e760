package org.eqp.directed;

import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * A directed network's graph and weights, immutable: {@code W_ij} (edge i &rarr; j) at index {@code i * N + j} of a
 * flat double array of N * N entries, exactly zero where no edge exists.
 */
public final class DirectedNetwork {
    private final DirectedGraph graph;
    private final double[] weights;

    /** A network with the given weights (copied; entries without an edge must be zero). */
    public DirectedNetwork(DirectedGraph graph, double[] weights) {
        int n = graph.size();
        if (weights.length != n * n) {
            throw new IllegalArgumentException("weights must hold N x N = " + n * n + " entries; got " + weights.length);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double w = weights[i * n + j];
                if (!Double.isFinite(w)) {
                    throw new IllegalArgumentException("weight " + i + " -> " + j + " is not finite: " + w);
                }
                if (w != 0 && !graph.edge(i, j)) {
                    throw new IllegalArgumentException("weight " + i + " -> " + j + " is " + w + " but the graph has no "
                            + "such edge");
                }
            }
        }
        this.graph = graph;
        this.weights = weights.clone();
    }

    /** Weights N(0, sigma^2) on every edge (the authors: sigma 0.05), seeded. */
    public static DirectedNetwork random(DirectedGraph graph, double sigma, long seed) {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("the initial weight sigma must be finite and >= 0; got " + sigma);
        }
        int n = graph.size();
        double[] w = new double[n * n];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (graph.edge(i, j)) {
                    w[i * n + j] = sigma * random.nextGaussian();
                }
            }
        }
        return new DirectedNetwork(graph, w);
    }

    public DirectedGraph graph() {
        return graph;
    }

    /** W_ij, the weight of edge i &rarr; j (0 without an edge). */
    public double weight(int from, int to) {
        return weights[from * graph.size() + to];
    }

    /** A copy of all weights, {@code W_ij} at {@code i * N + j}. */
    public double[] weights() {
        return weights.clone();
    }

    /**
     * The edges whose weight is not zero: the graph as the paper counts it (a weight pruned to zero is a missing
     * connection, also while its edge may still grow back, {@link DirectedSettings#regrow}).
     */
    public DirectedGraph liveGraph() {
        BitSet zero = new BitSet(weights.length);
        for (int k = 0; k < weights.length; k++) {
            if (weights[k] == 0) {
                zero.set(k);
            }
        }
        return graph.without(zero);
    }

    /** sum_k W_jk: the total weight of unit j's outgoing edges (DEEP's leak factor, eq. 1). */
    public double outgoingSum(int j) {
        int n = graph.size();
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += weights[j * n + k];
        }
        return sum;
    }
}
