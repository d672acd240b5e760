package org.eqp.examples.reproduce;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eqp.data.LoadedDataset;
import org.eqp.examples.run.EpRunConfig;
import org.eqp.examples.run.RelaxationSchedule;
import org.eqp.learning.EpSettings;
import org.eqp.topology.spec.Layered;
import org.eqp.topology.spec.SmallWorldReplace;
import org.eqp.topology.spec.SymmetricTopologySpec;
import org.eqp.examples.run.EpVersusBackprop;
import org.eqp.metrics.EpochRecord;
import org.eqp.examples.report.LearningCurvePlot;

/**
 * Gammell et al. 2021, figures 2 and 3: MNIST 784-500x3-10 (eps 0.5, beta 1, 500 free / 8 nudged iterations, batch
 * 20) trained three ways: layered with one rate 0.02, layered with per-layer rates 0.128 / 0.032 / 0.008 / 0.002
 * (biases with their layer's rate), small-world p = 0.1 with rate 0.02. Each run lands in its own folder with its
 * corrections (figure 3: {@code corrections.png}); the sweep writes {@code curves.png} (figure 2) and
 * {@code report.md} with the seed's logged errors at the same epoch.
 */
public final class Fig2Runs {
    static final int[] HIDDEN = {500, 500, 500};

    /** One of the three networks: folder name, label, the seed's log file for it, and its settings. */
    public record Network(String folder, String label, String seedLog, double[] rates, SymmetricTopologySpec topology) {
    }

    static final List<Network> NETWORKS = List.of(
            new Network("layered", "layered, rate .02", "results/mnist_3layer_mlff/log.txt", new double[] {0.02},
                    new Layered()),
            new Network("layered-per-layer", "layered, per-layer rates", "results/mnist_3layer_mlffpl/log.txt",
                    new double[] {0.128, 0.032, 0.008, 0.002}, new Layered()),
            new Network("small-world", "small-world p=.1, rate .02", "results/mnist_3layer_swni/log.txt",
                    new double[] {0.02}, new SmallWorldReplace(0.1, 0)));

    /**
     * The seed code's EP knobs: eps 0.5, beta 1 with random sign, fixed counts, synchronous steps; free phases from
     * persistent particles (the seed's) or from zero states.
     */
    public static EpSettings seedSettings(int free, int nudged, boolean particles) {
        return new EpSettings(0.5, 1.0, free, nudged, true, particles, 0.0, false);
    }

    /** What one network did. */
    public record Outcome(String label, String seedLog, List<EpochRecord> records, double logSpread,
                          double[] pairRms, double rmsRatio, double secondsPerEpoch, RunSchedule schedule) {
    }

    private Fig2Runs() {
    }

    /**
     * The named networks (folder names: layered, layered-per-layer, small-world), in the paper's order.
     *
     * @throws IllegalArgumentException for a name that is none of them
     */
    public static List<Network> select(List<String> folders) {
        for (String f : folders) {
            if (NETWORKS.stream().noneMatch(n -> n.folder().equals(f))) {
                throw new IllegalArgumentException("--networks takes layered, layered-per-layer, small-world; got '" + f
                        + "'");
            }
        }
        return NETWORKS.stream().filter(n -> folders.contains(n.folder())).toList();
    }

    /**
     * Trains the given networks with the given EP knobs under a schedule ({@link RelaxationSchedule#settings},
     * {@link RelaxationSchedule#rates}) and gathers what they did.
     *
     * @param trainEvalExamples end-of-epoch training error on the first K training examples (0 = all)
     * @param checkpointEvery   batches between two checkpoints of each run (0: none); a network whose folder holds its
     *                          complete run is kept, an interrupted one continues from its checkpoint
     */
    public static List<Outcome> run(List<Network> networks, EpSettings settings, RelaxationSchedule schedule,
                                    int epochs, long seed, int trainEvalExamples, int checkpointEvery,
                                    LoadedDataset mnist, Path out, PrintStream log) throws IOException {
        for (Network n : networks) {
            log.println("== " + n.label());
            EpRunConfig config = new EpRunConfig(HIDDEN, schedule.settings(settings), schedule.rates(n.rates()), epochs,
                    20, seed, n.topology());
            EpVersusBackprop.run(config, mnist,
                    EpVersusBackprop.Options.continuingWithCorrections(trainEvalExamples, checkpointEvery),
                    out.resolve(n.folder()), log);
        }
        return collect(networks, out);
    }

    /**
     * Reads the runs already in {@code out} (any of layered, layered-per-layer, small-world; e.g. trained by separate
     * processes and gathered in one folder) and redraws {@code curves.png}: the outcomes for {@link #report}.
     */
    public static List<Outcome> collect(Path out) throws IOException {
        List<Network> present = NETWORKS.stream()
                .filter(n -> Files.isRegularFile(out.resolve(n.folder()).resolve("metrics.csv"))).toList();
        if (present.isEmpty()) {
            throw new IllegalArgumentException(out + " holds no fig2 run folder (layered, layered-per-layer, small-world "
                    + "with metrics.csv)");
        }
        return collect(present, out);
    }

    /** Each network's outcome from its run folder (metrics.csv, corrections.csv, summary.json), and curves.png. */
    private static List<Outcome> collect(List<Network> networks, Path out) throws IOException {
        List<Outcome> outcomes = new ArrayList<>();
        List<EpochRecord> all = new ArrayList<>();
        for (Network n : networks) {
            Path dir = out.resolve(n.folder());
            List<EpochRecord> named = org.eqp.metrics.MetricsCsvReader.read(dir.resolve("metrics.csv")).stream()
                    .map(r -> new EpochRecord(n.label(), r.epoch(), r.trainErrorOnline(), r.trainError(), r.testError(),
                            r.score(), r.seconds(), r.relaxResidual())).toList();
            all.addAll(named);
            var stats = org.eqp.dl4j.listener.CorrectionStatsListener.readCsv(dir.resolve("corrections.csv"));
            var summary = org.eqp.examples.report.SummaryJsonReader.read(dir.resolve("summary.json"));
            Map<?, ?> settings = (Map<?, ?>) summary.config();
            outcomes.add(new Outcome(n.label(), n.seedLog(), named, stats.logSpread(), stats.adjacentMeanRms(),
                    stats.adjacentRmsRatio(), summary.secondsPerEpoch(), RunSchedule.of(settings)));
        }
        new LearningCurvePlot("MNIST 784-500x3-10: " + networks.stream().map(Network::label)
                .collect(java.util.stream.Collectors.joining("; "))).addRuns(all)
                .save(out.resolve("curves.png"), 900, 600);
        return outcomes;
    }

    /** Writes {@code report.md}: our errors next to the seed's at the same epoch ({@link SeedReference}). */
    public static void report(Path file, List<Outcome> outcomes, int epochs, int trainExamples, int trainEvalExamples,
                              SeedReference seed) throws IOException {
        SeedEpochLog reference = SeedEpochLog.read(seed);
        StringBuilder md = new StringBuilder("# MNIST 784-500x3-10 (Gammell et al. 2021, figures 2 and 3)\n\n");
        md.append(String.format(Locale.ROOT, "Run here: %d epoch(s) on %d training examples, %s; end-of-epoch training "
                + "error on %s. The seed: full epochs of 60,000 examples, synchronous steps at eps 0.5, beta 1, 500 / 8 "
                + "iterations, persistent particles.%n%n", epochs, trainExamples, outcomes.get(0).schedule(),
                trainEvalExamples > 0 && trainEvalExamples < trainExamples
                        ? "the first " + trainEvalExamples + " training examples" : "all training examples"));
        md.append(String.format(Locale.ROOT, "| network | test err %% | online train err %% | log-spread | "
                + "RMS max/min | s/epoch | seed: test err %% ep %d | seed: online train err %% ep %d |%n"
                + "|---|---|---|---|---|---|---|---|%n", epochs, epochs));
        for (Outcome o : outcomes) {
            EpochRecord last = o.records().get(o.records().size() - 1);
            Optional<SeedEpochLog.Errors> ref = reference.firstRun(o.seedLog(), epochs);
            md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.3f | %.0f | %.1f | %s | %s |%n", o.label(),
                    100 * last.testError(), 100 * last.trainErrorOnline(), o.logSpread(), o.rmsRatio(),
                    o.secondsPerEpoch(), percent(ref.map(SeedEpochLog.Errors::test)),
                    percent(ref.map(SeedEpochLog.Errors::trainOnline))));
        }
        appendCurves(md, outcomes, epochs, reference);
        if (outcomes.stream().anyMatch(o -> o.schedule().alternating())) {
            md.append("\nThe alternating schedule (`--schedule fast`) reaches the seed's equilibria in fewer steps and "
                    + "keeps its expected update (eps x beta and rate / beta unchanged), so the error curves compare; "
                    + "its longer-reaching nudged phase flattens the RMS corrections across layer pairs, so figure 3's "
                    + "spread below is not the seed schedule's.\n");
        }
        md.append("\nRMS max/min: the largest over the smallest mean RMS correction of the adjacent layer pairs "
                + "(the seed's figure 3 shows about 100x for the layered network with one rate).\n");
        md.append("\nFigure 3: mean RMS correction (batch-mean dW, before the learning rate) per adjacent layer pair, "
                + "input side first:\n\n| network | 0-1 | 1-2 | 2-3 | 3-4 |\n|---|---|---|---|---|\n");
        for (Outcome o : outcomes) {
            md.append("| ").append(o.label());
            for (double rms : o.pairRms()) {
                md.append(String.format(Locale.ROOT, " | %.3g", rms));
            }
            md.append(" |\n");
        }
        md.append("\nPer run: RMS corrections per layer pair and batch (figure 3) in `*/corrections.png` and "
                + "`*/corrections.csv`; mean |dW| maps in `*/dw-map.png` (figure 5 itself: `./eqp reproduce fig5`, "
                + "on the 784-100x5-10 networks).\n");
        Files.writeString(file, md);
    }

    /** Epochs the learning-curve table shows: 1, 2, 5, 10, 20, 50, 100 up to the run's length, and its last. */
    static List<Integer> curveEpochs(int epochs) {
        java.util.TreeSet<Integer> shown = new java.util.TreeSet<>();
        for (int e : new int[] {1, 2, 5, 10, 20, 50, 100}) {
            if (e <= epochs) {
                shown.add(e);
            }
        }
        shown.add(epochs);
        return List.copyOf(shown);
    }

    /** The learning curves at a few epochs: our test error next to the seed's at the same epoch. */
    private static void appendCurves(StringBuilder md, List<Outcome> outcomes, int epochs, SeedEpochLog reference) {
        List<Integer> shown = curveEpochs(epochs);
        md.append("\nTest error % by epoch, ours / the seed's:\n\n| network |");
        shown.forEach(e -> md.append(" ep ").append(e).append(" |"));
        md.append("\n|---|").append("---|".repeat(shown.size())).append('\n');
        for (Outcome o : outcomes) {
            md.append("| ").append(o.label()).append(" |");
            for (int i = 0; i < shown.size(); i++) {
                int epoch = shown.get(i);
                double ours = o.records().stream().filter(r -> r.epoch() == epoch).mapToDouble(EpochRecord::testError)
                        .findFirst().orElse(Double.NaN);
                md.append(String.format(Locale.ROOT, " %.2f / %s |", 100 * ours,
                        percent(reference.firstRun(o.seedLog(), epoch).map(SeedEpochLog.Errors::test))));
            }
            md.append('\n');
        }
    }

    /** A fraction as a percentage with two decimals, or n/a. */
    private static String percent(Optional<Double> fraction) {
        return fraction.map(f -> String.format(Locale.ROOT, "%.2f", 100 * f)).orElse("n/a");
    }
}
