package org.eqp.directed;

import java.util.BitSet;

/**
 * Who may send to whom in a directed EP network: N units numbered inputs first ({@code [0, inputs)}, clamped; the
 * last input may be a bias unit fixed at 1), then hidden units, then outputs; edge i &rarr; j means unit i drives unit
 * j through weight W_ij. Never an edge into an input unit, never a self-loop. Immutable.
 */
public final class DirectedGraph {
    private final int inputs;
    private final int hidden;
    private final int outputs;
    private final boolean biasUnit;
    private final BitSet edges;

    private DirectedGraph(int inputs, int hidden, int outputs, boolean biasUnit, BitSet edges) {
        this.inputs = inputs;
        this.hidden = hidden;
        this.outputs = outputs;
        this.biasUnit = biasUnit;
        this.edges = edges;
    }

    /**
     * The complete directed graph: every unit sends to every non-input unit but itself.
     *
     * @param inputs   clamped data units (at least 0)
     * @param hidden   hidden units (at least 0)
     * @param outputs  output units (at least 1)
     * @param biasUnit add one more input unit fixed at 1, whose edges are the biases (so they can be pruned too)
     */
    public static DirectedGraph complete(int inputs, int hidden, int outputs, boolean biasUnit) {
        requireSizes(inputs, hidden, outputs);
        int p = inputs + (biasUnit ? 1 : 0);
        int n = p + hidden + outputs;
        BitSet edges = new BitSet(n * n);
        for (int i = 0; i < n; i++) {
            for (int j = p; j < n; j++) {
                if (i != j) {
                    edges.set(i * n + j);
                }
            }
        }
        return new DirectedGraph(p, hidden, outputs, biasUnit, edges);
    }

    /**
     * A graph with the given edges: {@code edges[i][j]} for i &rarr; j over all N units (inputs incl. the bias unit
     * first). Rejects edges into inputs and self-loops with a message naming the first one.
     */
    public static DirectedGraph of(int inputs, int hidden, int outputs, boolean biasUnit, boolean[][] edges) {
        requireSizes(inputs, hidden, outputs);
        int p = inputs + (biasUnit ? 1 : 0);
        int n = p + hidden + outputs;
        if (edges.length != n) {
            throw new IllegalArgumentException("the edge matrix must be " + n + "x" + n + " (all units, inputs and "
                    + "bias first); got " + edges.length + " rows");
        }
        BitSet bits = new BitSet(n * n);
        for (int i = 0; i < n; i++) {
            if (edges[i].length != n) {
                throw new IllegalArgumentException("row " + i + " of the edge matrix has " + edges[i].length
                        + " entries; expected " + n);
            }
            for (int j = 0; j < n; j++) {
                if (!edges[i][j]) {
                    continue;
                }
                if (j < p) {
                    throw new IllegalArgumentException("edge " + i + " -> " + j + " points into an input unit, whose "
                            + "state is clamped; remove it");
                }
                if (i == j) {
                    throw new IllegalArgumentException("edge " + i + " -> " + i + " is a self-loop; remove it");
                }
                bits.set(i * n + j);
            }
        }
        return new DirectedGraph(p, hidden, outputs, biasUnit, bits);
    }

    private static void requireSizes(int inputs, int hidden, int outputs) {
        if (inputs < 0 || hidden < 0 || outputs < 1) {
            throw new IllegalArgumentException("a directed network needs inputs >= 0, hidden >= 0 and outputs >= 1; got "
                    + inputs + ", " + hidden + ", " + outputs);
        }
    }

    /** All units. */
    public int size() {
        return inputs + hidden + outputs;
    }

    /** Clamped units, the bias unit included. */
    public int inputs() {
        return inputs;
    }

    public int hidden() {
        return hidden;
    }

    public int outputs() {
        return outputs;
    }

    /** Whether the last input unit is a bias unit fixed at 1. */
    public boolean hasBiasUnit() {
        return biasUnit;
    }

    /** Index of the bias unit, or -1. */
    public int biasUnit() {
        return biasUnit ? inputs - 1 : -1;
    }

    /** First output unit. */
    public int firstOutput() {
        return inputs + hidden;
    }

    public boolean edge(int from, int to) {
        return edges.get(from * size() + to);
    }

    /** Number of edges. */
    public int edgeCount() {
        return edges.cardinality();
    }

    /** Number of edges that leave the bias unit. */
    public int biasEdgeCount() {
        if (!biasUnit) {
            return 0;
        }
        int n = 0;
        for (int j = inputs; j < size(); j++) {
            n += edge(biasUnit(), j) ? 1 : 0;
        }
        return n;
    }

    /** The edges as a copy: bit {@code i * size() + j} is i &rarr; j. */
    public BitSet edges() {
        return (BitSet) edges.clone();
    }

    /** This graph without the given edges (bits as in {@link #edges()}). */
    public DirectedGraph without(BitSet removed) {
        BitSet kept = edges();
        kept.andNot(removed);
        return new DirectedGraph(inputs, hidden, outputs, biasUnit, kept);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DirectedGraph g && inputs == g.inputs && hidden == g.hidden && outputs == g.outputs
                && biasUnit == g.biasUnit && edges.equals(g.edges);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(inputs, hidden, outputs, biasUnit, edges);
    }

    @Override
    public String toString() {
        return "DirectedGraph[" + inputs + " inputs" + (biasUnit ? " (bias included)" : "") + ", " + hidden
                + " hidden, " + outputs + " outputs, " + edgeCount() + " edges]";
    }
}
