package org.eqp.examples.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** EP's records in a DL4J stats storage survive the byte encoding DL4J's remote and file storages use. */
class EpStatsReportTest {

    @Test
    void everyKindDecodesToAnEqualRecordFromBytesAndFromABuffer() {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put(EpChart.RMS.key("layers 0-1"), 0.0125);
        values.put(EpChart.LOG_SPREAD.key("log-spread"), Double.NaN);
        values.put(EpChart.SATURATION.key("layer 1 at 0"), 0.5);
        for (EpStatsReport r : List.of(EpStatsReport.run("s", "w", 1L, "EP on wine", true),
                EpStatsReport.batch("s", "w", 2L, 1, 7, values),
                EpStatsReport.epoch("s", "w", 3L, 1, 15, Map.of(EpChart.ERRORS.key("test"), 0.25)))) {
            EpStatsReport fromBytes = new EpStatsReport();
            fromBytes.decode(r.encode());
            assertEquals(r, fromBytes);
            assertEquals(List.copyOf(r.values().keySet()), List.copyOf(fromBytes.values().keySet()), "order kept");

            ByteBuffer buffer = ByteBuffer.allocate(r.encodingLengthBytes());
            r.encode(buffer);
            buffer.flip();
            EpStatsReport fromBuffer = new EpStatsReport();
            fromBuffer.decode(buffer);
            assertEquals(r, fromBuffer);
        }
    }

    @Test
    void bytesThatAreNoRecordAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new EpStatsReport().decode(new byte[] {1, 2, 3}));
    }
}
