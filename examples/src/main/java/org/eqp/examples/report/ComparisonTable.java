package org.eqp.examples.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Plain-text side-by-side comparison of runs for the terminal.
 *
 * <p>One row per run with test error (%), training error (%) and seconds per epoch, right-aligned
 * ({@link Metric#MSE} shows regression mean squared errors instead),
 * two decimals; unknown (NaN) values print as {@code n/a}. With at least two runs a final line gives
 * the ratio of seconds per epoch of the first run to the second. Example:
 *
 * <pre>
 * run       test err %  train err %  s/epoch
 * EP              2.50         1.25    12.00
 * backprop        2.00         0.50     3.00
 * s/epoch ratio EP / backprop: 4.00x
 * </pre>
 */
public final class ComparisonTable {

    /** How the error columns read: classification error in %, or regression mean squared error. */
    public enum Metric {
        ERROR_PERCENT("test err %", "train err %", 100, "%.2f"),
        MSE("test mse", "train mse", 1, "%.5f");

        private final String testHeader;
        private final String trainHeader;
        private final double scale;
        private final String format;

        Metric(String testHeader, String trainHeader, double scale, String format) {
            this.testHeader = testHeader;
            this.trainHeader = trainHeader;
            this.scale = scale;
            this.format = format;
        }
    }

    private final Metric metric;

    private record Row(String name, double testError, double trainError, double secondsPerEpoch) {
    }

    private final List<Row> rows = new ArrayList<>();

    /** A table of classification errors in %. */
    public ComparisonTable() {
        this(Metric.ERROR_PERCENT);
    }

    /** A table whose error columns read as {@code metric}. */
    public ComparisonTable(Metric metric) {
        this.metric = Objects.requireNonNull(metric, "metric");
    }

    /**
     * Adds a run.
     *
     * @param name            run name, not blank
     * @param testError       test error fraction in [0, 1] or NaN
     * @param trainError      training error fraction in [0, 1] or NaN
     * @param secondsPerEpoch mean training seconds per epoch, &gt;= 0 or NaN
     */
    public ComparisonTable addRow(String name, double testError, double trainError, double secondsPerEpoch) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("run name must not be blank");
        }
        requireFraction("testError", testError);
        requireFraction("trainError", trainError);
        if (!Double.isNaN(secondsPerEpoch) && !(secondsPerEpoch >= 0)) {
            throw new IllegalArgumentException("secondsPerEpoch must be >= 0 or NaN, got " + secondsPerEpoch);
        }
        rows.add(new Row(name, testError, trainError, secondsPerEpoch));
        return this;
    }

    /** Adds a run from its summary. */
    public ComparisonTable addRow(String name, RunSummary summary) {
        return addRow(name, summary.testError(), summary.trainError(), summary.secondsPerEpoch());
    }

    /** The table text, lines separated by {@code \n}, ending with {@code \n}. */
    public String format() {
        if (rows.isEmpty()) {
            throw new IllegalStateException("no rows in comparison table");
        }
        List<String[]> cells = new ArrayList<>();
        String[] headers = {"run", metric.testHeader, metric.trainHeader, "s/epoch"};
        cells.add(headers);
        for (Row r : rows) {
            cells.add(new String[] {r.name(), num(metric.scale * r.testError(), metric.format),
                num(metric.scale * r.trainError(), metric.format), num(r.secondsPerEpoch())});
        }
        int[] width = new int[headers.length];
        for (String[] line : cells) {
            for (int c = 0; c < width.length; c++) {
                width[c] = Math.max(width[c], line[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] line : cells) {
            sb.append(pad(line[0], width[0], false));
            for (int c = 1; c < width.length; c++) {
                sb.append("  ").append(pad(line[c], width[c], true));
            }
            sb.append('\n');
        }
        if (rows.size() >= 2) {
            Row a = rows.get(0);
            Row b = rows.get(1);
            double ratio = a.secondsPerEpoch() / b.secondsPerEpoch();
            String text = Double.isFinite(ratio) ? num(ratio) + "x" : "n/a";
            sb.append("s/epoch ratio ").append(a.name()).append(" / ").append(b.name())
                    .append(": ").append(text).append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return rows.isEmpty() ? "(empty comparison table)" : format();
    }

    private static String num(double v) {
        return num(v, "%.2f");
    }

    private static String num(double v, String format) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, format, v);
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(width - s.length());
        return right ? fill + s : s + fill;
    }

    private static void requireFraction(String name, double v) {
        if (!Double.isNaN(v) && !(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " must be a fraction in [0, 1] or NaN, got " + v);
        }
    }
}
