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
        SmallWorld.Result r = SmallWorld.replace(SIZES, 0.1, 5);
        long adjacent = 30 * 20 + 20 * 20 * 2 + 20 * 5;
        assertEquals(adjacent, r.adjacentConnections());
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
        SmallWorld.Result r = SmallWorld.add(SIZES, 0.1, 7);
        for (Block b : r.topology().blocks()) {
            if (b.adjacent()) {
                assertTrue(b.dense(), "nothing removed from " + b);
            }
        }
        assertEquals(r.adjacentConnections() + r.draws(), connections(r.topology()));
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
}
