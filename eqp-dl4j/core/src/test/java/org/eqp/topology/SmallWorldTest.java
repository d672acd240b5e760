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

    /** Connections of the blocks joining layers at least two apart. */
    private static long skipConnections(Topology t) {
        return t.blocks().stream().filter(b -> !b.adjacent()).mapToLong(t::connectionCount).sum();
    }

    @Test
    void replaceMovesAboutAFractionPOfTheConnectionsAndKeepsTheirNumber() {
        // given the 30-20-20-20-5 network with p = 0.1
        BuiltTopology r = SmallWorld.replace(SIZES, 0.1, 5);
        long adjacent = 30 * 20 + 20 * 20 * 2 + 20 * 5;
        assertEquals(adjacent, r.originalConnections());
        // then, recounted in the built topology, every adjacent connection that is gone reappears as one skipping layers
        long moved = skipConnections(r.topology());
        long adjacentLeft = r.topology().blocks().stream().filter(Block::adjacent)
                .mapToLong(r.topology()::connectionCount).sum();
        assertEquals(adjacent - moved, adjacentLeft, "each removal is matched by one new connection");
        // and the moves number about p of the adjacent connections (binomial(1500, 0.1): mean 150, sd 11.6)
        assertTrue(Math.abs(moved / (double) adjacent - 0.1) < 0.035, "moved " + moved + " of " + adjacent);
        // and the reported p counts draws: the moves that stayed, plus any draw that put back a connection an earlier
        // draw had removed (its removal then shows nowhere in the topology, see the next test), so it is at least the
        // recounted fraction
        assertTrue(r.achievedP() >= moved / (double) adjacent, "achieved p " + r.achievedP() + ", moved " + moved);
    }

    @Test
    void aDrawCanPutBackAConnectionAnEarlierDrawRemoved() {
        // given three single-unit layers 0-1-2 and p = 1: the only pair two layers apart is 0-2
        BuiltTopology r = SmallWorld.replace(new int[] {1, 1, 1}, 1.0, 9);
        // then connection 0-1 moved to 0-2 and went back into the pool, and the draw for connection 1-2 could only
        // take 0-1 back: two draws (achieved p 1), one connection moved (0-2 joined, 1-2 gone)
        assertEquals(2, r.draws());
        assertEquals(1.0, r.achievedP(), 0.0);
        assertEquals(1, skipConnections(r.topology()));
        assertEquals(2, connections(r.topology()));
        for (Block b : r.topology().blocks()) {
            assertTrue(b.from() == 0, "1-2 is gone, 0-1 and 0-2 remain: " + b);
        }
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
