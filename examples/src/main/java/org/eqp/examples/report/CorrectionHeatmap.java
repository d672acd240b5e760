package org.eqp.examples.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.eqp.topology.Block;
import org.eqp.topology.Topology;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * The mean |dW| of the whole network as one symmetric units-by-units map (Gammell et al. 2021, figure 5): units
 * numbered layer by layer from the input, each cell the mean |dW| over a square tile of unit pairs (absent
 * connections count as 0), shown as log10 of its ratio to a floor (the colour scale of XChart M3.8 needs
 * non-negative values): the {@value #FLOOR_PERCENTILE}th percentile of the non-zero cells, so that a few tiles
 * holding a single barely trained skip connection do not stretch the scale over a dozen decades; cells below the
 * floor (and empty ones) show as 0. Layered networks light up only the blocks next to the diagonal;
 * small-world networks also show the sparse skip blocks.
 */
public final class CorrectionHeatmap {
    /** Percentile of the non-zero cells that sets the bottom of the colour scale. */
    static final double FLOOR_PERCENTILE = 2;

    private CorrectionHeatmap() {
    }

    /**
     * The bottom of the colour scale: the {@link #FLOOR_PERCENTILE}th percentile (nearest rank) of the non-zero
     * cell means {@code sum / cellArea}.
     */
    static double colourFloor(double[][] sum, double cellArea) {
        double[] nonZero = java.util.Arrays.stream(sum).flatMapToDouble(java.util.Arrays::stream).filter(v -> v > 0)
                .map(v -> v / cellArea).sorted().toArray();
        if (nonZero.length == 0) {
            throw new IllegalArgumentException("every |dW| is zero; nothing to map");
        }
        int rank = (int) Math.ceil(FLOOR_PERCENTILE / 100 * nonZero.length);
        return nonZero[Math.max(0, rank - 1)];
    }

    /**
     * @param meanAbs  mean |dW| of block k, 'f' order [size(from) x size(to)], for every block of {@code topology}
     * @param cells    cells per side of the map (tiles of ceil(units / cells) units)
     */
    public static void save(Topology topology, IntFunction<float[]> meanAbs, int cells, String title, Path png)
            throws IOException {
        int units = 0;
        int[] offset = new int[topology.numLayers() + 1];
        for (int l = 0; l < topology.numLayers(); l++) {
            offset[l + 1] = offset[l] + topology.size(l);
            units = offset[l + 1];
        }
        int tile = (units + cells - 1) / cells;
        int side = (units + tile - 1) / tile;
        double[][] sum = new double[side][side];
        for (int k = 0; k < topology.blocks().size(); k++) {
            Block b = topology.blocks().get(k);
            float[] m = meanAbs.apply(k);
            int rows = topology.size(b.from());
            for (int j = 0; j < topology.size(b.to()); j++) {
                int v = (offset[b.to()] + j) / tile;
                for (int i = 0; i < rows; i++) {
                    int u = (offset[b.from()] + i) / tile;
                    double value = m[j * rows + i];
                    sum[u][v] += value;
                    if (!b.intralayer()) { // an intralayer block already holds both (i, j) and (j, i)
                        sum[v][u] += value;
                    }
                }
            }
        }
        double floor = colourFloor(sum, (double) tile * tile);
        List<Integer> axis = new ArrayList<>();
        for (int c = 0; c < side; c++) {
            axis.add(c * tile);
        }
        List<Number[]> heat = new ArrayList<>();
        for (int u = 0; u < side; u++) {
            for (int v = 0; v < side; v++) {
                double mean = sum[u][v] / ((double) tile * tile);
                heat.add(new Number[] {u, side - 1 - v, Math.log10(Math.max(mean, floor) / floor)});
            }
        }
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(900).height(820).title(String.format(java.util.Locale.ROOT, "%s (log10 of mean |dW| / %.2g)", title, floor))
                .xAxisTitle("unit").yAxisTitle("unit").build();
        chart.getStyler().setShowValue(false);
        chart.getStyler().setXAxisTicksVisible(false);
        chart.getStyler().setYAxisTicksVisible(false);
        List<Integer> reversed = new ArrayList<>(axis);
        java.util.Collections.reverse(reversed);
        chart.addSeries("mean |dW|", axis, reversed, heat);
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (var out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }
}
