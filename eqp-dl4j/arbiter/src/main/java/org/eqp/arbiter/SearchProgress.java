package org.eqp.arbiter;

import java.io.PrintStream;
import java.util.Locale;

/** One line per finished candidate: n of N, its score, the best so far, and the ETA at the mean pace so far. */
public final class SearchProgress {
    private final int total;
    private final PrintStream log;
    private final long start = System.nanoTime();
    private int finished;
    private int trained;
    private double best = Double.POSITIVE_INFINITY;

    public SearchProgress(int total, PrintStream log) {
        this.total = total;
        this.log = log;
    }

    synchronized void finished(SearchResults.Row row, boolean resumed) {
        finished(!resumed, row.complete() ? row.score() : Double.NaN, resumed ? "done before (skipped)"
                : row.complete() ? String.format(Locale.ROOT, "score %.4g (%.1f s)", row.score(), row.seconds())
                : "failed: " + row.reason());
    }

    /**
     * One finished candidate.
     *
     * @param trained     whether it was trained now (false: found in earlier results), for the ETA
     * @param score       its score, NaN if it failed
     * @param description what the line says about it
     */
    public synchronized void finished(boolean trained, double score, String description) {
        finished++;
        this.trained += trained ? 1 : 0;
        if (!Double.isNaN(score)) {
            best = Math.min(best, score);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double eta = this.trained == 0 ? 0 : elapsed / this.trained * (total - finished);
        log.printf(Locale.ROOT, "candidate %d of %d: %s, best so far %.4g, ETA %s%n", finished, total, description, best,
                clock(eta));
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
