package org.eqp.topology;

/**
 * A block of symmetric connections between units of layer {@code from} and units of layer {@code to}
 * ({@code from < to}). Its weight matrix has shape {@code [size(from), size(to)]}: entry (i, j) is the weight
 * W_ij = W_ji between unit i of {@code from} and unit j of {@code to}. With a {@link ConnectionMask}, only the
 * masked-in entries exist (the others stay zero); without one the block is dense.
 *
 * @param from index of the lower layer (0 = the clamped input layer)
 * @param to   index of the upper layer
 * @param mask which connections exist, or null for all of them
 */
public record Block(int from, int to, ConnectionMask mask) {
    public Block {
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException("A block connects a lower layer to a strictly higher one; got from="
                    + from + ", to=" + to);
        }
    }

    /** A dense block. */
    public Block(int from, int to) {
        this(from, to, null);
    }

    /** True when the lower end is the clamped input layer, whose drive is constant during relaxation. */
    public boolean fromInput() {
        return from == 0;
    }

    /** True for a block between neighbouring layers (the layered network's blocks). */
    public boolean adjacent() {
        return to == from + 1;
    }

    public boolean dense() {
        return mask == null;
    }
}
