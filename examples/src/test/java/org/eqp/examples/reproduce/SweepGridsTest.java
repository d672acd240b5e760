package org.eqp.examples.reproduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The grids of the two figure-4 sweeps: the journal's p grid and the preprint's numbers of replaced connections. */
class SweepGridsTest {

    @Test
    void pPaperIsTheSeedsTwentyThreeNominalValues() throws Exception {
        // when --p paper is asked for
        double[] grid = Fig4PSweep.grid(List.of("paper"));
        // then it is the p_nominal column of the seed's sweep: 23 values from 0 to 0.078805, rising
        assertEquals(23, grid.length);
        assertEquals(0.0, grid[0]);
        assertEquals(0.0001, grid[1]);
        assertEquals(0.078805, grid[22]);
        for (int i = 1; i < grid.length; i++) {
            assertEquals(true, grid[i] > grid[i - 1], "rising at " + i);
        }
        // and explicit lists still work; a word that is not a number names the fix
        assertArrayEquals(new double[] {0, 0.05}, Fig4PSweep.grid(List.of("0", "0.05")));
        assertEquals("--p takes values of p in [0, 1] separated by commas, or paper (the paper's 23 values); got "
                + "'papr'", assertThrows(IllegalArgumentException.class, () -> Fig4PSweep.grid(List.of("papr")))
                .getMessage());
    }

    @Test
    void nPaperIsTheSeedsSweepScriptAndNegativeNIsRefused() {
        // when --n paper is asked for, then it is sweep_numconns.py's range(0, 200000, 500)
        long[] grid = PreprintFig4.grid(List.of("paper"));
        assertEquals(400, grid.length);
        assertEquals(0, grid[0]);
        assertEquals(500, grid[1]);
        assertEquals(199_500, grid[399]);
        assertArrayEquals(new long[] {0, 10_000}, PreprintFig4.grid(List.of("0", "10000")));
        // a negative n or a word names the fix
        for (String bad : List.of("-5", "1e4", "many")) {
            assertEquals("--n takes numbers of replaced connections, at least 0, separated by commas (or paper: the "
                    + "seed's 0, 500, ..., 199500); got '" + bad + "'", assertThrows(IllegalArgumentException.class,
                    () -> PreprintFig4.grid(List.of("0", bad))).getMessage());
        }
    }

    @Test
    void tooManyReplacementsForTheNetworkNameTheLargestAllowed() {
        // 784-500x3-10 with its hidden layers connected within: 784*500 + 2*500*500 + 500*10 + 3 * 500*499/2 connections
        long connections = 784L * 500 + 2L * 500 * 500 + 500L * 10 + 3L * 500 * 499 / 2;
        PreprintFig4.check(new long[] {0, connections}, 784, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PreprintFig4.check(new long[] {0, connections + 1}, 784, 10));
        assertEquals(true, e.getMessage().startsWith("the number of replacements must lie in [0, " + connections + "]"),
                e.getMessage());
    }
}
