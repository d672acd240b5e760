package org.eqp.examples.report;

import org.eqp.metrics.EpochRecord;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Learning curves of several runs on one chart, saved as PNG.
 *
 * <p>x = epoch (1-based), y = error in percent (fractions from {@link EpochRecord} times 100). Each
 * run gets one colour and two lines: test error solid, end-of-epoch training error dashed. NaN
 * values are skipped; a line with a single point is drawn as a marker. Rendering is headless.
 *
 * <pre>{@code
 * new LearningCurvePlot("MNIST, 1 hidden layer")
 *     .addRun("EP", epRecords)
 *     .addRun("backprop", bpRecords)
 *     .save(Path.of("curves.png"), 900, 600);
 * }</pre>
 */
public final class LearningCurvePlot {

    private static final Color[] PALETTE = {
        new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44),
        new Color(148, 103, 189), new Color(255, 127, 14), new Color(140, 86, 75),
    };

    private final String title;
    private final Map<String, List<EpochRecord>> runs = new LinkedHashMap<>();

    /** A plot with the given chart title. */
    public LearningCurvePlot(String title) {
        this.title = Objects.requireNonNull(title, "title");
    }

    /**
     * Adds (or replaces) a run under {@code name}; the records need not be sorted.
     *
     * @throws IllegalArgumentException if the name is blank or {@code records} is empty
     */
    public LearningCurvePlot addRun(String name, List<EpochRecord> records) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(records, "records");
        if (name.isBlank()) {
            throw new IllegalArgumentException("run name must not be blank");
        }
        if (records.isEmpty()) {
            throw new IllegalArgumentException("run '" + name + "' has no epoch records");
        }
        List<EpochRecord> sorted = new ArrayList<>(records);
        sorted.sort((a, b) -> Integer.compare(a.epoch(), b.epoch()));
        runs.put(name, sorted);
        return this;
    }

    /** Adds every run found in {@code records}, grouped by {@link EpochRecord#run()} in first-seen order. */
    public LearningCurvePlot addRuns(List<EpochRecord> records) {
        Map<String, List<EpochRecord>> byRun = new LinkedHashMap<>();
        for (EpochRecord r : records) {
            byRun.computeIfAbsent(r.run(), k -> new ArrayList<>()).add(r);
        }
        byRun.forEach(this::addRun);
        return this;
    }

    /** Builds the XChart chart of the given size in pixels. */
    public XYChart toChart(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("chart size must be positive, got " + width + "x" + height);
        }
        if (runs.isEmpty()) {
            throw new IllegalStateException("no runs added to the plot");
        }
        XYChart chart = new XYChartBuilder().width(width).height(height)
                .title(title).xAxisTitle("epoch").yAxisTitle("error (%)").build();
        chart.getStyler().setLegendVisible(true);
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.getStyler().setYAxisMin(0.0);
        int colour = 0;
        int drawn = 0;
        for (Map.Entry<String, List<EpochRecord>> run : runs.entrySet()) {
            Color c = PALETTE[colour++ % PALETTE.length];
            drawn += addLine(chart, run.getKey() + " test", run.getValue(), EpochRecord::testError,
                    c, SeriesLines.SOLID);
            drawn += addLine(chart, run.getKey() + " train", run.getValue(), EpochRecord::trainError,
                    c, SeriesLines.DASH_DASH);
        }
        if (drawn == 0) {
            throw new IllegalStateException("every error value is NaN; nothing to plot");
        }
        return chart;
    }

    /**
     * Renders the chart and writes it as PNG to {@code png} (parent directories are created).
     *
     * @param width  image width in pixels
     * @param height image height in pixels
     */
    public void save(Path png, int width, int height) throws IOException {
        Objects.requireNonNull(png, "png");
        XYChart chart = toChart(width, height);
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (var out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    /** Adds one line, skipping NaN points; returns 1 if a line was added, 0 if all points were NaN. */
    private static int addLine(XYChart chart, String name, List<EpochRecord> records,
                               ToDoubleFunction<EpochRecord> error, Color colour, BasicStroke stroke) {
        List<double[]> points = new ArrayList<>();
        for (EpochRecord r : records) {
            double e = error.applyAsDouble(r);
            if (!Double.isNaN(e)) {
                points.add(new double[] {r.epoch(), 100.0 * e});
            }
        }
        if (points.isEmpty()) {
            return 0;
        }
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
        }
        XYSeries series = chart.addSeries(name, x, y);
        series.setLineColor(colour);
        series.setMarkerColor(colour);
        series.setLineStyle(stroke);
        series.setMarker(x.length == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        return 1;
    }

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
