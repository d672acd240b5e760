package org.eqp.topology.spec;

import java.util.LinkedHashMap;
import java.util.Map;
import org.eqp.topology.BuiltTopology;
import org.eqp.topology.SmallWorld;
import org.eqp.topology.Topology;

/**
 * The preprint's topology (Gammell et al. 2020, Algorithm 1): every pair of units within each hidden layer connected,
 * then {@code replacements} existing connections moved to random layer-skipping pairs
 * ({@link SmallWorld#intralayerReplace}, which reports the equivalent p). Intralayer and skip weights start
 * U[-0.05, 0.05] (the preprint, §4.3) unless the layer sets its own scale.
 *
 * @param replacements n, the connections moved, &gt;= 0 (at most the connections of the starting network)
 * @param seed         seeds the moves
 */
public record SmallWorldIntralayer(long replacements, long seed) implements SymmetricTopologySpec {
    public static final String KIND = "small-world-intralayer";

    /** The preprint's initial scale of intralayer and layer-skipping weights, U[-0.05, 0.05]. */
    public static final double PREPRINT_SKIP_INIT_SCALE = 0.05;

    public SmallWorldIntralayer {
        if (replacements < 0) {
            throw new IllegalArgumentException("the number of replaced connections must be >= 0; got " + replacements);
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public BuiltTopology build(int[] layerSizes) {
        return SmallWorld.intralayerReplace(layerSizes, replacements, seed);
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connectivity", KIND);
        m.put("replacements", replacements);
        return m;
    }

    @Override
    public SymmetricTopologySpec withSeed(long newSeed) {
        return new SmallWorldIntralayer(replacements, newSeed);
    }

    @Override
    public double defaultSkipInitScale(Topology built) {
        return PREPRINT_SKIP_INIT_SCALE;
    }
}
