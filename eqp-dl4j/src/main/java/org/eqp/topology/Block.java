package org.eqp.topology;

/**
 * A dense block of symmetric connections between every unit of layer {@code from} and every unit of
 * layer {@code to} ({@code from < to}). Its weight matrix has shape {@code [size(from), size(to)]}:
 * entry (i, j) is the weight W_ij = W_ji between unit i of {@code from} and unit j of {@code to}.
 *
 * @param from index of the lower layer (0 = the clamped input layer)
 * @param to   index of the upper layer
 */
public record Block(int from, int to) {
    public Block {
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException("A block connects a lower layer to a strictly higher one; got from="
                    + from + ", to=" + to);
        }
    }

    /** True when the lower end is the clamped input layer, whose drive is constant during relaxation. */
    public boolean fromInput() {
        return from == 0;
    }
}
