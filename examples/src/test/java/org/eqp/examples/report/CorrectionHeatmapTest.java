package org.eqp.examples.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CorrectionHeatmapTest {

    @Test
    void oneBarelyTrainedCellDoesNotSetTheBottomOfTheColourScale() {
        // given 100 non-zero cells: one at 1e-15 (a tile with a single untrained skip connection), the others 1..99,
        // plus empty cells, summed over tiles of 4 unit pairs
        double[][] sums = new double[11][11];
        sums[0][0] = 4e-15;
        for (int c = 1; c < 100; c++) {
            sums[c / 10][c % 10] = 4.0 * c;
        }
        // then the floor is the 2nd percentile (nearest rank 2 of 100) of the cell means, not the smallest cell
        assertEquals(1.0, CorrectionHeatmap.colourFloor(sums, 4), 0.0);
    }

    @Test
    void anAllZeroMapIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> CorrectionHeatmap.colourFloor(new double[3][3], 1));
    }
}
