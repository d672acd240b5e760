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
        IllegalArgumentException noHidden = assertThrows(IllegalArgumentException.class, () -> Topology.layered(4, 2));
        assertTrue(noHidden.getMessage().contains("hidden"));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> Topology.layered(4, 0, 2));
        assertTrue(empty.getMessage().contains("at least one unit"));
        assertThrows(IllegalArgumentException.class, () -> new Block(2, 1));
    }
}
