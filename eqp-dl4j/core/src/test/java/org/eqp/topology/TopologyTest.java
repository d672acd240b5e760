package org.eqp.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopologyTest {

    @Test
    void layeredTopologyConnectsAdjacentLayersOnly() {
        Topology t = Topology.layered(4, 3, 2);
        assertEquals(List.of(new Block(0, 1), new Block(1, 2)), t.blocks());
        assertEquals(4 * 3 + 3 * 2 + 3 + 2, t.numParams());
        assertEquals(5, t.numStateUnits());
        assertEquals(2, t.outputLayer());
    }

    @Test
    void invalidSizesAreRejected() {
        IllegalArgumentException inputOnly = assertThrows(IllegalArgumentException.class, () -> Topology.layered(4));
        assertTrue(inputOnly.getMessage().contains("at least one relaxing layer"));
        // one relaxing layer is a network (the hidden layer a softmax readout reads)
        assertEquals(1, Topology.layered(4, 2).outputLayer());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> Topology.layered(4, 0, 2));
        assertTrue(empty.getMessage().contains("at least one unit"));
        assertThrows(IllegalArgumentException.class, () -> new Block(2, 1));
    }

    @Test
    void intralayerBlocksNeedASymmetricMaskWithoutSelfConnectionsOnANonInputLayer() {
        // a 3-unit hidden layer with all its pairs: three connections, stored twice each
        Block within = new Block(1, 1, ConnectionMask.allPairsWithin(3));
        Topology t = Topology.of(new int[] {2, 3, 1}, List.of(new Block(0, 1), within, new Block(1, 2)));
        assertEquals(3, t.connectionCount(within));
        assertEquals(2 * 3 + 3 + 3, t.connectionCount());
        IllegalArgumentException input = assertThrows(IllegalArgumentException.class,
                () -> new Block(0, 0, ConnectionMask.allPairsWithin(2)));
        assertTrue(input.getMessage().contains("input"), input.getMessage());
        IllegalArgumentException dense = assertThrows(IllegalArgumentException.class, () -> new Block(1, 1));
        assertTrue(dense.getMessage().contains("symmetric"), dense.getMessage());
        IllegalArgumentException oneWay = assertThrows(IllegalArgumentException.class,
                () -> new Block(1, 1, ConnectionMask.of(new boolean[][] {{false, true}, {false, false}})));
        assertTrue(oneWay.getMessage().contains("symmetric"), oneWay.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new Block(1, 1, ConnectionMask.of(new boolean[][] {{true, false}, {false, false}})));
    }
}
