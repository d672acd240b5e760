package org.eqp.examples.reproduce;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;
import org.eqp.data.LoadedDataset;
import org.eqp.examples.reproduce.SweepRun.Point;
import org.eqp.topology.spec.SmallWorldIntralayer;

/**
 * Gammell et al. 2020 (the preprint), figure 4: the training error after one epoch of MNIST 784-500x3-10 with the
 * preprint's topology against the number n of replaced connections. The topology (preprint §4.3, Algorithm 1 of its
 * draft; {@link SmallWorldIntralayer}): every pair of units within each hidden layer connected, then n existing
 * connections moved one by one to random layer-skipping pairs; adjacent weights Glorot (eq. 19), intralayer and skip
 * weights U[-0.05, 0.05]. Training as the preprint's table 1 for "our topology": one rate 0.02, eps 0.5, beta 1, 500
 * free / 8 weakly clamped iterations, batch 20; the seed's sweep script ({@code sweep_numconns.py} of
 * {@code jgammell/Equilibrium_Propagation_mobile}) trained one epoch on the first 50,000 MNIST training examples with
 * persistent particles for n = 0, 500, ..., 199,500 ({@link #paperGrid}).
 *
 * <p>Each n is a {@code train} run in {@code DIR/n-<n>/} ({@link SweepRun}); per n the report gives the online
 * training error (what the figure plots), the test error, the achieved p (footnote 2: p = 1 - ((N-1)/N)^n) and the
 * preprint's Spread of the RMS corrections (eqs. 20, 22, 23; {@code CorrectionStatsListener#preprintSpread}), next to
 * the seed's logged runs at the same n and epoch ({@code gammell2020_mobile_results_per_epoch.csv}: n = 0, 10,000 and
 * 100,000 at this rate). Writes {@code DIR/preprint-fig4.csv}, {@code DIR/preprint-fig4.png} (errors and Spread
 * against n) and {@code DIR/report.md}.
 */
public final class PreprintFig4 {
    static final int[] HIDDEN = {500, 500, 500};
    static final double RATE = 0.02;
    /**
     * The default grid of {@code --n}: the seed's logged n (0, 10,000, 100,000), points between, and the last n of the
     * seed's sweep.
     */
    public static final String DEFAULT_GRID = "0,3000,10000,30000,100000,199500";
    /** Training examples of the preprint's MNIST split (the rest of the 60,000 were its validation set). */
    public static final int PREPRINT_TRAIN_EXAMPLES = 50_000;
    private static final String REFERENCE = "gammell2020_mobile_results_per_epoch.csv";

    private PreprintFig4() {
    }

    /** The seed's sweep: n = 0, 500, ..., 199,500 (400 runs; {@code sweep_numconns.py}). */
    public static long[] paperGrid() {
        return LongStream.iterate(0, n -> n < 200_000, n -> n + 500).toArray();
    }

    /**
     * The values of {@code --n}: {@code paper} for {@link #paperGrid}, else numbers of replaced connections.
     *
     * @throws IllegalArgumentException for a value that is neither a whole number at least 0 nor {@code paper}
     */
    public static long[] grid(List<String> values) {
        if (values.size() == 1 && values.get(0).equals("paper")) {
            return paperGrid();
        }
        long[] ns = new long[values.size()];
        for (int i = 0; i < ns.length; i++) {
            String v = values.get(i).strip();
            try {
                ns[i] = Long.parseLong(v);
            } catch (NumberFormatException e) {
                ns[i] = -1;
            }
            if (ns[i] < 0) {
                throw new IllegalArgumentException("--n takes numbers of replaced connections, at least 0, separated by "
                        + "commas (or paper: the seed's 0, 500, ..., 199500); got '" + v + "'");
            }
        }
        return ns;
    }

    /**
     * Checks that the network with {@code inputs} and {@code outputs} has room for every n (at most its connections).
     *
     * @throws IllegalArgumentException naming the largest n allowed
     */
    public static void check(long[] ns, int inputs, int outputs) {
        long max = Arrays.stream(ns).max().orElse(0);
        new SmallWorldIntralayer(max, 0).build(sizes(inputs, outputs));
    }

    private static int[] sizes(int inputs, int outputs) {
        int[] sizes = new int[HIDDEN.length + 2];
        sizes[0] = inputs;
        System.arraycopy(HIDDEN, 0, sizes, 1, HIDDEN.length);
        sizes[sizes.length - 1] = outputs;
        return sizes;
    }

    /**
     * Trains the network at every n and writes the sweep's CSV and plot.
     *
     * @param checkpointEvery batches between two checkpoints of each run (0: none)
     */
    public static List<Point> run(long[] ns, SweepRun.Length s, int checkpointEvery, LoadedDataset mnist, Path out,
                                  PrintStream log) throws IOException {
        List<Point> points = new ArrayList<>();
        for (long n : ns) {
            log.printf(Locale.ROOT, "== n = %d%n", n);
            points.add(SweepRun.train(n, HIDDEN, RATE, new SmallWorldIntralayer(n, 0), s, checkpointEvery, mnist,
                    out.resolve("n-" + n), log));
        }
        SweepRun.writeCsv(points, "n", out.resolve("preprint-fig4.csv"));
        SweepRun.plotAgainst(points, "784-500x3-10, preprint topology: error and Spread against replaced connections",
                "replaced connections n", "Spread (eq. 23)", Point::preprintSpread, out.resolve("preprint-fig4.png"));
        return points;
    }

    /** One logged run of the seed at this network and rate: type, n, and its errors at the epoch asked for. */
    record Reference(String type, long n, double trainOnline, double test) {
    }

    /**
     * The seed's logged 784-500x3-10 runs at rate 0.02 after {@code epoch} ("smallworld replace" runs by n, and the
     * layered one), from {@value #REFERENCE}; none when the reference lacks the file.
     */
    static List<Reference> readReference(SeedReference reference, int epoch) throws IOException {
        List<String> lines = reference.lines(REFERENCE);
        List<Reference> out = new ArrayList<>();
        if (lines.isEmpty()) {
            return out;
        }
        int[] at = reference.columns(REFERENCE, lines.get(0), "layer_sizes", "type", "bypass_connections",
                "learning_rate", "epoch", "train_error_online", "test_error");
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            if (c[at[0]].equals("784-500-500-500-10") && Double.parseDouble(c[at[3]]) == RATE
                    && Integer.parseInt(c[at[4]]) == epoch) {
                out.add(new Reference(c[at[1]], Long.parseLong(c[at[2]]), Double.parseDouble(c[at[5]]),
                        Double.parseDouble(c[at[6]])));
            }
        }
        return out;
    }

    /** Writes {@code report.md}: per n our numbers next to the seed's logged run at the same n and epoch. */
    public static void report(Path file, SweepRun.Length s, int trainExamples, List<Point> points,
                              SeedReference reference) throws IOException {
        List<Reference> seed = readReference(reference, s.epochs());
        StringBuilder md = new StringBuilder("# Preprint figure 4: error against replaced connections, MNIST "
                + "784-500x3-10\n\n");
        md.append(String.format(Locale.ROOT, "Run here: %d epoch(s) on %d training examples, %d free / %d nudged "
                + "iterations, rate 0.02, eps 0.5, beta 1 (random sign), synchronous steps, batch 20, %s, seed %d; the "
                + "preprint's topology (hidden layers connected within, n connections moved to layer-skipping pairs, "
                + "intralayer and skip weights U[-0.05, 0.05]). The seed: 1 epoch on 50,000 examples, 500 / 8 "
                + "iterations, persistent particles.%n%n", s.epochs(), trainExamples, s.free(), s.nudged(),
                s.particles() ? "persistent particles" : "free phases from zero", s.seed()));
        md.append(String.format(Locale.ROOT, "| n | achieved p | online train err %% ep %d | test err %% | Spread "
                + "(eq. 23) | log-spread | seed: online train err %% ep %d | seed: test err %% ep %d |%n"
                + "|---|---|---|---|---|---|---|---|%n", s.epochs(), s.epochs(), s.epochs()));
        for (Point pt : points) {
            Reference r = seed.stream().filter(x -> x.type().equals("smallworld replace") && x.n() == (long) pt.x())
                    .findFirst().orElse(null);
            md.append(String.format(Locale.ROOT, "| %d | %.4f | %.2f | %.2f | %s | %.3f | %s | %s |%n", (long) pt.x(),
                    pt.achievedP(), 100 * pt.lastOnlineTrainError(), 100 * pt.testError(),
                    Double.isNaN(pt.preprintSpread()) ? "n/a" : String.format(Locale.ROOT, "%.3f", pt.preprintSpread()),
                    pt.logSpread(),
                    r == null ? "n/a" : String.format(Locale.ROOT, "%.2f", 100 * r.trainOnline()),
                    r == null ? "n/a" : String.format(Locale.ROOT, "%.2f", 100 * r.test())));
        }
        seed.stream().filter(x -> x.type().equals("layered")).findFirst().ifPresent(r -> md.append(String.format(
                Locale.ROOT, "%nFor comparison, the seed's layered network (no intralayer connections, rate 0.02) after "
                        + "epoch %d: online train err %.2f %%, test err %.2f %%.%n", s.epochs(), 100 * r.trainOnline(),
                100 * r.test())));
        md.append("\nSpread (preprint eqs. 20, 22, 23): per adjacent layer pair the RMS correction of each batch (before "
                + "the learning rate), summed over training; with the pairs sorted by that sum, the upper half over the "
                + "lower half, the largest left out (4 pairs here: the second smallest over the smallest). Eq. 20 "
                + "averages over all N^l N^(l+1) unit pairs, ours over the connections that exist; the moves take the same "
                + "fraction of every block in expectation, which leaves the ratio unchanged. Log-spread: the journal's "
                + "eq. 10.\n");
        if (seed.isEmpty()) {
            md.append("\nThe seed's reference numbers were not found for epoch " + s.epochs() + " (looked in "
                    + reference + ").\n");
        }
        Files.writeString(file, md);
    }
}
