package org.eqp.topology.spec;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Map;
import org.eqp.directed.DirectedGraph;

/**
 * A user-given directed graph with a bias unit, stored by its sizes and its edges as the words of a {@link BitSet}
 * (bit {@code i * N + j} = edge i &rarr; j over all N units, inputs and the bias unit first), so that a configuration's
 * JSON carries it.
 *
 * @param inputs  data inputs (the bias unit not counted)
 * @param hidden  hidden units
 * @param outputs output units
 * @param edges   the edge bits' words
 */
public record GivenDirectedGraph(int inputs, int hidden, int outputs, long[] edges) implements DirectedTopologySpec {
    public static final String KIND = "given-directed";

    public GivenDirectedGraph {
        edges = edges.clone();
    }

    /** The spec of a graph that has a bias unit. */
    public static GivenDirectedGraph of(DirectedGraph graph) {
        if (!graph.hasBiasUnit()) {
            throw new IllegalArgumentException("the layer's graph needs a bias unit (DirectedGraph.of(..., true, ...))");
        }
        return new GivenDirectedGraph(graph.inputs() - 1, graph.hidden(), graph.outputs(), graph.edges().toLongArray());
    }

    @Override
    public long[] edges() {
        return edges.clone();
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public DirectedGraph build(int inputs, int hidden, int outputs) {
        if (inputs != this.inputs || hidden != this.hidden || outputs != this.outputs) {
            throw new IllegalArgumentException("the given graph has " + this.inputs + " inputs, " + this.hidden
                    + " hidden and " + this.outputs + " outputs but the layer has " + inputs + ", " + hidden + " and "
                    + outputs + "; the graph and the layer sizes must agree");
        }
        int n = inputs + 1 + hidden + outputs;
        BitSet bits = BitSet.valueOf(edges);
        boolean[][] matrix = new boolean[n][n];
        for (int bit = bits.nextSetBit(0); bit >= 0; bit = bits.nextSetBit(bit + 1)) {
            if (bit >= n * n) {
                throw new IllegalArgumentException("the given graph has an edge beyond its " + n + " units");
            }
            matrix[bit / n][bit % n] = true;
        }
        return DirectedGraph.of(inputs, hidden, outputs, true, matrix);
    }

    @Override
    public Map<String, Object> describe() {
        return Map.of("connectivity", KIND, "edges", BitSet.valueOf(edges).cardinality());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GivenDirectedGraph g && inputs == g.inputs && hidden == g.hidden && outputs == g.outputs
                && Arrays.equals(edges, g.edges);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * inputs + hidden) + outputs) + Arrays.hashCode(edges);
    }

    @Override
    public String toString() {
        return "GivenDirectedGraph[" + inputs + " inputs, " + hidden + " hidden, " + outputs + " outputs, "
                + BitSet.valueOf(edges).cardinality() + " edges]";
    }
}
