package org.eqp.topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Who is connected to whom in an EP network: layer sizes (layer 0 is the clamped input, the last layer
 * the output) and the list of {@link Block}s of symmetric connections between layers.
 *
 * <p>The relaxation and the learning rule iterate over {@link #blocks()} and never assume adjacency,
 * so layer-skipping blocks can be added without touching them.
 */
public final class Topology {
    private final int[] layerSizes;
    private final List<Block> blocks;

    private Topology(int[] layerSizes, List<Block> blocks) {
        this.layerSizes = layerSizes.clone();
        this.blocks = List.copyOf(blocks);
    }

    /**
     * The layered (multilayer feed-forward shaped) topology: one dense block between each pair of adjacent
     * layers, input to first hidden layer through last hidden layer to output.
     *
     * @param layerSizes input size, hidden sizes..., output size; every entry at least 1, at least 3 entries
     */
    public static Topology layered(int... layerSizes) {
        requireValidSizes(layerSizes);
        List<Block> blocks = new ArrayList<>();
        for (int l = 0; l + 1 < layerSizes.length; l++) {
            blocks.add(new Block(l, l + 1));
        }
        return new Topology(layerSizes, blocks);
    }

    /**
     * Any set of blocks over the given layers: at most one block per pair of layers, masks of the right shape,
     * intralayer blocks on non-input layers only (their masks symmetric, see {@link Block}).
     *
     * @param layerSizes input size, hidden sizes..., output size
     * @param blocks     the blocks; the relaxation and the parameter layout follow this order
     */
    public static Topology of(int[] layerSizes, List<Block> blocks) {
        requireValidSizes(layerSizes);
        java.util.Set<Long> pairs = new java.util.HashSet<>();
        for (Block b : blocks) {
            if (b.to() >= layerSizes.length) {
                throw new IllegalArgumentException("Block " + b.from() + "-" + b.to() + " refers to a layer beyond the "
                        + layerSizes.length + " layers " + Arrays.toString(layerSizes));
            }
            if (!pairs.add((long) b.from() * layerSizes.length + b.to())) {
                throw new IllegalArgumentException("Two blocks connect layers " + b.from() + " and " + b.to()
                        + "; merge them into one mask");
            }
            if (b.mask() != null && (b.mask().rows() != layerSizes[b.from()] || b.mask().columns() != layerSizes[b.to()])) {
                throw new IllegalArgumentException("The mask of block " + b.from() + "-" + b.to() + " is "
                        + b.mask().rows() + "x" + b.mask().columns() + "; the layers have " + layerSizes[b.from()]
                        + " and " + layerSizes[b.to()] + " units");
            }
        }
        return new Topology(layerSizes, blocks);
    }

    private static void requireValidSizes(int[] layerSizes) {
        if (layerSizes == null || layerSizes.length < 2) {
            throw new IllegalArgumentException("An EP network needs an input size and at least one relaxing layer (an "
                    + "output layer, or the hidden layer a softmax readout reads); got layer sizes "
                    + Arrays.toString(layerSizes) + ". Give at least one hidden size (e.g. hidden = [500]).");
        }
        for (int l = 0; l < layerSizes.length; l++) {
            if (layerSizes[l] < 1) {
                throw new IllegalArgumentException("Layer " + l + " has size " + layerSizes[l]
                        + "; every layer needs at least one unit (layer sizes " + Arrays.toString(layerSizes) + ")");
            }
        }
    }

    /** Number of layers including input and output. */
    public int numLayers() {
        return layerSizes.length;
    }

    /** Index of the output layer. */
    public int outputLayer() {
        return layerSizes.length - 1;
    }

    /** Number of units in layer {@code l}. */
    public int size(int l) {
        return layerSizes[l];
    }

    /** A copy of all layer sizes, input first. */
    public int[] layerSizes() {
        return layerSizes.clone();
    }

    public List<Block> blocks() {
        return blocks;
    }

    /** Number of weights stored for block {@code b} (dense storage: masked-out entries stay zero). */
    public long weightCount(Block b) {
        return (long) layerSizes[b.from()] * layerSizes[b.to()];
    }

    /**
     * The initial weight scale a of layer-skipping connections, drawn from U[-a, a]: the mean over adjacent layer
     * pairs of the Glorot bound sqrt(6 / (n_l + n_{l+1})) (Gammell et al. 2021; 784-500x3-10: 0.0829).
     */
    public double defaultSkipInitScale() {
        double sum = 0;
        for (int l = 0; l + 1 < layerSizes.length; l++) {
            sum += Math.sqrt(6.0 / (layerSizes[l] + layerSizes[l + 1]));
        }
        return sum / (layerSizes.length - 1);
    }

    /**
     * Number of existing connections of block {@code b}; an intralayer block counts each pair of units once (its mask
     * holds both (i, j) and (j, i)).
     */
    public long connectionCount(Block b) {
        long entries = b.dense() ? weightCount(b) : b.mask().count();
        return b.intralayer() ? entries / 2 : entries;
    }

    /** Number of existing connections of the whole network (see {@link #connectionCount(Block)}). */
    public long connectionCount() {
        long n = 0;
        for (Block b : blocks) {
            n += connectionCount(b);
        }
        return n;
    }

    /** Number of non-input (relaxing) units: hidden plus output. */
    public int numStateUnits() {
        int n = 0;
        for (int l = 1; l < layerSizes.length; l++) {
            n += layerSizes[l];
        }
        return n;
    }

    /** Total number of parameters: every block's weights plus one bias per non-input unit. */
    public long numParams() {
        long n = 0;
        for (Block b : blocks) {
            n += weightCount(b);
        }
        return n + numStateUnits();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Topology t && Arrays.equals(layerSizes, t.layerSizes) && blocks.equals(t.blocks);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(layerSizes) + blocks.hashCode();
    }

    @Override
    public String toString() {
        return "Topology" + Arrays.toString(layerSizes) + " blocks=" + blocks;
    }
}
