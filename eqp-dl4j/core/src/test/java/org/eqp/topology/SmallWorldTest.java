package org.eqp.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SmallWorldTest {
    private static final int[] SIZES = {30, 20, 20, 20, 5};

    private static long connections(Topology t) {
        long n = 0;
        for (Block b : t.blocks()) {
            n += t.connectionCount(b);
        }
        return n;
    }

    @Test
    void replaceMovesAboutAFractionPOfTheConnectionsAndKeepsTheirNumber() {
        BuiltTopology r = SmallWorld.replace(SIZES, 0.1, 5);
        long adjacent = 30 * 20 + 20 * 20 * 2 + 20 * 5;
        assertEquals(adjacent, r.originalConnections());
        // binomial(1500, 0.1): mean 150, sd 11.6
        assertTrue(Math.abs(r.achievedP() - 0.1) < 0.035, "achieved p " + r.achievedP());
        assertEquals(r.draws() / (double) adjacent, r.achievedP(), 1e-12);
        assertEquals(adjacent, connections(r.topology()), "each removal is matched by one new connection");
    }

    @Test
    void newConnectionsSkipAtLeastOneLayerAndNeverJoinALayerToItself() {
        Topology t = SmallWorld.replace(SIZES, 0.3, 6).topology();
        boolean sawSkip = false;
        boolean sawInputToOutput = false;
        for (Block b : t.blocks()) {
            assertTrue(b.from() < b.to(), "blocks join a lower layer to a higher one: " + b);
            if (!b.adjacent()) {
                sawSkip = true;
                sawInputToOutput |= b.from() == 0 && b.to() == SIZES.length - 1;
                assertTrue(b.to() - b.from() >= 2);
                assertTrue(b.mask().count() > 0);
            }
        }
        assertTrue(sawSkip && sawInputToOutput, "p = 0.3 reaches every pair of layers, input-output included");
    }

    @Test
    void addKeepsEveryAdjacentConnection() {
        BuiltTopology r = SmallWorld.add(SIZES, 0.1, 7);
        for (Block b : r.topology().blocks()) {
            if (b.adjacent()) {
                assertTrue(b.dense(), "nothing removed from " + b);
            }
        }
        assertEquals(r.originalConnections() + r.draws(), connections(r.topology()));
    }

    @Test
    void theSameSeedGivesTheSameNetworkAndPZeroTheLayeredOne() {
        assertEquals(SmallWorld.replace(SIZES, 0.1, 8).topology(), SmallWorld.replace(SIZES, 0.1, 8).topology());
        assertNotEquals(SmallWorld.replace(SIZES, 0.1, 8).topology(), SmallWorld.replace(SIZES, 0.1, 9).topology());
        assertEquals(Topology.layered(SIZES), SmallWorld.replace(SIZES, 0.0, 8).topology());
    }

    @Test
    void badParametersAreRejected() {
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> SmallWorld.replace(SIZES, 1.5, 1));
        assertTrue(p.getMessage().contains("[0, 1]"), p.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SmallWorld.replace(SIZES, -0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> SmallWorld.replace(new int[] {3, 0, 2}, 0.1, 1));
        IllegalArgumentException full = assertThrows(IllegalArgumentException.class,
                () -> SmallWorld.add(new int[] {2, 50, 50, 2}, 1.0, 1));
        assertTrue(full.getMessage().contains("lower p"), full.getMessage());
    }

    @Test
    void preprintTopologyStartsWithEveryHiddenPairConnectedWithinItsLayer() {
        // given no replacements
        BuiltTopology r = SmallWorld.intralayerReplace(SIZES, 0, 1);
        // then the layered blocks are dense, each hidden layer has all its pairs, input and output have none
        long hiddenPairs = 3 * (20 * 19 / 2);
        long adjacent = 30 * 20 + 20 * 20 * 2 + 20 * 5;
        assertEquals(adjacent + hiddenPairs, r.originalConnections());
        assertEquals(r.originalConnections(), r.topology().connectionCount());
        assertEquals(0.0, r.achievedP(), 0.0);
        for (Block b : r.topology().blocks()) {
            if (b.intralayer()) {
                assertTrue(b.from() >= 1 && b.from() <= 3, "intralayer block on a hidden layer only: " + b);
                assertEquals(ConnectionMask.allPairsWithin(20), b.mask());
            } else {
                assertTrue(b.adjacent() && b.dense(), "only layered blocks besides the intralayer ones: " + b);
            }
        }
    }

    @Test
    void preprintReplacementsKeepTheConnectionCountAndReportThePreprintsP() {
        // given n = 300 replacements on 2,070 connections
        BuiltTopology r = SmallWorld.intralayerReplace(SIZES, 300, 2);
        long n = r.originalConnections();
        // then p = 1 - ((N - 1) / N)^n, every move keeps the count, and moved connections skip at least one layer
        assertEquals(1 - Math.pow((n - 1) / (double) n, 300), r.achievedP(), 1e-12);
        assertEquals(n, r.topology().connectionCount());
        long skips = 0;
        for (Block b : r.topology().blocks()) {
            if (b.intralayer()) {
                assertTrue(b.mask().symmetricWithZeroDiagonal(), "one weight per pair, no self-connection");
                assertTrue(b.from() >= 1 && b.from() < SIZES.length - 1, "no input-input or output-output pairs: " + b);
            } else if (!b.adjacent()) {
                assertTrue(b.to() - b.from() >= 2);
                skips += r.topology().connectionCount(b);
            }
        }
        // every replacement that is not later moved again remains a skip connection: at most n, most of them
        assertTrue(skips <= 300 && skips > 250, "skip connections after 300 moves: " + skips);
        assertEquals(r.topology(), SmallWorld.intralayerReplace(SIZES, 300, 2).topology(), "same seed, same network");
    }

    @Test
    void preprintTopologyRejectsImpossibleReplacementCounts() {
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> SmallWorld.intralayerReplace(new int[] {3, 4, 2}, 100, 1));
        assertTrue(tooMany.getMessage().contains("[0, 26]"), tooMany.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SmallWorld.intralayerReplace(SIZES, -1, 1));
    }
}
