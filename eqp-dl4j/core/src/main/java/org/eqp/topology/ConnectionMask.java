package org.eqp.topology;

import java.util.BitSet;

/**
 * Which of the {@code rows x columns} possible connections of a block exist: connection (i, j) joins unit i of the
 * block's lower layer and unit j of its upper layer. Immutable.
 */
public final class ConnectionMask {
    private final int rows;
    private final int columns;
    private final BitSet bits;

    /** A mask with the given connections set (the bit set is copied; bit i * columns + j is connection (i, j)). */
    public ConnectionMask(int rows, int columns, BitSet bits) {
        if (rows < 1 || columns < 1) {
            throw new IllegalArgumentException("a mask needs at least one row and one column; got " + rows + "x" + columns);
        }
        if (bits.length() > (long) rows * columns) {
            throw new IllegalArgumentException("mask bit " + (bits.length() - 1) + " lies outside " + rows + "x" + columns);
        }
        this.rows = rows;
        this.columns = columns;
        this.bits = (BitSet) bits.clone();
    }

    /** A mask from a boolean matrix {@code connected[i][j]} (rectangular). */
    public static ConnectionMask of(boolean[][] connected) {
        int rows = connected.length;
        int columns = rows == 0 ? 0 : connected[0].length;
        BitSet bits = new BitSet();
        for (int i = 0; i < rows; i++) {
            if (connected[i].length != columns) {
                throw new IllegalArgumentException("the mask matrix must be rectangular; row " + i + " has "
                        + connected[i].length + " entries, row 0 has " + columns);
            }
            for (int j = 0; j < columns; j++) {
                if (connected[i][j]) {
                    bits.set(i * columns + j);
                }
            }
        }
        return new ConnectionMask(rows, columns, bits);
    }

    /** Every pair of distinct units of one layer of {@code n} units (no unit with itself): the preprint's intralayer mask. */
    public static ConnectionMask allPairsWithin(int n) {
        BitSet bits = new BitSet();
        bits.set(0, n * n);
        for (int i = 0; i < n; i++) {
            bits.clear(i * n + i);
        }
        return new ConnectionMask(n, n, bits);
    }

    /** True for a square mask with (i, j) set exactly when (j, i) is, and no (i, i). */
    public boolean symmetricWithZeroDiagonal() {
        if (rows != columns) {
            return false;
        }
        for (int bit = bits.nextSetBit(0); bit >= 0; bit = bits.nextSetBit(bit + 1)) {
            int i = bit / columns;
            int j = bit % columns;
            if (i == j || !connected(j, i)) {
                return false;
            }
        }
        return true;
    }

    public int rows() {
        return rows;
    }

    public int columns() {
        return columns;
    }

    /** Whether unit i of the lower layer and unit j of the upper layer are connected. */
    public boolean connected(int i, int j) {
        return bits.get(i * columns + j);
    }

    /** The connections as a copy of the bit set: bit {@code i * columns + j} is connection (i, j). */
    public BitSet toBitSet() {
        return (BitSet) bits.clone();
    }

    /** Number of existing connections. */
    public int count() {
        return bits.cardinality();
    }

    /** The mask as 0/1 floats in column-major ('f') order: element (i, j) at {@code j * rows + i}. */
    public float[] toFortranOrderFloats() {
        float[] out = new float[rows * columns];
        for (int bit = bits.nextSetBit(0); bit >= 0; bit = bits.nextSetBit(bit + 1)) {
            int i = bit / columns;
            int j = bit % columns;
            out[j * rows + i] = 1f;
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectionMask m && rows == m.rows && columns == m.columns && bits.equals(m.bits);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + columns) + bits.hashCode();
    }

    @Override
    public String toString() {
        return "ConnectionMask[" + rows + "x" + columns + ", " + count() + " connections]";
    }
}
