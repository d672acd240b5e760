package org.eqp.topology.spec;

import java.util.Map;
import org.eqp.topology.BuiltTopology;
import org.eqp.topology.SmallWorld;

/**
 * The layered network plus layer-skipping connections: for each adjacent-layer connection, with probability p, one
 * random pair of units at least two layers apart is connected; nothing is removed ({@link SmallWorld#add}).
 *
 * @param p    probability of adding a skip connection per adjacent connection, in [0, 1]
 * @param seed seeds the draws
 */
public record SmallWorldAdd(double p, long seed) implements SymmetricTopologySpec {
    public static final String KIND = "small-world-add";

    public SmallWorldAdd {
        SmallWorldReplace.requireProbability(p);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public BuiltTopology build(int[] layerSizes) {
        return SmallWorld.add(layerSizes, p, seed);
    }

    @Override
    public Map<String, Object> describe() {
        return SmallWorldReplace.describe(KIND, p);
    }

    @Override
    public SymmetricTopologySpec withSeed(long newSeed) {
        return new SmallWorldAdd(p, newSeed);
    }
}
