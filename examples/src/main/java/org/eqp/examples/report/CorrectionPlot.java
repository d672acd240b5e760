package org.eqp.examples.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The RMS EP correction of each layer pair against the training batch, on a log axis (Gammell et al. 2021,
 * figure 3): one line per pair, smoothed by the caller (e.g. a centered moving average).
 */
public final class CorrectionPlot {
    private final String title;

    public CorrectionPlot(String title) {
        this.title = Objects.requireNonNull(title, "title");
    }

    /**
     * Writes the PNG. A batch whose RMS is exactly 0 (no correction reached that pair: it vanished on the way from the
     * outputs, as in deep layered nets with a short nudged phase) has no place on a log axis and is left out of its
     * line; a pair that never received a correction is named in the legend with no line.
     *
     * @param series pair name (e.g. "layer 1-2") to its RMS values per batch, all &gt;= 0
     * @throws IllegalArgumentException for no pairs, or a negative or NaN value
     */
    public void save(Map<String, double[]> series, Path png, int width, int height) throws IOException {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("no layer pairs to plot");
        }
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle("batch")
                .yAxisTitle("RMS correction").build();
        chart.getStyler().setYAxisLogarithmic(true);
        for (Map.Entry<String, double[]> s : series.entrySet()) {
            double[] y = s.getValue();
            double[] xs = new double[y.length];
            double[] ys = new double[y.length];
            int n = 0;
            for (int i = 0; i < y.length; i++) {
                if (!(y[i] >= 0)) {
                    throw new IllegalArgumentException("RMS values must be >= 0; " + s.getKey() + " has " + y[i]
                            + " at batch " + i);
                }
                if (y[i] > 0) {
                    xs[n] = i;
                    ys[n++] = y[i];
                }
            }
            if (n > 0) {
                chart.addSeries(s.getKey(), Arrays.copyOf(xs, n), Arrays.copyOf(ys, n)).setMarker(SeriesMarkers.NONE);
            } else {
                chart.setTitle(chart.getTitle() + " (" + s.getKey() + ": no correction)");
            }
        }
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (var out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }
}
