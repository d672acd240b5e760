package org.eqp.examples.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LinearFitTest {

    @Test
    void anExactLineHasRSquaredOne() {
        LinearFit fit = LinearFit.of(new double[] {0, 1, 2}, new double[] {1, 3, 5});
        assertEquals(1, fit.intercept(), 1e-12);
        assertEquals(2, fit.slope(), 1e-12);
        assertEquals(1, fit.r2(), 1e-12);
        assertEquals(7, fit.at(3), 1e-12);
    }

    @Test
    void rSquaredOfAHandComputedExample() {
        // x 0,1,2,3; y 0,2,1,3: slope 4/5 = 0.8, intercept 1.5 - 0.8 * 1.5 = 0.3, SS_res 1.8, SS_tot 5 -> r2 0.64
        LinearFit fit = LinearFit.of(new double[] {0, 1, 2, 3}, new double[] {0, 2, 1, 3});
        assertEquals(0.8, fit.slope(), 1e-12);
        assertEquals(0.3, fit.intercept(), 1e-12);
        assertEquals(0.64, fit.r2(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> LinearFit.of(new double[] {1, 1}, new double[] {0, 1}));
    }

    @Test
    void aSingleRunOrOneRepeatedXHasNoLineButMismatchedCountsAreAnError() {
        assertTrue(LinearFit.ifDefined(new double[] {0.7}, new double[] {0.3}).isEmpty());
        assertTrue(LinearFit.ifDefined(new double[] {0.7, 0.7}, new double[] {0.3, 0.2}).isEmpty());
        assertEquals(2, LinearFit.ifDefined(new double[] {0, 1}, new double[] {1, 3}).orElseThrow().slope(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> LinearFit.ifDefined(new double[] {0, 1}, new double[] {1}));
    }
}
