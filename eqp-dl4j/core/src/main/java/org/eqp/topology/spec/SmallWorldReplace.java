package org.eqp.topology.spec;

import java.util.LinkedHashMap;
import java.util.Map;
import org.eqp.topology.BuiltTopology;
import org.eqp.topology.SmallWorld;

/**
 * The journal's small-world network (Gammell et al. 2021, "SW"): each adjacent-layer connection is, with probability
 * p, moved to a random pair of units at least two layers apart ({@link SmallWorld#replace}).
 *
 * @param p    probability of moving each adjacent connection, in [0, 1]
 * @param seed seeds the draws
 */
public record SmallWorldReplace(double p, long seed) implements SymmetricTopologySpec {
    public static final String KIND = "small-world";

    public SmallWorldReplace {
        requireProbability(p);
    }

    static void requireProbability(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("the small-world probability p must lie in [0, 1]; got " + p);
        }
    }

    static Map<String, Object> describe(String kind, double p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connectivity", kind);
        m.put("p", p);
        return m;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public BuiltTopology build(int[] layerSizes) {
        return SmallWorld.replace(layerSizes, p, seed);
    }

    @Override
    public Map<String, Object> describe() {
        return describe(KIND, p);
    }

    @Override
    public SymmetricTopologySpec withSeed(long newSeed) {
        return new SmallWorldReplace(p, newSeed);
    }
}
