package org.eqp.topology.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eqp.topology.BuiltTopology;
import org.eqp.topology.Topology;

/**
 * A user-given topology: any blocks and connection masks (e.g. from {@link Topology#of}), stored block by block so
 * that a configuration's JSON carries them.
 *
 * @param layerSizes the sizes the topology was made for: input, hidden layers, output
 * @param blocks     its blocks in order
 */
public record CustomMasks(int[] layerSizes, List<BlockSpec> blocks) implements SymmetricTopologySpec {
    public static final String KIND = "custom";

    public CustomMasks {
        Objects.requireNonNull(layerSizes, "layerSizes");
        if (blocks == null || blocks.isEmpty()) {
            throw new IllegalArgumentException("a custom topology needs at least one block");
        }
        layerSizes = layerSizes.clone();
        blocks = List.copyOf(blocks);
    }

    /** The spec of a given topology. */
    public static CustomMasks of(Topology topology) {
        return new CustomMasks(topology.layerSizes(), topology.blocks().stream().map(BlockSpec::of).toList());
    }

    @Override
    public int[] layerSizes() {
        return layerSizes.clone();
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** @throws IllegalArgumentException unless the sizes are the ones the topology was made for */
    @Override
    public BuiltTopology build(int[] sizes) {
        if (!Arrays.equals(sizes, layerSizes)) {
            throw new IllegalArgumentException("the given topology was made for layer sizes " + Arrays.toString(layerSizes)
                    + " but the layer has " + Arrays.toString(sizes) + "; the topology and nIn / hidden / nOut must "
                    + "describe the same layers");
        }
        return BuiltTopology.asGiven(Topology.of(sizes, blocks.stream().map(b -> b.toBlock(sizes)).toList()));
    }

    @Override
    public Map<String, Object> describe() {
        return Map.of("connectivity", KIND, "blocks", blocks.size());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CustomMasks c && Arrays.equals(layerSizes, c.layerSizes) && blocks.equals(c.blocks);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(layerSizes) + blocks.hashCode();
    }

    @Override
    public String toString() {
        return "CustomMasks" + Arrays.toString(layerSizes) + blocks.size() + " blocks";
    }
}
