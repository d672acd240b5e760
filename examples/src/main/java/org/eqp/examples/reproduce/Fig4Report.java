package org.eqp.examples.reproduce;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eqp.examples.report.LinearFit;

/**
 * The markdown report of the p sweep: our numbers per p next to the seed authors' logged numbers at the nearest p
 * ({@code fig4_p_sweep_5x100_mnist.csv}, {@link SeedReference}), and r^2 next to the paper's 0.970.
 */
final class Fig4Report {
    /** One row of the seed's sweep: p, online training error and test error after epoch 10, test error after epoch 1. */
    record Reference(double p, double trainOnlineEp10, double testEp10, double testEp1) {
    }

    private Fig4Report() {
    }

    /** The rows of the seed's sweep, or none when the reference lacks the file. */
    static List<Reference> readReference(SeedReference reference) throws IOException {
        String file = "fig4_p_sweep_5x100_mnist.csv";
        List<Reference> rows = new ArrayList<>();
        List<String> lines = reference.lines(file);
        if (lines.isEmpty()) {
            return rows;
        }
        int[] at = reference.columns(file, lines.get(0), "p_nominal", "train_err_online_ep10", "test_err_ep10",
                "test_err_ep1");
        int p = at[0];
        int train = at[1];
        int test10 = at[2];
        int test1 = at[3];
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            rows.add(new Reference(Double.parseDouble(c[p]), Double.parseDouble(c[train]), Double.parseDouble(c[test10]),
                    Double.parseDouble(c[test1])));
        }
        return rows;
    }

    static void write(Path file, Fig4PSweep.Settings s, int trainExamples, List<SweepRun.Point> points,
                      Optional<LinearFit> fit, Optional<LinearFit> authorsFit, List<Reference> reference,
                      SeedReference source) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Figure 4: p sweep on MNIST 784-100x5-10\n\n");
        md.append(String.format(Locale.ROOT, "Run here: %d epoch(s) on %d training examples, %d free / %d nudged iterations, "
                + "rate 0.015, eps 0.5, beta 1 (random sign), synchronous steps, batch 20, %s, seed %d. The paper: 10 "
                + "epochs on 60,000 examples, 1000 / 12 iterations, persistent particles.%n%n", s.length().epochs(),
                trainExamples, s.length().free(), s.length().nudged(),
                s.length().particles() ? "persistent particles" : "free phases from zero", s.length().seed()));
        md.append("| p | achieved p | online train err %, mean of the epochs | online train err %, last epoch | "
                + "test err % | log-spread | log-spread (fig. 4 script) | seed: test err % ep 1 | "
                + "seed: online train err % ep 10 | seed: test err % ep 10 |\n"
                + "|---|---|---|---|---|---|---|---|---|---|\n");
        for (SweepRun.Point pt : points) {
            Reference r = nearest(reference, pt.x());
            md.append(String.format(Locale.ROOT, "| %s | %.4f | %.2f | %.2f | %.2f | %.3f | %.3f | %s | %s | %s |%n",
                    pt.x(), pt.achievedP(), 100 * pt.onlineTrainError(), 100 * pt.lastOnlineTrainError(),
                    100 * pt.testError(), pt.logSpread(), pt.fig4LogSpread(),
                    r == null ? "n/a" : String.format(Locale.ROOT, "%.2f (p=%s)", 100 * r.testEp1(), r.p()),
                    r == null ? "n/a" : String.format(Locale.ROOT, "%.2f", 100 * r.trainOnlineEp10()),
                    r == null ? "n/a" : String.format(Locale.ROOT, "%.2f", 100 * r.testEp10())));
        }
        if (fit.isPresent() && authorsFit.isPresent()) {
            md.append(String.format(Locale.ROOT, "%nLinear fit of the online training error (mean of the epochs) on the "
                    + "log-spread: slope %.4f, intercept %.4f, **r^2 = %.3f** (the paper: 0.970 after 10 epochs).%n",
                    fit.get().slope(), fit.get().intercept(), fit.get().r2()));
            md.append(String.format(Locale.ROOT, "%nThe authors' fit (their figure-4 script): the last epoch's online "
                    + "training error on the log-spread pooled over the epochs: slope %.4f, intercept %.4f, "
                    + "**r^2 = %.3f**.%n", authorsFit.get().slope(), authorsFit.get().intercept(),
                    authorsFit.get().r2()));
        } else {
            md.append(String.format(Locale.ROOT, "%nNo line fit: it needs runs at two or more log-spreads, and this "
                    + "sweep has %d run(s). Run the sweep with several p (runs already trained are read back).%n",
                    points.size()));
        }
        md.append("\nLog-spread: population std-dev of log10 of each adjacent layer pair's mean RMS correction over "
                + "training (what the seed's logs print). The figure-4 script's variant pools the per-epoch pair means "
                + "of all epochs; the two agree after one epoch.\n");
        if (reference.isEmpty()) {
            md.append("\nThe seed's reference numbers were not found (looked in " + source + ").\n");
        }
        Files.writeString(file, md);
    }

    private static Reference nearest(List<Reference> reference, double p) {
        Reference best = null;
        for (Reference r : reference) {
            if (best == null || Math.abs(r.p() - p) < Math.abs(best.p() - p)) {
                best = r;
            }
        }
        return best;
    }
}
