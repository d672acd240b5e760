package org.eqp.dl4j.listener;

import java.io.IOException;
import java.io.Serializable;
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
import org.eqp.dl4j.layers.EpLayerStats;
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
 * are recorded too. Also counts, per batch and layer, the units of the free equilibrium saturated at 0 and at 1 of
 * the hard sigmoid (a saturated unit passes no correction to its weights: rho' = 0 just outside [0, 1]).
 */
public class CorrectionStatsListener extends BaseTrainingListener {

    /** One block's RMS correction for one batch (batches counted from 0 over the whole training, epochs from 0). */
    public record Row(int epoch, long batch, int from, int to, double rms) implements Serializable {
    }

    /**
     * Units of layer {@code layer} at the free equilibrium of one batch: {@code units} = batch size x layer size, of
     * which {@code atZero} sit at 0 and {@code atOne} at 1.
     */
    public record SaturationRow(long batch, int layer, long units, long atZero, long atOne) implements Serializable {
    }

    /**
     * Everything recorded so far (for a checkpoint of a training run): {@link #resumed} makes a listener that goes on
     * recording as this one would have.
     *
     * @param absSums the running sums of |dW| per block, or null before the first batch
     */
    public record Snapshot(Row[] rows, SaturationRow[] saturation, long batch, int epoch, float[][] absSums,
                           long absBatches) implements Serializable {
    }

    private static final String CSV_HEADER = "epoch,batch,from,to,rms";
    /** The header of files written before the epoch column existed (read with every row in epoch 0). */
    private static final String CSV_HEADER_WITHOUT_EPOCH = "batch,from,to,rms";
    private final List<Row> rows = new ArrayList<>();
    private final List<SaturationRow> saturation = new ArrayList<>();
    private long batch;
    private int epoch;
    /** Running sums of |dW| per block ('f' order) of the first EP layer seen, for the mean |dW| map. */
    private Topology sumTopology;
    private float[][] absSums;
    private long absBatches;

    /**
     * Statistics over RMS rows recorded earlier (e.g. read back by {@link #readCsv}): the RMS, ratio and log-spread
     * queries work; the mean |dW| map and saturation counts are empty.
     */
    public static CorrectionStatsListener fromRows(List<Row> rows) {
        CorrectionStatsListener stats = new CorrectionStatsListener();
        stats.rows.addAll(rows);
        return stats;
    }

    /** A copy of everything recorded so far. */
    public Snapshot snapshot() {
        float[][] sums = absSums == null ? null : java.util.Arrays.stream(absSums)
                .map(a -> a == null ? null : a.clone()).toArray(float[][]::new);
        return new Snapshot(rows.toArray(Row[]::new), saturation.toArray(SaturationRow[]::new), batch, epoch, sums,
                absBatches);
    }

    /**
     * A listener that continues the statistics of {@code snapshot} on {@code model}, the network restored from the
     * same point of training: the mean |dW| sums go on for its first EP layer, as they did for the first EP layer of
     * the network the snapshot was taken from.
     *
     * @throws IllegalArgumentException if the snapshot holds |dW| sums and the model has no EP layer
     */
    public static CorrectionStatsListener resumed(Snapshot snapshot, Model model) {
        CorrectionStatsListener stats = fromRows(List.of(snapshot.rows()));
        stats.saturation.addAll(List.of(snapshot.saturation()));
        stats.batch = snapshot.batch();
        stats.epoch = snapshot.epoch();
        stats.absBatches = snapshot.absBatches();
        if (snapshot.absSums() != null) {
            stats.sumTopology = java.util.Arrays.stream(NetworkLayers.of(model))
                    .filter(l -> l instanceof EpLayerStats).map(l -> ((EpLayerStats) l).topology()).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("the correction statistics hold |dW| sums of an "
                            + "EP layer; resume them on the network they were recorded on"));
            stats.absSums = snapshot.absSums();
        }
        return stats;
    }

    /** Statistics over the rows of a {@code corrections.csv} written by {@link #writeCsv}. */
    public static CorrectionStatsListener readCsv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        boolean withEpoch = !lines.isEmpty() && lines.get(0).equals(CSV_HEADER);
        if (!withEpoch && (lines.isEmpty() || !lines.get(0).equals(CSV_HEADER_WITHOUT_EPOCH))) {
            throw new IOException(file + " is not a corrections CSV: its first line must be " + CSV_HEADER);
        }
        List<Row> rows = new ArrayList<>();
        int shift = withEpoch ? 1 : 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            rows.add(new Row(withEpoch ? Integer.parseInt(c[0]) : 0, Long.parseLong(c[shift]),
                    Integer.parseInt(c[shift + 1]), Integer.parseInt(c[shift + 2]), Double.parseDouble(c[shift + 3])));
        }
        return fromRows(rows);
    }

    @Override
    public void onEpochEnd(Model model) {
        epoch++;
    }

    @Override
    public void onGradientCalculation(Model model) {
        for (Layer layer : NetworkLayers.of(model)) {
            if (layer instanceof EpLayerStats ep && ep.lastStepStats() != null) {
                record(layer, ep);
            }
        }
        batch++;
    }

    private void record(Layer layer, EpLayerStats stats) {
        Topology topology = stats.topology();
        var gradients = EpParamInitializer.getInstance().getGradientsFromFlattened(layer.conf(),
                layer.getGradientsViewArray());
        // the gradient views hold batch means or batch sums; the rows are batch means
        int perMean = stats.lastStepStats().batchMeans() ? 1 : stats.lastStepStats().batchSize();
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
            double sumSq = sumSquaresAndAbs(g, 1f / perMean, accumulate ? absSums[k] : null);
            long entries = topology.connectionCount(b) * (b.intralayer() ? 2 : 1); // an intralayer pair is stored twice
            rows.add(new Row(epoch, batch, b.from(), b.to(), Math.sqrt(sumSq / entries) / perMean));
        }
        if (accumulate) {
            absBatches++;
        }
        for (int l = 1; l < topology.numLayers(); l++) {
            var s = stats.freeState(l);
            long atZero = 0;
            long atOne = 0;
            for (int i = 0, n = s.limit(); i < n; i++) {
                float v = s.get(i);
                atZero += v <= 0f ? 1 : 0;
                atOne += v >= 1f ? 1 : 0;
            }
            saturation.add(new SaturationRow(batch, l, s.limit(), atZero, atOne));
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

    /** Every recorded saturation count, in batch order. */
    public List<SaturationRow> saturationRows() {
        return List.copyOf(saturation);
    }

    /**
     * The rows recorded from index {@code from} on, in batch order: a listener following the statistics batch by batch
     * keeps the count it has seen and asks for the rest (copying only those).
     */
    public List<Row> rowsFrom(int from) {
        return List.copyOf(rows.subList(from, rows.size()));
    }

    /** The saturation counts recorded from index {@code from} on (see {@link #rowsFrom}). */
    public List<SaturationRow> saturationRowsFrom(int from) {
        return List.copyOf(saturation.subList(from, saturation.size()));
    }

    /**
     * Fractions of layer {@code layer}'s units saturated over all recorded batches: {fraction at 0, fraction at 1}.
     */
    public double[] saturatedFractions(int layer) {
        long units = 0;
        long atZero = 0;
        long atOne = 0;
        for (SaturationRow r : saturation) {
            if (r.layer() == layer) {
                units += r.units();
                atZero += r.atZero();
                atOne += r.atOne();
            }
        }
        if (units == 0) {
            throw new IllegalArgumentException("no saturation count for layer " + layer + " was recorded");
        }
        return new double[] {atZero / (double) units, atOne / (double) units};
    }

    /** Mean over batches of the RMS correction of the block between layers {@code from} and {@code to}. */
    public double meanRms(int from, int to) {
        return rows.stream().filter(r -> r.from() == from && r.to() == to).mapToDouble(Row::rms).average()
                .orElseThrow(() -> new IllegalArgumentException("no block " + from + "-" + to + " was recorded"));
    }

    /**
     * Mean RMS correction of each adjacent layer pair recorded so far, input side first: element l is the pair
     * l-(l+1) (w_l of Gammell et al. 2021, eq. 10).
     */
    public double[] adjacentMeanRms() {
        int maxTo = rows.stream().mapToInt(Row::to).max().orElseThrow(
                () -> new IllegalStateException("no batch recorded yet"));
        double[] means = new double[maxTo];
        for (int l = 0; l < maxTo; l++) {
            means[l] = meanRms(l, l + 1);
        }
        return means;
    }

    /** The log-spread of the adjacent layer pairs recorded so far (see {@link #logSpread(double[])}). */
    public double logSpread() {
        return logSpread(adjacentMeanRms());
    }

    /** Largest over smallest mean RMS correction of the adjacent layer pairs (1 = perfectly even training). */
    public double adjacentRmsRatio() {
        double[] means = adjacentMeanRms();
        return java.util.Arrays.stream(means).max().orElseThrow() / java.util.Arrays.stream(means).min().orElseThrow();
    }

    /**
     * The log-spread as the seed's figure-4 script computes it (Gammell et al. 2021, figure 4; it differs from
     * {@link #logSpread()}, which is what the seed's training logs and table 1 print): the mean RMS of each adjacent
     * pair is taken per epoch, and the population standard deviation of log10 is pooled over all epochs x pairs, so
     * changes from epoch to epoch add to the spread. Equal to {@link #logSpread()} for one epoch.
     */
    public double fig4LogSpread() {
        int maxTo = rows.stream().mapToInt(Row::to).max().orElseThrow(
                () -> new IllegalStateException("no batch recorded yet"));
        int epochs = rows.stream().mapToInt(Row::epoch).max().orElseThrow() + 1;
        double[] sum = new double[epochs * maxTo];
        int[] count = new int[epochs * maxTo];
        for (Row r : rows) {
            if (r.to() == r.from() + 1) {
                sum[r.epoch() * maxTo + r.from()] += r.rms();
                count[r.epoch() * maxTo + r.from()]++;
            }
        }
        double[] means = new double[sum.length];
        int n = 0;
        for (int i = 0; i < sum.length; i++) {
            if (count[i] > 0) { // an epoch without batches (e.g. an empty tail) is skipped, as nanmean does
                means[n++] = sum[i] / count[i];
            }
        }
        return logSpread(java.util.Arrays.copyOf(means, n));
    }

    /**
     * The preprint's Spread of the adjacent layer pairs recorded so far (Gammell et al. 2020, eqs. 22-23): eq. 22's
     * {@code Delta w^l}, the sum over training of pair l's RMS correction {@code Delta w^l(b)} measured every n batches,
     * with every batch measured here (n = 1), then {@link #preprintSpread(double[])}.
     *
     * @throws IllegalStateException    before the first batch
     * @throws IllegalArgumentException for fewer than 3 adjacent layer pairs (see {@link #preprintSpread(double[])})
     */
    public double preprintSpread() {
        int maxTo = rows.stream().mapToInt(Row::to).max().orElseThrow(
                () -> new IllegalStateException("no batch recorded yet"));
        double[] totals = new double[maxTo];
        for (Row r : rows) {
            if (r.to() == r.from() + 1) {
                totals[r.from()] += r.rms();
            }
        }
        return preprintSpread(totals);
    }

    /**
     * The preprint's Spread (Gammell et al. 2020, eq. 23) of per-pair totals {@code Delta w^l} (eq. 22): with the pairs
     * sorted by their total, smallest first ({@code l_min(i)} the i-th smallest), the sum of the totals ranked
     * L+1 .. 2L over the sum of those ranked 1 .. L. A network of 2L+2 layers has 2L+1 adjacent pairs: the largest,
     * assumed to be the pair at the output, is left out. With an even number P of pairs L = (P - 2) / 2 and the two
     * largest are left out (784-500x3-10: P = 4, L = 1, the second smallest over the smallest). 1 = the deeper pairs
     * train evenly; larger = more spread.
     *
     * @param pairTotals the total (or, equivalently for the ratio, mean) correction of each adjacent pair, all &gt;= 0;
     *                   with the lower half all 0 the Spread is +Infinity (NaN when every pair is 0)
     * @throws IllegalArgumentException for fewer than 3 pairs (L would be 0) or a negative or NaN total
     */
    public static double preprintSpread(double[] pairTotals) {
        int half = (pairTotals.length - 1) / 2;
        if (half < 1) {
            throw new IllegalArgumentException("the preprint's Spread needs at least 3 adjacent layer pairs (2 hidden "
                    + "layers); got " + pairTotals.length);
        }
        double[] sorted = pairTotals.clone();
        java.util.Arrays.sort(sorted);
        if (!(sorted[0] >= 0)) {
            throw new IllegalArgumentException("the preprint's Spread needs corrections >= 0; got " + sorted[0]);
        }
        double lower = 0;
        double upper = 0;
        for (int i = 0; i < half; i++) {
            lower += sorted[i];
            upper += sorted[half + i];
        }
        return lower == 0 ? (upper > 0 ? Double.POSITIVE_INFINITY : Double.NaN) : upper / lower;
    }

    /**
     * Population standard deviation of log10 of the given per-pair mean RMS values (all &gt;= 0). A pair whose mean
     * is 0 never received a correction (it vanished entirely on its way from the outputs, as in deep layered nets
     * whose nudged phase is shorter than the path to that pair): the spread is then unbounded, +Infinity.
     *
     * @throws IllegalArgumentException for a negative or NaN value
     */
    public static double logSpread(double[] meanRms) {
        double[] logs = new double[meanRms.length];
        double mean = 0;
        for (double v : meanRms) {
            if (!(v >= 0)) {
                throw new IllegalArgumentException("log-spread needs RMS values >= 0; got " + v);
            }
            if (v == 0) {
                return Double.POSITIVE_INFINITY;
            }
        }
        for (int i = 0; i < logs.length; i++) {
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
     * {@link org.eqp.examples.report.CorrectionPlot}: "layer a-b" to one value per batch.
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

    /** Writes {@code batch,layer,units,at_zero,at_one} rows (see {@link SaturationRow}). */
    public void writeSaturationCsv(Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write("batch,layer,units,at_zero,at_one\n");
            for (SaturationRow r : saturation) {
                w.write(String.format(Locale.ROOT, "%d,%d,%d,%d,%d%n", r.batch(), r.layer(), r.units(), r.atZero(),
                        r.atOne()));
            }
        }
    }

    /** Writes {@code epoch,batch,from,to,rms} rows. */
    public void writeCsv(Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write(CSV_HEADER + "\n");
            for (Row r : rows) {
                w.write(String.format(Locale.ROOT, "%d,%d,%d,%d,%s%n", r.epoch(), r.batch(), r.from(), r.to(),
                        Double.toString(r.rms())));
            }
        }
    }
}
