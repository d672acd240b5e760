package org.eqp.examples.reproduce;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Table 1's report puts the seed's logged run beside ours after epoch 100 and after the epoch our run ended at. */
class Table1ReportTest {

    @Test
    void aTenEpochRowIsComparedWithTheSeedsRunAtEpochTen(@TempDir Path dir) throws Exception {
        // given a layered MNIST row trained 10 epochs (the seed's mnist_5layer_mlff logged 100)
        Table1.Row mnist = new Table1.Row("mnist", "layered", "784-100-100-100-100-100-10", 1000, 12, 10, 0.3606,
                0.5929, 0.861, false, "mnist_5layer_mlff");
        // and a diabetes row trained 100 epochs (the seed's diabetes_5layer_swni logged 10)
        Table1.Row diabetes = new Table1.Row("diabetes", "small-world", "10-10-10-10-10-10-1", 1000, 12, 100, 0.067,
                0.042, 0.943, true, "diabetes_5layer_swni");
        Path report = dir.resolve("report.md");
        // when the report is written
        Table1.report(report, List.of(mnist, diabetes), 10, 100, true, SeedReference.bundled());
        String md = Files.readString(report);
        // then the MNIST row shows the seed after epoch 100 and, last, after our epoch 10 (online 40.227 %, test 40.630 %)
        assertTrue(md.contains("| 15.625 | 13.180 | n/a | 100 | mnist_5layer_mlff (0) | 40.227 / 40.630 (ep 10) |"), md);
        // and the diabetes row, longer than the seed's log, has no seed value at its last epoch
        assertTrue(md.contains("| 0.060 | 0.079 | 0.557 | 10 | diabetes_5layer_swni (0) | n/a |"), md);
        // and the header states both lengths
        assertTrue(md.contains("Run here: 10 epoch(s) for the image rows (cut as the command says), 100 epoch(s) for "
                + "wine and diabetes, persistent particles"), md);
    }

    @Test
    void aReportOfImageRowsOnlyStatesOnlyTheirLength(@TempDir Path dir) throws Exception {
        Table1.Row mnist = new Table1.Row("mnist", "small-world", "784-100-100-100-100-100-10", 1000, 12, 10, 0.0943,
                0.1694, 0.464, false, "mnist_5layer_swni");
        Path report = dir.resolve("report.md");
        Table1.report(report, List.of(mnist), 10, 100, true, SeedReference.bundled());
        String md = Files.readString(report);
        assertTrue(md.contains("Run here: 10 epoch(s) for the image rows (cut as the command says), persistent "
                + "particles,"), md);
        assertFalse(md.contains("wine and diabetes"), md);
        assertTrue(md.contains("| mnist_5layer_swni (0) | 10.130 / 9.420 (ep 10) |"), md);
    }
}
