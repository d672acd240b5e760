package org.eqp.dynamics;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A single-threaded float32 matrix product written with the Java Vector API (incubating module
 * {@code jdk.incubator.vector}), for the relaxation's small-batch products {@code [batch, m] x [m, n]}.
 *
 * <p>Why not BLAS: a relaxation multiplies the same weights 500 times while only the states change. OpenBLAS
 * repacks the [m, n] weight matrix on every call, which at batch 20 costs about as much as the arithmetic; this kernel
 * reads weights that were laid out once per batch (row-major, rows padded to a whole number of vectors) and keeps a
 * 4-row x 4-vector tile of the product in registers over the whole k loop, adding it straight into the feedback. Measured on the reference machine
 * ({@code ./eqp bench --layouts}): see README "Measured".
 *
 * <p>Load this class only after {@link VectorBlockFeedback#isAvailable()} said yes: without the module on the
 * module path ({@code --add-modules jdk.incubator.vector}) it cannot be linked.
 */
final class VectorKernel {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector (16 with AVX-512, 8 with AVX2). */
    static final int LANES = SPECIES.length();
    /** Rows of the product computed together; callers pad the batch to a multiple of this. */
    static final int ROWS = 4;

    private VectorKernel() {
    }

    /**
     * Columns [from, to) of the product of the states S [rows, m] and the weights W [m, np], both row-major:
     * {@code out[r * np + j] += sum_k s[r * sw + k] * w[k * np + j]} for every r &lt; rows. Each element's sum runs
     * over k in order by fused multiply-adds, starting from the element's current value, so it comes out the same
     * whichever column range it is computed in. (It always adds: a kernel choosing between a zero and a loaded start
     * vector ran 6x slower, as C2 in JDK 17 cannot keep vectors merged from two branches in registers.)
     *
     * @param s    states, element (r, k) at {@code r * sw + k}
     * @param sw   the row stride of s (≥ m)
     * @param rows batch rows, a multiple of {@link #ROWS}
     * @param m    inner dimension (units of the source layer)
     * @param w    weights, element (k, j) at {@code k * np + j}
     * @param np   columns of w and the row stride of out, a multiple of {@link #LANES} (padding columns of w are zero)
     * @param out  sums, element (r, j) at {@code r * np + j}; the product added to columns [from, to)
     * @param from first column, a multiple of {@link #LANES}
     * @param to   one past the last column, a multiple of {@link #LANES}, at most np
     */
    static void multiply(float[] s, int sw, int rows, int m, float[] w, int np, float[] out, int from, int to) {
        int wide = 4 * LANES;
        for (int r = 0; r < rows; r += ROWS) {
            int j = from;
            for (; j + wide <= to; j += wide) {
                fourVectorTile(s, sw, r, m, w, np, j, out);
            }
            for (; j < to; j += LANES) {
                oneVectorTile(s, sw, r, m, w, np, j, out);
            }
        }
    }

    private static FloatVector start(float[] out, int o) {
        return FloatVector.fromArray(SPECIES, out, o);
    }

    /** Rows r..r+3, columns j..j+4*LANES-1: 16 accumulators held in registers over k. */
    private static void fourVectorTile(float[] s, int sw, int r, int m, float[] w, int np, int j, float[] out) {
        int o0 = r * np + j;
        int o1 = o0 + np;
        int o2 = o1 + np;
        int o3 = o2 + np;
        FloatVector c00 = start(out, o0), c01 = start(out, o0 + LANES);
        FloatVector c02 = start(out, o0 + 2 * LANES), c03 = start(out, o0 + 3 * LANES);
        FloatVector c10 = start(out, o1), c11 = start(out, o1 + LANES);
        FloatVector c12 = start(out, o1 + 2 * LANES), c13 = start(out, o1 + 3 * LANES);
        FloatVector c20 = start(out, o2), c21 = start(out, o2 + LANES);
        FloatVector c22 = start(out, o2 + 2 * LANES), c23 = start(out, o2 + 3 * LANES);
        FloatVector c30 = start(out, o3), c31 = start(out, o3 + LANES);
        FloatVector c32 = start(out, o3 + 2 * LANES), c33 = start(out, o3 + 3 * LANES);
        int s0 = r * sw;
        int s1 = s0 + sw;
        int s2 = s1 + sw;
        int s3 = s2 + sw;
        for (int k = 0; k < m; k++) {
            int wk = k * np + j;
            FloatVector w0 = FloatVector.fromArray(SPECIES, w, wk);
            FloatVector w1 = FloatVector.fromArray(SPECIES, w, wk + LANES);
            FloatVector w2 = FloatVector.fromArray(SPECIES, w, wk + 2 * LANES);
            FloatVector w3 = FloatVector.fromArray(SPECIES, w, wk + 3 * LANES);
            FloatVector a = FloatVector.broadcast(SPECIES, s[s0 + k]);
            c00 = w0.fma(a, c00);
            c01 = w1.fma(a, c01);
            c02 = w2.fma(a, c02);
            c03 = w3.fma(a, c03);
            a = FloatVector.broadcast(SPECIES, s[s1 + k]);
            c10 = w0.fma(a, c10);
            c11 = w1.fma(a, c11);
            c12 = w2.fma(a, c12);
            c13 = w3.fma(a, c13);
            a = FloatVector.broadcast(SPECIES, s[s2 + k]);
            c20 = w0.fma(a, c20);
            c21 = w1.fma(a, c21);
            c22 = w2.fma(a, c22);
            c23 = w3.fma(a, c23);
            a = FloatVector.broadcast(SPECIES, s[s3 + k]);
            c30 = w0.fma(a, c30);
            c31 = w1.fma(a, c31);
            c32 = w2.fma(a, c32);
            c33 = w3.fma(a, c33);
        }
        store(c00, c01, c02, c03, out, o0);
        store(c10, c11, c12, c13, out, o1);
        store(c20, c21, c22, c23, out, o2);
        store(c30, c31, c32, c33, out, o3);
    }

    private static void store(FloatVector v0, FloatVector v1, FloatVector v2, FloatVector v3, float[] out, int o) {
        v0.intoArray(out, o);
        v1.intoArray(out, o + LANES);
        v2.intoArray(out, o + 2 * LANES);
        v3.intoArray(out, o + 3 * LANES);
    }

    /** Rows r..r+3, columns j..j+LANES-1 (the columns left over after the four-vector tiles). */
    private static void oneVectorTile(float[] s, int sw, int r, int m, float[] w, int np, int j, float[] out) {
        int o0 = r * np + j;
        FloatVector c0 = start(out, o0);
        FloatVector c1 = start(out, o0 + np);
        FloatVector c2 = start(out, o0 + 2 * np);
        FloatVector c3 = start(out, o0 + 3 * np);
        int s0 = r * sw;
        for (int k = 0; k < m; k++) {
            FloatVector wv = FloatVector.fromArray(SPECIES, w, k * np + j);
            c0 = wv.fma(FloatVector.broadcast(SPECIES, s[s0 + k]), c0);
            c1 = wv.fma(FloatVector.broadcast(SPECIES, s[s0 + sw + k]), c1);
            c2 = wv.fma(FloatVector.broadcast(SPECIES, s[s0 + 2 * sw + k]), c2);
            c3 = wv.fma(FloatVector.broadcast(SPECIES, s[s0 + 3 * sw + k]), c3);
        }
        c0.intoArray(out, o0);
        c1.intoArray(out, o0 + np);
        c2.intoArray(out, o0 + 2 * np);
        c3.intoArray(out, o0 + 3 * np);
    }
}
