package org.eqp.topology.spec;

import java.util.Map;
import org.eqp.topology.BuiltTopology;
import org.eqp.topology.Topology;

/** Dense blocks between adjacent layers only: the layered network of Scellier and Bengio (2017). */
public record Layered() implements SymmetricTopologySpec {
    public static final String KIND = "layered";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public BuiltTopology build(int[] layerSizes) {
        return BuiltTopology.asGiven(Topology.layered(layerSizes));
    }

    @Override
    public Map<String, Object> describe() {
        return Map.of("connectivity", KIND);
    }
}
