package org.eqp.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class GemmSiteTest {

    private static INDArray random(long rows, long cols, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, rows, cols).dup('f');
    }

    /** Runs the site and Nd4j.gemm from the same starting C and checks the results are bit-identical. */
    private static void assertSameAsNd4j(GemmSite site, INDArray a, INDArray b, INDArray c, boolean tA, boolean tB,
                                         double alpha, double beta) {
        INDArray expected = c.dup('f');
        Nd4j.gemm(a, b, expected, tA, tB, alpha, beta);
        assertSame(c, site.run(a, b, c, alpha, beta));
        assertArrayEquals(expected.data().asFloat(), c.data().asFloat(), "alpha " + alpha + ", beta " + beta);
    }

    @Test
    void repeatedCallsWithChangingScalarsAndArraysMatchNd4jGemmBitForBit() {
        // given a transposed-A site (the weight-gradient shape: [20 x 7]^T x [20 x 5] -> [7 x 5])
        GemmSite site = new GemmSite(true, false);
        INDArray a = random(20, 7, 1);
        INDArray b = random(20, 5, 2);
        INDArray c = random(7, 5, 3);
        // when it runs with one alpha and beta, again with the same, with others (the random sign of beta flips
        // alpha), and on new arrays; then every result equals Nd4j.gemm's
        assertSameAsNd4j(site, a, b, c, true, false, -0.5, 0.0);
        assertSameAsNd4j(site, a, b, c, true, false, -0.5, 0.0);
        assertSameAsNd4j(site, a, b, c, true, false, 0.5, 1.0);
        assertSameAsNd4j(site, a, random(20, 5, 4), c, true, false, 2.0, 1.0);
        assertSameAsNd4j(site, random(20, 7, 5), b, random(7, 5, 6), true, false, 1.0, 0.0);
    }

    @Test
    void aTransposedBSiteMatchesNd4jGemm() {
        GemmSite site = new GemmSite(false, true);
        assertSameAsNd4j(site, random(4, 6, 7), random(3, 6, 8), random(4, 3, 9), false, true, 1.0, 1.0);
    }

    @Test
    void aViewAsOutputIsRefused() {
        INDArray wide = random(7, 10, 10);
        INDArray view = wide.get(NDArrayIndex.interval(1, 4), NDArrayIndex.all());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GemmSite(false, false).run(random(3, 2, 11), random(2, 10, 12), view, 1.0, 0.0));
        assertTrue(e.getMessage().contains("must not be a view"), e.getMessage());
    }
}
