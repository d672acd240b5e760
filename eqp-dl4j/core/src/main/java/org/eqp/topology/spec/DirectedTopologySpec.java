package org.eqp.topology.spec;

import org.eqp.directed.DirectedGraph;
import org.nd4j.shade.jackson.annotation.JsonTypeInfo;

/**
 * How the units of a directed EP network are connected (Farinha et al. 2020): the {@link TopologySpec} that builds the
 * {@link DirectedGraph} over the inputs, a bias unit fixed at 1, the hidden units and the outputs. Kinds:
 * {@link CompleteDirected}, {@link GivenDirectedGraph}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, include = JsonTypeInfo.As.PROPERTY, property = "@class")
public interface DirectedTopologySpec extends TopologySpec {

    /**
     * Builds the graph.
     *
     * @param inputs  input units, &gt;= 1 (the bias unit comes on top)
     * @param hidden  hidden units, &gt;= 0
     * @param outputs output units, &gt;= 1
     * @throws IllegalArgumentException when the spec was made for other sizes
     */
    DirectedGraph build(int inputs, int hidden, int outputs);
}
