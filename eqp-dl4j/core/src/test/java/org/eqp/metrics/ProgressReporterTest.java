package org.eqp.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {

    private static final long SECOND = 1_000_000_000L;

    private long now;
    private ByteArrayOutputStream bytes;
    private PrintStream sink;

    @BeforeEach
    void setUp() {
        now = 0;
        bytes = new ByteArrayOutputStream();
        sink = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private List<String> lines() {
        String s = bytes.toString(StandardCharsets.UTF_8);
        return s.isEmpty() ? List.of() : List.of(s.split("\n"));
    }

    @Test
    void printsAtMostOncePerIntervalWithRateAndEta() {
        // given: 100 units, 10 s interval
        ProgressReporter p = new ProgressReporter("train", 100, sink, Duration.ofSeconds(10), () -> now);
        // when: 5 units per second for 9 s -> nothing yet
        for (int t = 1; t <= 9; t++) {
            now = t * SECOND;
            p.advance(5);
        }
        assertEquals(List.of(), lines());
        // when: at 10 s (50 units) a line is printed
        now = 10 * SECOND;
        p.advance(5);
        // and: at 15 s nothing new
        now = 15 * SECOND;
        p.advance(5);
        // then
        assertEquals(List.of("train: 50/100 (50.0%), 5.0 units/s, elapsed 0:00:10, ETA 0:00:10"), lines());
        // when
        now = 20 * SECOND;
        p.advance(5);
        p.finish();
        p.finish();
        // then
        assertEquals(List.of(
                "train: 50/100 (50.0%), 5.0 units/s, elapsed 0:00:10, ETA 0:00:10",
                "train: 60/100 (60.0%), 3.0 units/s, elapsed 0:00:20, ETA 0:00:13",
                "train: done 60/100 in 0:00:20, 3.0 units/s"), lines());
    }

    @Test
    void formatsHoursAndRejectsBadInput() {
        assertEquals("1:01:05", ProgressReporter.hms(3665));
        assertThrows(IllegalArgumentException.class,
                () -> new ProgressReporter("x", 0, sink));
        ProgressReporter p = new ProgressReporter("x", 10, sink, Duration.ZERO, () -> now);
        assertThrows(IllegalArgumentException.class, () -> p.advance(-1));
        p.finish();
        assertThrows(IllegalStateException.class, p::step);
    }
}
