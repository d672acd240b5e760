package org.eqp.topology.spec;

import java.util.Map;
import org.eqp.directed.DirectedGraph;

/**
 * The complete directed graph of Farinha et al. (2020): every unit (inputs, a bias unit fixed at 1, hidden, outputs)
 * sends to every hidden and output unit but itself.
 */
public record CompleteDirected() implements DirectedTopologySpec {
    public static final String KIND = "complete-directed";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public DirectedGraph build(int inputs, int hidden, int outputs) {
        return DirectedGraph.complete(inputs, hidden, outputs, true);
    }

    @Override
    public Map<String, Object> describe() {
        return Map.of("connectivity", KIND);
    }
}
