package org.eqp.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class VectorKernelTest {

    @Test
    void multipliesRowMajorStatesByRowMajorWeightsExactlyOnSmallIntegers() {
        // given S [8 rows, 3] row-major with a row stride of 5 and W [3, 5 vectors] row-major (four-vector tiles and a
        // tail), with small integers so that every sum is exact in float32
        int rows = 8;
        int m = 3;
        int sw = 5;
        int np = 5 * VectorKernel.LANES;
        float[] s = new float[rows * sw];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < m; k++) {
                s[r * sw + k] = r - 2 * k;
            }
        }
        float[] w = new float[m * np];
        for (int k = 0; k < m; k++) {
            for (int j = 0; j < np; j++) {
                w[k * np + j] = (j % 7) - k;
            }
        }
        // when the kernel adds the product to zeros, then adds it again
        float[] out = new float[rows * np];
        VectorKernel.multiply(s, sw, rows, m, w, np, out, 0, np);
        float[] twice = out.clone();
        VectorKernel.multiply(s, sw, rows, m, w, np, twice, 0, np);
        // then it equals the textbook sum over k, and twice that
        float[] expected = new float[rows * np];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < np; j++) {
                float sum = 0;
                for (int k = 0; k < m; k++) {
                    sum += s[r * sw + k] * w[k * np + j];
                }
                expected[r * np + j] = sum;
            }
        }
        assertArrayEquals(expected, out);
        for (int i = 0; i < expected.length; i++) {
            expected[i] *= 2;
        }
        assertArrayEquals(expected, twice);
    }

    @Test
    void aColumnRangeWritesThoseColumnsOnlyAndTheSameFloatsAsTheWholeProduct() {
        // given random states and weights, 5 vectors of columns
        int rows = 4;
        int m = 37;
        int np = 5 * VectorKernel.LANES;
        Random random = new Random(3);
        float[] s = new float[rows * m];
        float[] w = new float[m * np];
        for (int i = 0; i < s.length; i++) {
            s[i] = random.nextFloat();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        float[] whole = new float[rows * np];
        VectorKernel.multiply(s, m, rows, m, w, np, whole, 0, np);
        // when only vectors 1..4 are computed (one-vector tail tiles where the whole product used four-vector tiles)
        float[] part = new float[rows * np];
        int from = VectorKernel.LANES;
        int to = 4 * VectorKernel.LANES;
        VectorKernel.multiply(s, m, rows, m, w, np, part, from, to);
        // then those columns hold bit-identical floats and the others are untouched (zero)
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < np; j++) {
                float expected = j >= from && j < to ? whole[r * np + j] : 0f;
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(part[r * np + j]),
                        "row " + r + ", column " + j);
            }
        }
    }
}
