package org.eqp.examples.reproduce;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.eqp.data.LoadedDataset;
import org.eqp.dl4j.listener.CorrectionStatsListener;
import org.eqp.examples.run.EpRunConfig;
import org.eqp.examples.run.EpVersusBackprop;
import org.eqp.learning.EpSettings;
import org.eqp.metrics.EpochRecord;
import org.eqp.topology.spec.SymmetricTopologySpec;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/**
 * One run of a topology sweep and what it measured, shared by the sweeps: the journal's p sweep
 * ({@link Fig4PSweep}, Gammell et al. 2021, figure 4), its figure 5 ({@link Fig5Maps}) and the preprint's sweep over
 * the number of replaced connections ({@link PreprintFig4}, Gammell et al. 2020, figure 4). Each run is a
 * {@code train} run with correction statistics in its own folder (kept when complete, continued from its checkpoint
 * when interrupted); the sweep's CSV and its plot of errors and a spread against the swept value are written here.
 */
public final class SweepRun {

    /**
     * How long and with which EP knobs every run of a sweep trains: epochs, free / nudged iterations (the seed's
     * synchronous steps at eps 0.5, beta 1 with random sign), seed, persistent particles, and the training examples
     * the end-of-epoch training error is measured on (0: all).
     */
    public record Length(int epochs, int free, int nudged, long seed, boolean particles, int trainEvalExamples) {
        /** @throws IllegalArgumentException for iteration counts below 1 */
        public Length {
            Fig2Runs.seedSettings(free, nudged, particles);
        }

        /** The EP knobs of every run. */
        EpSettings ep() {
            return Fig2Runs.seedSettings(free, nudged, particles);
        }
    }

    /**
     * The measurements of one run at swept value {@code x} (p, or the number of replaced connections n): achieved p;
     * online training error as the mean over the epochs and of the last epoch; end-of-epoch training and test error
     * of the last epoch; the log-spread (the journal's eq. 10, as the seed's logs print it) and the figure-4 script's
     * pooled one; the preprint's Spread (its eqs. 22-23; NaN for fewer than 3 layer pairs).
     */
    public record Point(double x, double achievedP, double onlineTrainError, double lastOnlineTrainError,
                        double trainError, double testError, double logSpread, double fig4LogSpread,
                        double preprintSpread) {
    }

    private SweepRun() {
    }

    /**
     * Trains one network of a sweep with correction statistics into {@code dir} and returns its measurements (the
     * spreads read back from its {@code corrections.csv}, so a complete run kept from before gives them too).
     *
     * @param checkpointEvery batches between two checkpoints (0: none)
     */
    static Point train(double x, int[] hidden, double rate, SymmetricTopologySpec topology, Length s,
                       int checkpointEvery, LoadedDataset data, Path dir, PrintStream log) throws IOException {
        EpRunConfig config = new EpRunConfig(hidden, s.ep(), new double[] {rate}, s.epochs(), 20, s.seed(), topology);
        EpVersusBackprop.Outcome o = EpVersusBackprop.run(config, data,
                EpVersusBackprop.Options.continuingWithCorrections(s.trainEvalExamples(), checkpointEvery), dir, log);
        EpochRecord last = o.records().get(o.records().size() - 1);
        double online = o.records().stream().mapToDouble(EpochRecord::trainErrorOnline).average().orElse(Double.NaN);
        double achievedP = config.builtTopology(config.layerSizes(data.numFeatures(), data.numOutputs())).achievedP();
        CorrectionStatsListener corrections = CorrectionStatsListener.readCsv(dir.resolve("corrections.csv"));
        double spread = corrections.adjacentMeanRms().length >= 3 ? corrections.preprintSpread() : Double.NaN;
        return new Point(x, achievedP, online, last.trainErrorOnline(), last.trainError(), last.testError(),
                corrections.logSpread(), corrections.fig4LogSpread(), spread);
    }

    /** Writes one row per point: {@code xName}, achieved p, the errors and the three spreads. */
    static void writeCsv(List<Point> points, String xName, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write(xName + ",achieved_p,train_error_online,train_error_online_last_epoch,train_error,test_error,"
                    + "log_spread,log_spread_fig4,preprint_spread\n");
            for (Point pt : points) {
                w.write(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%s,%s,%s%n", compact(pt.x()), pt.achievedP(),
                        pt.onlineTrainError(), pt.lastOnlineTrainError(), pt.trainError(), pt.testError(),
                        pt.logSpread(), pt.fig4LogSpread(), pt.preprintSpread()));
            }
        }
    }

    /**
     * Draws the online training error and the test error (%) against the swept value, with a spread on a second axis.
     */
    static void plotAgainst(List<Point> points, String title, String xTitle, String spreadName,
                            ToDoubleFunction<Point> spread, Path png) throws IOException {
        headless();
        double[] x = points.stream().mapToDouble(Point::x).toArray();
        XYChart chart = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle(xTitle)
                .yAxisTitle("error (%)").build();
        chart.addSeries("online training error", x, percent(points, Point::onlineTrainError));
        chart.addSeries("test error", x, percent(points, Point::testError));
        XYSeries s = chart.addSeries(spreadName, x, points.stream().mapToDouble(spread).toArray());
        s.setYAxisGroup(1);
        chart.setYAxisGroupTitle(1, spreadName);
        save(chart, png);
    }

    static double[] percent(List<Point> points, ToDoubleFunction<Point> f) {
        return points.stream().mapToDouble(f).map(v -> 100 * v).toArray();
    }

    /** Charts are drawn without a display unless the JVM was told otherwise. */
    static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    static void save(XYChart chart, Path png) throws IOException {
        try (var o = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, o, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    /** 100000 rather than 100000.0, 0.05 as is. */
    static String compact(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
