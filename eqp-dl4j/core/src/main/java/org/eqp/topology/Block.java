package org.eqp.topology;

/**
 * A block of symmetric connections between units of layer {@code from} and units of layer {@code to}
 * ({@code from <= to}). Its weight matrix has shape {@code [size(from), size(to)]}: entry (i, j) is the weight
 * W_ij = W_ji between unit i of {@code from} and unit j of {@code to}. With a {@link ConnectionMask}, only the
 * masked-in entries exist (the others stay zero); without one the block is dense.
 *
 * <p>An <em>intralayer</em> block ({@code from == to}, a non-input layer) joins units of the same layer (the earlier
 * preprint's topology, Gammell et al. 2020). Its matrix is square and symmetric with a zero diagonal, so it always has
 * a mask: entries (i, j) and (j, i) both hold the one weight of the pair, which enters the energy once
 * (E contains -1/2 rho_l^T W_ll rho_l).
 *
 * @param from index of the lower layer (0 = the clamped input layer)
 * @param to   index of the upper layer (equal to {@code from} for an intralayer block)
 * @param mask which connections exist, or null for all of them
 */
public record Block(int from, int to, ConnectionMask mask) {
    public Block {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("A block connects a lower layer to a higher one or a layer to itself; got "
                    + "from=" + from + ", to=" + to);
        }
        if (from == to) {
            if (from == 0) {
                throw new IllegalArgumentException("The clamped input layer cannot have intralayer connections");
            }
            if (mask == null || !mask.symmetricWithZeroDiagonal()) {
                throw new IllegalArgumentException("An intralayer block (layer " + from + ") needs a symmetric mask with a "
                        + "zero diagonal (no unit connects to itself); see ConnectionMask.allPairsWithin");
            }
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

    /** True for connections within one layer. */
    public boolean intralayer() {
        return from == to;
    }

    public boolean dense() {
        return mask == null;
    }
}
