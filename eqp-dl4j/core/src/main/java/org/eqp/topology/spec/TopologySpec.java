package org.eqp.topology.spec;

import java.io.Serializable;
import java.util.Map;
import org.nd4j.shade.jackson.annotation.JsonTypeInfo;

/**
 * How the units of an EP network are connected, as a small immutable value that a layer configuration stores
 * (JSON-polymorphic by class name, as DL4J stores its {@code IUpdater}s) and that command lines, searches and reports
 * read. Two families: {@link SymmetricTopologySpec} builds the blocks of a layered Hopfield network with symmetric
 * weights (layered, small-world, custom masks; {@link org.eqp.dl4j.conf.EpOutputLayer}), and
 * {@link DirectedTopologySpec} builds a directed graph with asymmetric weights (DEEP, vector-field EP;
 * {@link org.eqp.dl4j.conf.DirectedEpOutputLayer}). A new kind is one class implementing one of them.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, include = JsonTypeInfo.As.PROPERTY, property = "@class")
public interface TopologySpec extends Serializable {

    /** The kind's name as the command line, search configs and reports spell it, e.g. {@code small-world}. */
    String kind();

    /**
     * The kind and its knobs for reports ({@code summary.json}): {@code connectivity} = {@link #kind()}, then the
     * knobs under their command-line names (e.g. {@code p}); the seed is left out (runs report their own).
     */
    Map<String, Object> describe();
}
