package org.eqp.examples.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Several runs' curves as their spread (Farinha et al. 2020, figure 1): per x, the min-max band and the 25-75 %
 * band (filled polygons) and the median line. Quantiles by linear interpolation between order statistics.
 */
public final class QuantileBandPlot {
    private QuantileBandPlot() {
    }

    /** The q-quantile (0 &le; q &le; 1) of the values, linear between order statistics. */
    public static double quantile(double[] values, double q) {
        if (values.length == 0 || !(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("a quantile needs values and q in [0, 1]; got " + values.length
                    + " values, q = " + q);
        }
        double[] v = values.clone();
        Arrays.sort(v);
        double position = q * (v.length - 1);
        int lo = (int) Math.floor(position);
        int hi = Math.min(v.length - 1, lo + 1);
        return v[lo] + (position - lo) * (v[hi] - v[lo]);
    }

    /**
     * Writes the PNG.
     *
     * @param curves one row per run, all of the same length (value per epoch)
     */
    public static void save(double[][] curves, String title, String yTitle, Path png) throws IOException {
        if (curves.length == 0 || curves[0].length == 0) {
            throw new IllegalArgumentException("no curves to plot");
        }
        int points = curves[0].length;
        double[] x = new double[points];
        double[][] q = new double[5][points];
        double[] column = new double[curves.length];
        for (int t = 0; t < points; t++) {
            x[t] = t + 1;
            for (int r = 0; r < curves.length; r++) {
                if (curves[r].length != points) {
                    throw new IllegalArgumentException("run " + r + " has " + curves[r].length + " points; run 0 has "
                            + points);
                }
                column[r] = curves[r][t];
            }
            double[] levels = {0, 0.25, 0.5, 0.75, 1};
            for (int k = 0; k < levels.length; k++) {
                q[k][t] = quantile(column, levels[k]);
            }
        }
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        XYChart chart = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle("epoch").yAxisTitle(yTitle)
                .build();
        band(chart, "min-max", x, q[0], q[4], new Color(70, 130, 180, 60));
        band(chart, "q25-q75", x, q[1], q[3], new Color(70, 130, 180, 140));
        XYSeries median = chart.addSeries("median", x, q[2]);
        median.setMarker(SeriesMarkers.NONE);
        median.setLineColor(new Color(20, 60, 120));
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (var out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    /** A filled polygon: along {@code upper}, back along {@code lower}. */
    private static void band(XYChart chart, String name, double[] x, double[] lower, double[] upper, Color color) {
        int n = x.length;
        double[] px = new double[2 * n];
        double[] py = new double[2 * n];
        for (int t = 0; t < n; t++) {
            px[t] = x[t];
            py[t] = upper[t];
            px[2 * n - 1 - t] = x[t];
            py[2 * n - 1 - t] = lower[t];
        }
        XYSeries s = chart.addSeries(name, px, py);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        s.setMarker(SeriesMarkers.NONE);
        s.setFillColor(color);
        s.setLineColor(color);
    }
}
