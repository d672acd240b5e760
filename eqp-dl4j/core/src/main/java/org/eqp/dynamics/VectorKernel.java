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
 * 4-row x 4-vector tile of the product in registers over the whole k loop. Measured on the reference machine
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
     * {@code out[r * np + j] = sum_k s[k * rows + r] * w[k * np + j]} for every r < rows, j < np: the product of the
     * states S [rows, m] (stored column by column, as ND4J's 'f' order) and W [m, np] (row-major).
     *
     * @param s    states, length ≥ m * rows, element (r, k) at {@code k * rows + r}
     * @param rows batch rows, a multiple of {@link #ROWS}
     * @param m    inner dimension (units of the source layer)
     * @param w    weights, length ≥ m * np, element (k, j) at {@code k * np + j}
     * @param np   output columns, a multiple of {@link #LANES} (padding columns of w are zero)
     * @param out  product, length ≥ rows * np, row-major; overwritten
     */
    static void multiply(float[] s, int rows, int m, float[] w, int np, float[] out) {
        int wide = 4 * LANES;
        for (int r = 0; r < rows; r += ROWS) {
            int j = 0;
            for (; j + wide <= np; j += wide) {
                fourVectorTile(s, rows, r, m, w, np, j, out);
            }
            for (; j < np; j += LANES) {
                oneVectorTile(s, rows, r, m, w, np, j, out);
            }
        }
    }

    /** Rows r..r+3, columns j..j+4*LANES-1: 16 accumulators held in registers over k. */
    private static void fourVectorTile(float[] s, int rows, int r, int m, float[] w, int np, int j, float[] out) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        for (int k = 0; k < m; k++) {
            int wk = k * np + j;
            FloatVector w0 = FloatVector.fromArray(SPECIES, w, wk);
            FloatVector w1 = FloatVector.fromArray(SPECIES, w, wk + LANES);
            FloatVector w2 = FloatVector.fromArray(SPECIES, w, wk + 2 * LANES);
            FloatVector w3 = FloatVector.fromArray(SPECIES, w, wk + 3 * LANES);
            int sk = k * rows + r;
            FloatVector a = FloatVector.broadcast(SPECIES, s[sk]);
            c00 = w0.fma(a, c00);
            c01 = w1.fma(a, c01);
            c02 = w2.fma(a, c02);
            c03 = w3.fma(a, c03);
            a = FloatVector.broadcast(SPECIES, s[sk + 1]);
            c10 = w0.fma(a, c10);
            c11 = w1.fma(a, c11);
            c12 = w2.fma(a, c12);
            c13 = w3.fma(a, c13);
            a = FloatVector.broadcast(SPECIES, s[sk + 2]);
            c20 = w0.fma(a, c20);
            c21 = w1.fma(a, c21);
            c22 = w2.fma(a, c22);
            c23 = w3.fma(a, c23);
            a = FloatVector.broadcast(SPECIES, s[sk + 3]);
            c30 = w0.fma(a, c30);
            c31 = w1.fma(a, c31);
            c32 = w2.fma(a, c32);
            c33 = w3.fma(a, c33);
        }
        int o = r * np + j;
        store(c00, c01, c02, c03, out, o);
        store(c10, c11, c12, c13, out, o + np);
        store(c20, c21, c22, c23, out, o + 2 * np);
        store(c30, c31, c32, c33, out, o + 3 * np);
    }

    private static void store(FloatVector v0, FloatVector v1, FloatVector v2, FloatVector v3, float[] out, int o) {
        v0.intoArray(out, o);
        v1.intoArray(out, o + LANES);
        v2.intoArray(out, o + 2 * LANES);
        v3.intoArray(out, o + 3 * LANES);
    }

    /** Rows r..r+3, columns j..j+LANES-1 (the columns left over after the four-vector tiles). */
    private static void oneVectorTile(float[] s, int rows, int r, int m, float[] w, int np, int j, float[] out) {
        FloatVector c0 = FloatVector.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0;
        for (int k = 0; k < m; k++) {
            FloatVector wv = FloatVector.fromArray(SPECIES, w, k * np + j);
            int sk = k * rows + r;
            c0 = wv.fma(FloatVector.broadcast(SPECIES, s[sk]), c0);
            c1 = wv.fma(FloatVector.broadcast(SPECIES, s[sk + 1]), c1);
            c2 = wv.fma(FloatVector.broadcast(SPECIES, s[sk + 2]), c2);
            c3 = wv.fma(FloatVector.broadcast(SPECIES, s[sk + 3]), c3);
        }
        int o = r * np + j;
        c0.intoArray(out, o);
        c1.intoArray(out, o + np);
        c2.intoArray(out, o + 2 * np);
        c3.intoArray(out, o + 3 * np);
    }
}
