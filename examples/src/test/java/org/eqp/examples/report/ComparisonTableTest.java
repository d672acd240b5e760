package org.eqp.examples.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ComparisonTableTest {

    @Test
    void formatsTwoRunsWithRatio() {
        // given
        ComparisonTable table = new ComparisonTable()
                .addRow("EP", 0.025, 0.0125, 12.0)
                .addRow("backprop", 0.02, 0.005, 3.0);
        // when
        String text = table.format();
        // then
        assertEquals(""
                + "run       test err %  train err %  s/epoch\n"
                + "EP              2.50         1.25    12.00\n"
                + "backprop        2.00         0.50     3.00\n"
                + "s/epoch ratio EP / backprop: 4.00x\n", text);
    }

    @Test
    void singleRunHasNoRatioAndNaNPrintsNa() {
        // given
        ComparisonTable table = new ComparisonTable().addRow("EP", 0.5, Double.NaN, 100.25);
        // when
        String text = table.format();
        // then
        assertEquals(""
                + "run  test err %  train err %  s/epoch\n"
                + "EP        50.00          n/a   100.25\n", text);
    }

    @Test
    void rejectsBadRows() {
        assertThrows(IllegalStateException.class, () -> new ComparisonTable().format());
        assertThrows(IllegalArgumentException.class, () -> new ComparisonTable().addRow("EP", 2.5, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ComparisonTable().addRow(" ", 0.5, 0, 1));
    }

    @Test
    void regressionTablesShowMeanSquaredErrors() {
        String text = new ComparisonTable(ComparisonTable.Metric.MSE).addRow("EP", 0.0283, 0.0328, 0.06).format();
        assertEquals("run  test mse  train mse  s/epoch\n"
                + "EP    0.02830    0.03280     0.06\n", text);
    }
}
