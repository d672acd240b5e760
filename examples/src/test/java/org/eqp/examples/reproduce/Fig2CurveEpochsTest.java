package org.eqp.examples.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The fig2 report's learning-curve table shows epochs 1, 2, 5, 10, 20, 50, 100 up to the run's length, and its last. */
class Fig2CurveEpochsTest {
    @Test
    void theTableShowsTheRoundEpochsUpToTheRunsLengthAndItsLast() {
        assertEquals(List.of(1), Fig2Runs.curveEpochs(1));
        assertEquals(List.of(1, 2, 5, 7), Fig2Runs.curveEpochs(7));
        assertEquals(List.of(1, 2, 5, 10), Fig2Runs.curveEpochs(10));
        assertEquals(List.of(1, 2, 5, 10, 20, 50, 100, 271), Fig2Runs.curveEpochs(271));
    }
}
