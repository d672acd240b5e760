package org.eqp.examples.reproduce;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eqp.data.LoadedDataset;
import org.eqp.examples.run.EpRunConfig;
import org.eqp.learning.EpSettings;
import org.eqp.topology.spec.Layered;
import org.eqp.topology.spec.SmallWorldReplace;
import org.eqp.topology.spec.SymmetricTopologySpec;
import org.eqp.examples.run.EpVersusBackprop;
import org.eqp.metrics.EpochRecord;
import org.eqp.examples.report.LinearFit;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Gammell et al. 2021, figure 4: the small-world probability p swept on MNIST 784-100x5-10 (rate 0.015, eps 0.5,
 * beta 1, 1000 free / 12 nudged iterations): training error, test error and log-spread per p, and the linear fit of
 * the training error on the log-spread with its r^2 (the paper: 0.970 after 10 epochs).
 *
 * <p>Each p is a full {@code train} run in {@code DIR/p-<p>/}; the sweep writes {@code DIR/fig4.csv},
 * {@code DIR/fig4.png} (errors and log-spread against p), {@code DIR/fig4-fit.png} (training error against log-spread
 * with the fitted line) and {@code DIR/report.md} (our numbers next to the seed's logged ones).
 */
public final class Fig4PSweep {
    static final int[] HIDDEN = {100, 100, 100, 100, 100};

    /**
     * The measurements at one p: online training error as the mean over the epochs and of the last epoch, end-of-epoch
     * training and test error of the last epoch, log-spread (the seed's logs) and the figure-4 script's pooled one.
     */
    public record Point(double p, double achievedP, double onlineTrainError, double lastOnlineTrainError,
                        double trainError, double testError, double logSpread, double fig4LogSpread) {
    }

    /**
     * What to run: p values, epochs, iterations, seed, persistent particles, and the training examples the
     * end-of-epoch training error is measured on (0: all).
     */
    public record Settings(double[] ps, int epochs, int free, int nudged, long seed, boolean particles,
                           int trainEvalExamples) {
        /** @throws IllegalArgumentException for a p outside [0, 1] or iteration counts below 1 */
        public Settings {
            for (double p : ps) {
                topology(p);
            }
            Fig2Runs.seedSettings(free, nudged, particles);
        }

        /** The EP knobs of every run of the sweep. */
        EpSettings ep() {
            return Fig2Runs.seedSettings(free, nudged, particles);
        }
    }

    /** The network at p: the layered one at p = 0 (as the seed's sweep), else the journal's small-world. */
    static SymmetricTopologySpec topology(double p) {
        return p == 0 ? new Layered() : new SmallWorldReplace(p, 0);
    }

    private Fig4PSweep() {
    }

    /**
     * Trains the network at every p ({@link #trainAt}) and writes the sweep's CSV and plots.
     *
     * @param checkpointEvery batches between two checkpoints of each run (0: none)
     */
    public static List<Point> run(Settings s, int checkpointEvery, LoadedDataset mnist, Path out, PrintStream log)
            throws IOException {
        List<Point> points = new ArrayList<>();
        for (double p : s.ps()) {
            points.add(trainAt(p, s, checkpointEvery, mnist, out.resolve(String.format(Locale.ROOT, "p-%s", p)), log));
        }
        writeCsv(points, out.resolve("fig4.csv"));
        LinearFit fit = fit(points);
        plots(points, fit, out);
        return points;
    }

    /**
     * Trains the 784-100x5-10 network at one p (layered at p = 0) with correction statistics into {@code dir}
     * ({@code dw-map.png} there is the network's figure-5 map) and returns its measurements. A folder holding this
     * run complete is kept; an interrupted one continues from its checkpoint (one every {@code checkpointEvery}
     * batches, 0: none).
     */
    public static Point trainAt(double p, Settings s, int checkpointEvery, LoadedDataset mnist, Path dir,
                                PrintStream log) throws IOException {
        EpRunConfig config = new EpRunConfig(HIDDEN, s.ep(), new double[] {0.015}, s.epochs(), 20, s.seed(),
                topology(p));
        log.printf(Locale.ROOT, "== p = %s%n", p);
        EpVersusBackprop.Outcome o = EpVersusBackprop.run(config, mnist,
                EpVersusBackprop.Options.continuingWithCorrections(s.trainEvalExamples(), checkpointEvery), dir, log);
        EpochRecord last = o.records().get(o.records().size() - 1);
        double online = o.records().stream().mapToDouble(EpochRecord::trainErrorOnline).average().orElse(Double.NaN);
        double achievedP = config.builtTopology(config.layerSizes(mnist.numFeatures(), mnist.numClasses())).achievedP();
        return new Point(p, achievedP, online, last.trainErrorOnline(), last.trainError(), last.testError(),
                ((Number) o.summary().extra().get("log_spread")).doubleValue(),
                ((Number) o.summary().extra().get("log_spread_fig4")).doubleValue());
    }

    /** Writes {@code report.md}, with the seed's numbers from {@code reference} when it holds them. */
    public static void report(Path file, Settings s, int trainExamples, List<Point> points, SeedReference reference)
            throws IOException {
        Fig4Report.write(file, s, trainExamples, points, fit(points), authorsFit(points),
                Fig4Report.readReference(reference), reference);
    }

    /** Online training error (mean over the epochs) against log-spread. */
    public static LinearFit fit(List<Point> points) {
        return LinearFit.of(points.stream().mapToDouble(Point::logSpread).toArray(),
                points.stream().mapToDouble(Point::onlineTrainError).toArray());
    }

    /**
     * The seed authors' figure-4 fit: the last epoch's online training error against the log-spread pooled over the
     * per-epoch pair means ({@link Point#fig4LogSpread}).
     */
    public static LinearFit authorsFit(List<Point> points) {
        return LinearFit.of(points.stream().mapToDouble(Point::fig4LogSpread).toArray(),
                points.stream().mapToDouble(Point::lastOnlineTrainError).toArray());
    }

    private static void writeCsv(List<Point> points, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write("p,achieved_p,train_error_online,train_error_online_last_epoch,train_error,test_error,log_spread,"
                    + "log_spread_fig4\n");
            for (Point pt : points) {
                w.write(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%s,%s%n", pt.p(), pt.achievedP(),
                        pt.onlineTrainError(), pt.lastOnlineTrainError(), pt.trainError(), pt.testError(),
                        pt.logSpread(), pt.fig4LogSpread()));
            }
        }
    }

    private static void plots(List<Point> points, LinearFit fit, Path out) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        double[] p = points.stream().mapToDouble(Point::p).toArray();
        XYChart vsP = new XYChartBuilder().width(900).height(600).title("Error and log-spread against p")
                .xAxisTitle("p").yAxisTitle("error (%)").build();
        vsP.addSeries("online training error", p, percent(points, Point::onlineTrainError));
        vsP.addSeries("test error", p, percent(points, Point::testError));
        XYSeries spread = vsP.addSeries("log-spread", p, points.stream().mapToDouble(Point::logSpread).toArray());
        spread.setYAxisGroup(1);
        vsP.setYAxisGroupTitle(1, "log-spread");
        save(vsP, out.resolve("fig4.png"));

        double[] x = points.stream().mapToDouble(Point::logSpread).toArray();
        XYChart vsSpread = new XYChartBuilder().width(900).height(600)
                .title(String.format(Locale.ROOT, "Online training error against log-spread (r^2 = %.3f)", fit.r2()))
                .xAxisTitle("log-spread").yAxisTitle("online training error (%)").build();
        vsSpread.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        vsSpread.addSeries("runs", x, percent(points, Point::onlineTrainError));
        double lo = java.util.Arrays.stream(x).min().orElse(0);
        double hi = java.util.Arrays.stream(x).max().orElse(1);
        XYSeries line = vsSpread.addSeries("fit", new double[] {lo, hi}, new double[] {100 * fit.at(lo), 100 * fit.at(hi)});
        line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        line.setMarker(SeriesMarkers.NONE);
        save(vsSpread, out.resolve("fig4-fit.png"));
    }

    private static double[] percent(List<Point> points, java.util.function.ToDoubleFunction<Point> f) {
        return points.stream().mapToDouble(f).map(v -> 100 * v).toArray();
    }

    private static void save(XYChart chart, Path png) throws IOException {
        try (var o = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, o, BitmapEncoder.BitmapFormat.PNG);
        }
    }
}
