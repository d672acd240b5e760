package org.eqp.dl4j.listener;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.eqp.dl4j.conf.EpParamInitializer;
import org.eqp.dl4j.layers.EpOutputLayerImpl;
import org.eqp.dynamics.FloatView;
import org.eqp.topology.Block;
import org.eqp.topology.Topology;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Watches how evenly EP trains a network's layers (Gammell et al. 2021, figures 3 and 4): for every batch and every
 * block of connections, the RMS of the EP correction dW (batch mean, before any learning rate) over the block's
 * existing connections; and the log-spread, the population standard deviation of log10 of each layer pair's mean RMS
 * over training. A layered net trains unevenly (corrections shrink roughly 10x per layer away from the output); a
 * small-world net much less so.
 *
 * <p>Reads the raw gradients in {@code onGradientCalculation}, before the updater touches them; costs one pass over
 * the weights per batch. The log-spread uses the adjacent-layer blocks (the layer pairs of the papers); skip blocks
 * are recorded too.
 */
public class CorrectionStatsListener extends BaseTrainingListener {

    /** One block's RMS correction for one batch. */
    public record Row(long batch, int from, int to, double rms) {
    }

    private final List<Row> rows = new ArrayList<>();
    private long batch;
    /** Running sums of |dW| per block ('f' order) of the first EP layer seen, for the mean |dW| map. */
    private Topology sumTopology;
    private float[][] absSums;
    private long absBatches;

    @Override
    public void onGradientCalculation(Model model) {
        for (Layer layer : NetworkLayers.of(model)) {
            if (layer instanceof EpOutputLayerImpl ep && ep.lastStepStats() != null) {
                record(ep);
            }
        }
        batch++;
    }

    private void record(EpOutputLayerImpl layer) {
        Topology topology = layer.engine().topology();
        var gradients = EpParamInitializer.getInstance().getGradientsFromFlattened(layer.conf(),
                layer.getGradientsViewArray());
        int batchSize = layer.lastStepStats().batchSize();
        if (sumTopology == null) {
            sumTopology = topology;
            absSums = new float[topology.blocks().size()][];
        }
        boolean accumulate = topology == sumTopology;
        for (int k = 0; k < topology.blocks().size(); k++) {
            Block b = topology.blocks().get(k);
            INDArray g = gradients.get(EpParamInitializer.weightKey(k));
            if (accumulate && absSums[k] == null) {
                absSums[k] = new float[(int) g.length()];
            }
            double sumSq = sumSquaresAndAbs(g, 1f / batchSize, accumulate ? absSums[k] : null);
            rows.add(new Row(batch, b.from(), b.to(), Math.sqrt(sumSq / topology.connectionCount(b)) / batchSize));
        }
        if (accumulate) {
            absBatches++;
        }
    }

    /**
     * Sum of squares of a block's gradient (absent connections hold zeros, so sqrt(sum / connections) is the RMS over
     * the existing ones); when {@code absSums} is given, also adds {@code scale * |g|} to it element by element.
     */
    static double sumSquaresAndAbs(INDArray blockGradient, float scale, float[] absSums) {
        var g = FloatView.of(blockGradient).buffer();
        double sumSq = 0;
        for (int i = 0, n = g.limit(); i < n; i++) {
            float v = g.get(i);
            sumSq += (double) v * v;
            if (absSums != null) {
                absSums[i] += scale * Math.abs(v);
            }
        }
        return sumSq;
    }

    /** The topology whose mean |dW| is accumulated, or null before the first batch. */
    public Topology meanAbsTopology() {
        return sumTopology;
    }

    /**
     * Mean over batches of |dW| (batch-mean correction, before any learning rate) for every weight of block k,
     * [size(from) x size(to)] in 'f' order (element (i, j) at j * size(from) + i).
     */
    public float[] meanAbsCorrection(int block) {
        if (absSums == null) {
            throw new IllegalStateException("no batch recorded yet");
        }
        float[] mean = absSums[block].clone();
        for (int i = 0; i < mean.length; i++) {
            mean[i] /= absBatches;
        }
        return mean;
    }

    /** Every recorded row, in batch order. */
    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /** Mean over batches of the RMS correction of the block between layers {@code from} and {@code to}. */
    public double meanRms(int from, int to) {
        return rows.stream().filter(r -> r.from() == from && r.to() == to).mapToDouble(Row::rms).average()
                .orElseThrow(() -> new IllegalArgumentException("no block " + from + "-" + to + " was recorded"));
    }

    /** The log-spread of the adjacent layer pairs recorded so far (see {@link #logSpread(double[])}). */
    public double logSpread() {
        int maxTo = rows.stream().mapToInt(Row::to).max().orElseThrow(
                () -> new IllegalStateException("no batch recorded yet"));
        double[] means = new double[maxTo];
        for (int l = 0; l < maxTo; l++) {
            means[l] = meanRms(l, l + 1);
        }
        return logSpread(means);
    }

    /** Population standard deviation of log10 of the given per-pair mean RMS values (all &gt; 0). */
    public static double logSpread(double[] meanRms) {
        double[] logs = new double[meanRms.length];
        double mean = 0;
        for (int i = 0; i < logs.length; i++) {
            if (!(meanRms[i] > 0)) {
                throw new IllegalArgumentException("log-spread needs positive RMS values; got " + meanRms[i]);
            }
            logs[i] = Math.log10(meanRms[i]);
            mean += logs[i] / logs.length;
        }
        double var = 0;
        for (double v : logs) {
            var += (v - mean) * (v - mean) / logs.length;
        }
        return Math.sqrt(var);
    }

    /**
     * Centered moving average for plotting: point i averages the values within {@code halfWidth} on each side
     * (fewer at the ends).
     */
    public static double[] centeredMovingAverage(double[] series, int halfWidth) {
        double[] out = new double[series.length];
        for (int i = 0; i < series.length; i++) {
            int lo = Math.max(0, i - halfWidth);
            int hi = Math.min(series.length - 1, i + halfWidth);
            double sum = 0;
            for (int j = lo; j <= hi; j++) {
                sum += series[j];
            }
            out[i] = sum / (hi - lo + 1);
        }
        return out;
    }

    /**
     * The RMS series of each adjacent layer pair, smoothed by a centered moving average, for
     * {@link org.eqp.report.CorrectionPlot}: "layer a-b" to one value per batch.
     */
    public java.util.Map<String, double[]> adjacentSeries(int halfWidth) {
        java.util.Map<String, double[]> out = new java.util.LinkedHashMap<>();
        int maxTo = rows.stream().mapToInt(Row::to).max().orElse(0);
        for (int l = 0; l < maxTo; l++) {
            int from = l;
            double[] values = rows.stream().filter(r -> r.from() == from && r.to() == from + 1).mapToDouble(Row::rms)
                    .toArray();
            out.put("layer " + l + "-" + (l + 1), centeredMovingAverage(values, halfWidth));
        }
        return out;
    }

    /** Writes {@code batch,from,to,rms} rows. */
    public void writeCsv(Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write("batch,from,to,rms\n");
            for (Row r : rows) {
                w.write(String.format(Locale.ROOT, "%d,%d,%d,%s%n", r.batch(), r.from(), r.to(), Double.toString(r.rms())));
            }
        }
    }
}
