package org.eqp.examples.reproduce;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eqp.data.LoadedDataset;
import org.eqp.examples.report.LinearFit;
import org.eqp.examples.reproduce.SweepRun.Point;
import org.eqp.topology.spec.Layered;
import org.eqp.topology.spec.SmallWorldReplace;
import org.eqp.topology.spec.SymmetricTopologySpec;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Gammell et al. 2021, figure 4: the small-world probability p swept on MNIST 784-100x5-10 (rate 0.015, eps 0.5,
 * beta 1, 1000 free / 12 nudged iterations): training error, test error and log-spread (eq. 10) per p, and the linear
 * fit of the training error on the log-spread with its r^2 (the paper: 0.970 after 10 epochs).
 *
 * <p>Each p is a full {@code train} run in {@code DIR/p-<p>/} ({@link SweepRun}); the sweep writes
 * {@code DIR/fig4.csv}, {@code DIR/fig4.png} (errors and log-spread against p), {@code DIR/fig4-fit.png} (training
 * error against log-spread with the fitted line) and {@code DIR/report.md} (our numbers next to the seed's logged
 * ones). {@link #paperGrid} is the paper's own grid of 23 values of p.
 */
public final class Fig4PSweep {
    static final int[] HIDDEN = {100, 100, 100, 100, 100};
    static final double RATE = 0.015;

    /** What to run: the p values, and the length and EP knobs of every run. */
    public record Settings(double[] ps, SweepRun.Length length) {
        /** @throws IllegalArgumentException for a p outside [0, 1] */
        public Settings {
            for (double p : ps) {
                topology(p);
            }
        }
    }

    /** The network at p: the layered one at p = 0 (as the seed's sweep), else the journal's small-world. */
    static SymmetricTopologySpec topology(double p) {
        return p == 0 ? new Layered() : new SmallWorldReplace(p, 0);
    }

    private Fig4PSweep() {
    }

    /**
     * The paper's grid: the 23 nominal p of the seed's sweep (0, then 0.0001 to 0.078805 in logarithmic steps), the
     * {@code p_nominal} column of the bundled {@code fig4_p_sweep_5x100_mnist.csv}.
     */
    public static double[] paperGrid() throws IOException {
        return Fig4Report.readReference(SeedReference.bundled()).stream().mapToDouble(Fig4Report.Reference::p)
                .toArray();
    }

    /**
     * The values of {@code --p}: {@code paper} for {@link #paperGrid}, else the numbers given (checked by
     * {@link Settings}).
     *
     * @throws IllegalArgumentException for a value that is neither a number nor {@code paper}
     */
    public static double[] grid(List<String> values) throws IOException {
        if (values.size() == 1 && values.get(0).equals("paper")) {
            return paperGrid();
        }
        double[] ps = new double[values.size()];
        for (int i = 0; i < ps.length; i++) {
            try {
                ps[i] = Double.parseDouble(values.get(i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--p takes values of p in [0, 1] separated by commas, or paper (the "
                        + "paper's 23 values); got '" + values.get(i) + "'");
            }
        }
        return ps;
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
            points.add(trainAt(p, s.length(), checkpointEvery, mnist, out.resolve(String.format(Locale.ROOT, "p-%s", p)),
                    log));
        }
        writeSweep(points, out);
        return points;
    }

    /**
     * Writes {@code fig4.csv}, {@code fig4.png} and, when the runs define a line ({@link #fit}), {@code fig4-fit.png};
     * without one, a {@code fig4-fit.png} left in {@code out} by an earlier sweep is deleted so that it cannot be
     * mistaken for this sweep's fit.
     */
    static void writeSweep(List<Point> points, Path out) throws IOException {
        SweepRun.writeCsv(points, "p", out.resolve("fig4.csv"));
        SweepRun.plotAgainst(points, "Error and log-spread against p", "p", "log-spread", Point::logSpread,
                out.resolve("fig4.png"));
        Optional<LinearFit> fit = fit(points);
        Path fitPlot = out.resolve("fig4-fit.png");
        if (fit.isPresent()) {
            plotFit(points, fit.get(), fitPlot);
        } else {
            Files.deleteIfExists(fitPlot);
        }
    }

    /**
     * Trains the 784-100x5-10 network at one p (layered at p = 0) into {@code dir} ({@code dw-map.png} there is the
     * network's figure-5 map) and returns its measurements ({@link SweepRun#train}).
     */
    public static Point trainAt(double p, SweepRun.Length s, int checkpointEvery, LoadedDataset mnist, Path dir,
                                PrintStream log) throws IOException {
        log.printf(Locale.ROOT, "== p = %s%n", p);
        return SweepRun.train(p, HIDDEN, RATE, topology(p), s, checkpointEvery, mnist, dir, log);
    }

    /** Writes {@code report.md}, with the seed's numbers from {@code reference} when it holds them. */
    public static void report(Path file, Settings s, int trainExamples, List<Point> points, SeedReference reference)
            throws IOException {
        Fig4Report.write(file, s, trainExamples, points, fit(points), authorsFit(points),
                Fig4Report.readReference(reference), reference);
    }

    /** Online training error (mean over the epochs) against log-spread; empty with fewer than two distinct spreads. */
    public static Optional<LinearFit> fit(List<Point> points) {
        return LinearFit.ifDefined(points.stream().mapToDouble(Point::logSpread).toArray(),
                points.stream().mapToDouble(Point::onlineTrainError).toArray());
    }

    /**
     * The seed authors' figure-4 fit: the last epoch's online training error against the log-spread pooled over the
     * per-epoch pair means ({@link Point#fig4LogSpread}); empty with fewer than two distinct spreads.
     */
    public static Optional<LinearFit> authorsFit(List<Point> points) {
        return LinearFit.ifDefined(points.stream().mapToDouble(Point::fig4LogSpread).toArray(),
                points.stream().mapToDouble(Point::lastOnlineTrainError).toArray());
    }

    private static void plotFit(List<Point> points, LinearFit fit, Path png) throws IOException {
        SweepRun.headless();
        double[] x = points.stream().mapToDouble(Point::logSpread).toArray();
        XYChart vsSpread = new XYChartBuilder().width(900).height(600)
                .title(String.format(Locale.ROOT, "Online training error against log-spread (r^2 = %.3f)", fit.r2()))
                .xAxisTitle("log-spread").yAxisTitle("online training error (%)").build();
        vsSpread.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        vsSpread.addSeries("runs", x, SweepRun.percent(points, Point::onlineTrainError));
        double lo = java.util.Arrays.stream(x).min().orElse(0);
        double hi = java.util.Arrays.stream(x).max().orElse(1);
        XYSeries line = vsSpread.addSeries("fit", new double[] {lo, hi}, new double[] {100 * fit.at(lo), 100 * fit.at(hi)});
        line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        line.setMarker(SeriesMarkers.NONE);
        SweepRun.save(vsSpread, png);
    }
}
