package org.eqp.examples.report;

import org.eqp.metrics.EpochRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryJsonTest {

    @TempDir
    Path dir;

    /** A plain bean, to check that non-Map configs are serialized too. */
    public static final class Cfg {
        public int batchSize = 20;
        public double[] rates = {0.1, 0.05};
    }

    @Test
    void roundTripKeepsAllFields() throws IOException {
        // given
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("beta", 0.5);
        config.put("hidden", List.of(500));
        config.put("nested", Map.of("steps", 20));
        RunSummary baseline = RunSummary.of("mnist", Map.of("lr", 0.1), 3, 0.02, 0.01, 1.5);
        RunSummary summary = RunSummary.of("mnist", config, 3, 0.025, Double.NaN, 12.25)
                .withBaseline(baseline)
                .withExtra(Map.of("git", "abc123", "ratio", 8.0));
        Path file = dir.resolve("out/summary.json");
        // when
        SummaryJsonWriter.write(summary, file);
        RunSummary back = SummaryJsonReader.read(file);
        // then
        assertEquals(summary.dataset(), back.dataset());
        assertEquals(config, back.config());
        assertEquals(3, back.epochs());
        assertEquals(0.025, back.testError());
        assertTrue(Double.isNaN(back.trainError()));
        assertEquals(12.25, back.secondsPerEpoch());
        assertEquals(baseline, back.baseline());
        assertNull(back.baseline().baseline());
        assertEquals(summary.extra(), back.extra());
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temp file left behind");
        }
    }

    @Test
    void writesRequiredFieldNamesAndBeanConfig() throws IOException {
        // given
        RunSummary summary = RunSummary.of("mnist", new Cfg(), 1, 0.5, 0.25, 2.0);
        // when
        String json = SummaryJsonWriter.toJson(summary);
        RunSummary back = SummaryJsonReader.parse(json);
        // then
        for (String field : List.of("\"dataset\"", "\"config\"", "\"epochs\"", "\"test_error\"",
                "\"train_error\"", "\"seconds_per_epoch\"", "\"extra\"")) {
            assertTrue(json.contains(field), field);
        }
        assertEquals(Map.of("batchSize", 20, "rates", List.of(0.1, 0.05)), back.config());
    }

    @Test
    void overwritesExistingFile() throws IOException {
        // given
        Path file = dir.resolve("summary.json");
        SummaryJsonWriter.write(RunSummary.of("a", Map.of(), 1, 0.5, 0.5, 1), file);
        // when
        SummaryJsonWriter.write(RunSummary.of("b", Map.of(), 2, 0.25, 0.25, 1), file);
        // then
        assertEquals("b", SummaryJsonReader.read(file).dataset());
    }

    @Test
    void summaryFromRecordsAveragesSeconds() {
        // given
        List<EpochRecord> recs = List.of(
                new EpochRecord("EP", 1, Double.NaN, 0.2, 0.3, 1, 10, Double.NaN),
                new EpochRecord("EP", 2, 0.15, 0.1, 0.2, 1, 20, Double.NaN));
        // when
        RunSummary s = RunSummary.fromRecords("mnist", Map.of(), recs);
        // then
        assertEquals(2, s.epochs());
        assertEquals(0.2, s.testError());
        assertEquals(0.1, s.trainError());
        assertEquals(15.0, s.secondsPerEpoch());
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> RunSummary.of("", Map.of(), 1, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> RunSummary.of("m", Map.of(), -1, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> RunSummary.of("m", Map.of(), 1, 2.5, 0, 1));
        assertThrows(IOException.class, () -> SummaryJsonReader.parse("{\"dataset\":\"m\"}"));
    }
}
