package org.eqp.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class VectorKernelTest {

    @Test
    void multipliesColumnStoredStatesByRowMajorWeightsExactlyOnSmallIntegers() {
        // given S [8 rows, 3] stored column by column and W [3, 5 vectors] row-major (four-vector tiles and a tail),
        // with small integers so that every sum is exact in float32
        int rows = 8;
        int m = 3;
        int np = 5 * VectorKernel.LANES;
        float[] s = new float[m * rows];
        for (int k = 0; k < m; k++) {
            for (int r = 0; r < rows; r++) {
                s[k * rows + r] = r - 2 * k;
            }
        }
        float[] w = new float[m * np];
        for (int k = 0; k < m; k++) {
            for (int j = 0; j < np; j++) {
                w[k * np + j] = (j % 7) - k;
            }
        }
        // when the kernel multiplies them into a row-major product (pre-filled with garbage: it must overwrite)
        float[] out = new float[rows * np];
        java.util.Arrays.fill(out, 99f);
        VectorKernel.multiply(s, rows, m, w, np, out);
        // then it equals the textbook sum over k
        float[] expected = new float[rows * np];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < np; j++) {
                float sum = 0;
                for (int k = 0; k < m; k++) {
                    sum += s[k * rows + r] * w[k * np + j];
                }
                expected[r * np + j] = sum;
            }
        }
        assertArrayEquals(expected, out);
    }
}
