package org.eqp.topology.spec;

import java.io.Serializable;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;
import org.eqp.topology.Block;
import org.eqp.topology.ConnectionMask;

/**
 * One block of a user-given topology in a serializable form for a layer configuration's JSON: the two layers and,
 * for a masked block, its connections as the words of a {@link BitSet} (bit {@code i * size(to) + j} = connection
 * (i, j)), with the sizes of the two layers it was made for (checked against the layer's nIn, hidden sizes and nOut).
 */
public class BlockSpec implements Serializable {
    private static final long serialVersionUID = 1L;
    private int from;
    private int to;
    private int fromSize;
    private int toSize;
    private long[] connected;

    /** For JSON. */
    public BlockSpec() {
    }

    /** The serializable form of a block. */
    public static BlockSpec of(Block block) {
        BlockSpec spec = new BlockSpec();
        spec.from = block.from();
        spec.to = block.to();
        spec.fromSize = block.dense() ? 0 : block.mask().rows();
        spec.toSize = block.dense() ? 0 : block.mask().columns();
        spec.connected = block.dense() ? null : block.mask().toBitSet().toLongArray();
        return spec;
    }

    /** The block over layers of the given sizes. */
    public Block toBlock(int[] layerSizes) {
        if (from < 0 || to >= layerSizes.length) {
            throw new IllegalArgumentException("the given topology's block " + from + "-" + to + " refers to a layer "
                    + "outside the layer's sizes " + Arrays.toString(layerSizes) + "; the topology and nIn / hidden / "
                    + "nOut must describe the same layers");
        }
        if (connected == null) {
            return new Block(from, to);
        }
        if (fromSize != layerSizes[from] || toSize != layerSizes[to]) {
            throw new IllegalArgumentException("the given topology's mask of block " + from + "-" + to + " is " + fromSize
                    + "x" + toSize + " but the layers have " + layerSizes[from] + " and " + layerSizes[to] + " units "
                    + Arrays.toString(layerSizes) + "; the topology and nIn / hidden / nOut must describe the same layers");
        }
        return new Block(from, to, new ConnectionMask(layerSizes[from], layerSizes[to], BitSet.valueOf(connected)));
    }

    public int getFrom() {
        return from;
    }

    public void setFrom(int from) {
        this.from = from;
    }

    public int getTo() {
        return to;
    }

    public void setTo(int to) {
        this.to = to;
    }

    public int getFromSize() {
        return fromSize;
    }

    public void setFromSize(int fromSize) {
        this.fromSize = fromSize;
    }

    public int getToSize() {
        return toSize;
    }

    public void setToSize(int toSize) {
        this.toSize = toSize;
    }

    public long[] getConnected() {
        return connected == null ? null : connected.clone();
    }

    public void setConnected(long[] connected) {
        this.connected = connected == null ? null : connected.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockSpec c && from == c.from && to == c.to && fromSize == c.fromSize && toSize == c.toSize
                && Arrays.equals(connected, c.connected);
    }

    @Override
    public int hashCode() {
        return Objects.hash(from, to, fromSize, toSize, Arrays.hashCode(connected));
    }
}
