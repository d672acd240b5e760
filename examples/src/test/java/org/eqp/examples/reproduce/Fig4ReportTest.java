package org.eqp.examples.reproduce;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Fig4ReportTest {
    private static final Fig4PSweep.Settings ONE_P = new Fig4PSweep.Settings(new double[] {0.01},
            new SweepRun.Length(10, 1000, 12, 1, true, 2000));

    private static SweepRun.Point at(double p, double onlineError, double spread) {
        return new SweepRun.Point(p, p, onlineError, onlineError, onlineError, onlineError + 0.2, spread, spread,
                Double.NaN);
    }

    @Test
    void aSweepOfOneRunWritesItsRowAndSaysWhyThereIsNoFit(@TempDir Path dir) throws Exception {
        // given the measurements of a single p (a sweep run one p at a time, as long runs are)
        Path report = dir.resolve("report.md");
        // when the report is written
        Fig4PSweep.report(report, ONE_P, 60000, List.of(at(0.01, 0.2057, 0.614)), SeedReference.bundled());
        // then it holds the run's row and explains the missing fit instead of failing
        String md = Files.readString(report);
        assertTrue(md.contains("| 0.01 |"), md);
        assertTrue(md.contains("No line fit") && md.contains("1 run(s)"), md);
        assertFalse(md.contains("r^2 ="), md);
    }

    @Test
    void twoRunsAtDifferentSpreadsGiveTheFitAndItsRSquared(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.md");
        Fig4PSweep.report(report, ONE_P, 60000, List.of(at(0, 0.3606, 0.861), at(0.01, 0.2057, 0.614)),
                SeedReference.bundled());
        String md = Files.readString(report);
        assertTrue(md.contains("**r^2 = 1.000**"), md);
        assertFalse(md.contains("No line fit"), md);
    }

    @Test
    void aOneRunSweepRemovesTheFitPlotOfAnEarlierSweep(@TempDir Path dir) throws Exception {
        // given the outputs of an earlier two-run sweep in the same directory
        Fig4PSweep.writeSweep(List.of(at(0, 0.3606, 0.861), at(0.01, 0.2057, 0.614)), dir);
        assertTrue(Files.exists(dir.resolve("fig4-fit.png")));
        // when a sweep of one p writes there
        Fig4PSweep.writeSweep(List.of(at(0.03, 0.1401, 0.527)), dir);
        // then its CSV holds only its run, and no fit plot is left that would belong to the earlier sweep
        assertFalse(Files.exists(dir.resolve("fig4-fit.png")));
        assertTrue(Files.readString(dir.resolve("fig4.csv")).contains("0.03"));
        assertFalse(Files.readString(dir.resolve("fig4.csv")).contains("0.861"));
    }
}
