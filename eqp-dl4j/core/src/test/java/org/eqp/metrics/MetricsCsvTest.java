package org.eqp.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsCsvTest {

    @TempDir
    Path dir;

    private static EpochRecord rec(String run, int epoch) {
        return new EpochRecord(run, epoch, Double.NaN, 0.1 / epoch, 0.125, 0.3333333333333333, 12.5, Double.NaN);
    }

    @Test
    void writesHeaderAndRowsThatReadBackEqual() throws IOException {
        // given
        Path csv = dir.resolve("sub/metrics.csv");
        List<EpochRecord> records = List.of(rec("EP", 1), rec("EP", 2),
                new EpochRecord("back,prop \"x\"", 1, 0.5, 0.25, 0.75, 1e-7, 0.0, 3.25));
        // when
        try (MetricsCsvWriter w = MetricsCsvWriter.open(csv)) {
            for (EpochRecord r : records) {
                w.append(r);
            }
        }
        // then
        List<String> lines = Files.readAllLines(csv);
        assertEquals("run,epoch,train_error_online,train_error,test_error,score,seconds,relax_residual",
                lines.get(0));
        assertEquals("EP,1,NaN,0.1,0.125,0.3333333333333333,12.5,NaN", lines.get(1));
        assertEquals(records, MetricsCsvReader.read(csv));
    }

    @Test
    void formatGivesTheTextThatOpenAndAppendWrite() throws IOException {
        // given two records appended to a new file
        Path csv = dir.resolve("m.csv");
        List<EpochRecord> records = List.of(rec("EP", 1), rec("back,prop", 2));
        try (MetricsCsvWriter w = MetricsCsvWriter.open(csv)) {
            for (EpochRecord r : records) {
                w.append(r);
            }
        }
        // then format gives the same text, and for no record the header alone
        assertEquals(Files.readString(csv), MetricsCsvWriter.format(records));
        assertEquals("run,epoch,train_error_online,train_error,test_error,score,seconds,relax_residual\n",
                MetricsCsvWriter.format(List.of()));
    }

    @Test
    void rowsAreFlushedBeforeClose() throws IOException {
        // given
        Path csv = dir.resolve("m.csv");
        try (MetricsCsvWriter w = MetricsCsvWriter.open(csv)) {
            // when
            w.append(rec("EP", 1));
            // then: visible to another reader while still open
            assertEquals(List.of(rec("EP", 1)), MetricsCsvReader.read(csv));
        }
    }

    @Test
    void reopeningAppendsWithoutSecondHeader() throws IOException {
        // given
        Path csv = dir.resolve("m.csv");
        try (MetricsCsvWriter w = MetricsCsvWriter.open(csv)) {
            w.append(rec("EP", 1));
        }
        // when
        try (MetricsCsvWriter w = MetricsCsvWriter.open(csv)) {
            w.append(rec("EP", 2));
        }
        // then
        assertEquals(List.of(rec("EP", 1), rec("EP", 2)), MetricsCsvReader.read(csv));
        assertEquals(3, Files.readAllLines(csv).size());
    }

    @Test
    void refusesToAppendToForeignFile() throws IOException {
        // given
        Path csv = dir.resolve("other.csv");
        Files.writeString(csv, "a,b\n1,2\n");
        // when / then
        IOException e = assertThrows(IOException.class, () -> MetricsCsvWriter.open(csv));
        assertTrue(e.getMessage().contains("header"));
    }

    @Test
    void malformedRowNamesLine() throws IOException {
        // given
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, MetricsCsv.HEADER + "\nEP,1,NaN,0.1\n");
        // when / then
        IOException e = assertThrows(IOException.class, () -> MetricsCsvReader.read(csv));
        assertTrue(e.getMessage().contains(":2:"), e.getMessage());
    }

    @Test
    void recordRejectsBadValues() {
        assertThrows(IllegalArgumentException.class, () -> rec("EP", 0));
        assertThrows(IllegalArgumentException.class, () -> rec(" ", 1));
        assertThrows(IllegalArgumentException.class,
                () -> new EpochRecord("EP", 1, Double.NaN, 1.5, 0.1, 0, 1, Double.NaN));
        assertThrows(IllegalArgumentException.class,
                () -> new EpochRecord("EP", 1, Double.NaN, 0.1, Double.NaN, 0, 1, Double.NaN));
        assertThrows(IllegalArgumentException.class,
                () -> new EpochRecord("EP", 1, Double.NaN, 0.1, 0.1, 0, -1, Double.NaN));
    }
}
