package org.eqp.examples.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
     * Writes the PNG.
     *
     * @param series pair name (e.g. "layer 1-2") to its RMS values per batch, all positive
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
            double[] x = new double[y.length];
            for (int i = 0; i < y.length; i++) {
                if (!(y[i] > 0)) {
                    throw new IllegalArgumentException("RMS values must be positive for a log axis; " + s.getKey()
                            + " has " + y[i] + " at batch " + i);
                }
                x[i] = i;
            }
            chart.addSeries(s.getKey(), x, y).setMarker(SeriesMarkers.NONE);
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
