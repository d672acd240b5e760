package org.eqp.examples.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eqp.directed.DirectedGraph;
import org.eqp.directed.DirectedNetwork;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A directed network drawn as its graph (Farinha et al. 2020, figure 2): units on a circle (inputs, then hidden, then
 * outputs), every edge with a non-zero weight a line whose opacity is |W| / max |W| (blue positive, red negative), shifted slightly
 * to its left so that i &rarr; j and j &rarr; i stay apart, with a dot near its target. Drawn with XChart series.
 */
public final class DirectedGraphPlot {
    private DirectedGraphPlot() {
    }

    public static void save(DirectedNetwork network, String title, Path png) throws IOException {
        DirectedGraph g = network.graph();
        int n = g.size();
        double[] ux = new double[n];
        double[] uy = new double[n];
        for (int u = 0; u < n; u++) {
            double angle = Math.PI / 2 - 2 * Math.PI * u / n;
            ux[u] = Math.cos(angle);
            uy[u] = Math.sin(angle);
        }
        double max = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                max = Math.max(max, Math.abs(network.weight(i, j)));
            }
        }
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        XYChart chart = new XYChartBuilder().width(700).height(700).title(title).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setAxisTicksVisible(false);
        chart.getStyler().setPlotGridLinesVisible(false);
        chart.getStyler().setXAxisMin(-1.3).setXAxisMax(1.3).setYAxisMin(-1.3).setYAxisMax(1.3);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (!g.edge(i, j) || network.weight(i, j) == 0) {
                    continue;
                }
                double dx = ux[j] - ux[i];
                double dy = uy[j] - uy[i];
                double length = Math.hypot(dx, dy);
                double ox = -dy / length * 0.03;
                double oy = dx / length * 0.03;
                int alpha = (int) Math.round(20 + 235 * Math.abs(network.weight(i, j)) / max);
                Color color = network.weight(i, j) >= 0 ? new Color(30, 90, 200, alpha) : new Color(200, 40, 40, alpha);
                XYSeries edge = chart.addSeries("edge " + i + "->" + j,
                        new double[] {ux[i] + ox, ux[i] + ox + 0.9 * dx, ux[j] + ox - 0.1 * dx},
                        new double[] {uy[i] + oy, uy[i] + oy + 0.9 * dy, uy[j] + oy - 0.1 * dy});
                edge.setLineColor(color);
                edge.setLineStyle(new java.awt.BasicStroke(2f));
                edge.setMarker(SeriesMarkers.NONE);
                XYSeries head = chart.addSeries("head " + i + "->" + j, new double[] {ux[i] + ox + 0.9 * dx},
                        new double[] {uy[i] + oy + 0.9 * dy});
                head.setMarker(SeriesMarkers.CIRCLE);
                head.setMarkerColor(color);
                head.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            }
        }
        for (int u = 0; u < n; u++) {
            XYSeries unit = chart.addSeries(label(g, u), new double[] {ux[u]}, new double[] {uy[u]});
            unit.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            unit.setMarker(SeriesMarkers.DIAMOND);
            unit.setMarkerColor(u < g.inputs() ? Color.DARK_GRAY : u < g.firstOutput() ? new Color(0, 140, 70)
                    : new Color(220, 120, 0));
            chart.addAnnotation(new AnnotationText(label(g, u), 1.18 * ux[u], 1.12 * uy[u], false));
        }
        chart.getStyler().setMarkerSize(14);
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (var out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    private static String label(DirectedGraph g, int u) {
        if (u == g.biasUnit()) {
            return "bias " + u;
        }
        return (u < g.inputs() ? "input " : u < g.firstOutput() ? "hidden " : "output ") + u;
    }
}
