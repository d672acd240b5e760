package org.eqp.metrics;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Prints throttled one-line progress messages for a long run.
 *
 * <p>Work is counted in caller-defined units (e.g. mini-batches over the whole run). After each
 * {@link #advance(long)} a line such as
 * {@code train: 1200/6000 (20.0%), 40.0 units/s, elapsed 0:00:30, ETA 0:02:00} is printed if at
 * least the reporting interval (default 10 s) has passed since the previous line (or the start).
 * Rate is units per second, times are h:mm:ss. {@link #finish()} always prints a final line.
 * Time comes from an injectable nanosecond clock ({@link System#nanoTime()} by default).
 */
public final class ProgressReporter {

    /** Default minimum time between two progress lines. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    private final String label;
    private final long totalUnits;
    private final PrintStream sink;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private long lastPrintNanos;
    private long done;
    private boolean finished;

    /** Reporter with the default 10 s interval and the system clock. */
    public ProgressReporter(String label, long totalUnits, PrintStream sink) {
        this(label, totalUnits, sink, DEFAULT_INTERVAL, System::nanoTime);
    }

    /**
     * @param label      prefix of each line, e.g. {@code "EP train"}
     * @param totalUnits total work units of the run, &gt; 0
     * @param sink       where the lines go
     * @param interval   minimum time between two progress lines, &gt;= 0
     * @param nanoClock  monotonic clock in nanoseconds (like {@link System#nanoTime()})
     */
    public ProgressReporter(String label, long totalUnits, PrintStream sink, Duration interval,
                            LongSupplier nanoClock) {
        this.label = Objects.requireNonNull(label, "label");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        Objects.requireNonNull(interval, "interval");
        if (totalUnits <= 0) {
            throw new IllegalArgumentException("totalUnits must be > 0, got " + totalUnits);
        }
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval must be >= 0, got " + interval);
        }
        this.totalUnits = totalUnits;
        this.intervalNanos = interval.toNanos();
        this.startNanos = nanoClock.getAsLong();
        this.lastPrintNanos = startNanos;
    }

    /**
     * Records {@code units} more completed work units (&gt;= 0) and prints a line if the interval
     * has elapsed.
     */
    public void advance(long units) {
        if (units < 0) {
            throw new IllegalArgumentException("units must be >= 0, got " + units);
        }
        if (finished) {
            throw new IllegalStateException("advance() after finish()");
        }
        done += units;
        long now = nanoClock.getAsLong();
        if (now - lastPrintNanos >= intervalNanos) {
            lastPrintNanos = now;
            sink.println(progressLine(now));
        }
    }

    /** Same as {@code advance(1)}. */
    public void step() {
        advance(1);
    }

    /** Work units completed so far. */
    public long done() {
        return done;
    }

    /** Prints the final line with total elapsed time and mean rate; idempotent. */
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        long now = nanoClock.getAsLong();
        double seconds = (now - startNanos) / 1e9;
        sink.println(String.format(Locale.ROOT, "%s: done %d/%d in %s, %s units/s",
                label, done, totalUnits, hms(seconds), rate(done, seconds)));
    }

    private String progressLine(long now) {
        double seconds = (now - startNanos) / 1e9;
        double percent = 100.0 * done / totalUnits;
        String eta;
        if (done >= totalUnits) {
            eta = hms(0);
        } else if (done == 0 || seconds <= 0) {
            eta = "?";
        } else {
            eta = hms((totalUnits - done) * seconds / done);
        }
        return String.format(Locale.ROOT, "%s: %d/%d (%.1f%%), %s units/s, elapsed %s, ETA %s",
                label, done, totalUnits, percent, rate(done, seconds), hms(seconds), eta);
    }

    private static String rate(long units, double seconds) {
        return seconds > 0 ? String.format(Locale.ROOT, "%.1f", units / seconds) : "?";
    }

    /** Formats seconds as h:mm:ss (rounded to the nearest second). */
    static String hms(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
