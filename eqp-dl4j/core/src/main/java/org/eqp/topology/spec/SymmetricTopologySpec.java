package org.eqp.topology.spec;

import java.util.List;
import org.eqp.topology.BuiltTopology;
import org.eqp.topology.Topology;
import org.nd4j.shade.jackson.annotation.JsonTypeInfo;

/**
 * How the units of a layered Hopfield network (symmetric weights) are connected: the {@link TopologySpec} that builds
 * the {@link Topology} for given layer sizes. The same spec and sizes always build the same topology: generated kinds
 * carry their seed.
 *
 * <p>Kinds: {@link Layered}, {@link SmallWorldReplace} and {@link SmallWorldAdd} (Gammell et al. 2021),
 * {@link SmallWorldIntralayer} (Gammell et al. 2020, Algorithm 1), {@link CustomMasks} (any blocks and masks).
 * A new kind is one class implementing this interface (plus a line in {@link #parse} to reach the command line).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, include = JsonTypeInfo.As.PROPERTY, property = "@class")
public interface SymmetricTopologySpec extends TopologySpec {

    /**
     * Builds the topology over layers of the given sizes.
     *
     * @param layerSizes input, hidden layers bottom first, output; each at least 1
     */
    BuiltTopology build(int[] layerSizes);

    /** The same kind generated from another seed (kinds without randomness return themselves). */
    default SymmetricTopologySpec withSeed(long seed) {
        return this;
    }

    /**
     * The initial scale a of layer-skipping and intralayer weights, U[-a, a], when the layer does not set one: the
     * journal's rule (the mean Glorot bound of the adjacent layer pairs, {@link Topology#defaultSkipInitScale()}).
     */
    default double defaultSkipInitScale(Topology built) {
        return built.defaultSkipInitScale();
    }

    /** The kinds {@link #parse} knows, in the command line's spelling. */
    static List<String> kinds() {
        return List.of(Layered.KIND, SmallWorldReplace.KIND, SmallWorldAdd.KIND, SmallWorldIntralayer.KIND);
    }

    /**
     * A generated kind from its command-line spelling ({@code --topology KIND --p P --replacements N}); each kind reads
     * the knob it needs.
     *
     * @throws IllegalArgumentException for an unknown kind (listing the known ones) or an invalid knob
     */
    static SymmetricTopologySpec parse(String kind, double p, long replacements, long seed) {
        return switch (kind) {
            case Layered.KIND -> new Layered();
            case SmallWorldReplace.KIND -> new SmallWorldReplace(p, seed);
            case SmallWorldAdd.KIND -> new SmallWorldAdd(p, seed);
            case SmallWorldIntralayer.KIND -> new SmallWorldIntralayer(replacements, seed);
            default -> throw new IllegalArgumentException("unknown topology '" + kind + "'; use one of "
                    + String.join(", ", kinds()));
        };
    }
}
