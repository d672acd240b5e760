package org.eqp.examples.reproduce;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.eqp.data.LoadedDataset;
import org.eqp.examples.run.EpRunConfig;
import org.eqp.examples.run.EpVersusBackprop;
import org.eqp.learning.EpSettings;
import org.eqp.metrics.EpochRecord;
import org.eqp.topology.spec.Layered;
import org.eqp.topology.spec.SmallWorldReplace;

/**
 * Gammell et al. 2021, table 1: each row a dataset and network, trained layered and small-world p = 0.1 with one
 * rate (eps 0.5, beta 1): training error, test error and log-spread (eq. 10), next to the seed's logged values for the
 * same trial and hidden layers. The rows, with the seed's settings (its logs, {@code gammell2021_logs_per_epoch.csv}):
 * five hidden layers of 100 units on MNIST and Fashion-MNIST (rate 0.015) and of 10 on wine and diabetes (rate
 * 0.01), 1000 free / 12 nudged iterations; MNIST 784-500x3-10 (rate 0.02, 500 / 8, the networks of figure 2); eight
 * hidden layers of 10 on wine and diabetes (rate 0.01, 5000 / 18). Diabetes errors are mean squared errors of the
 * min-max-scaled target.
 */
public final class Table1 {

    /**
     * One row of the table: its name ({@code --datasets}), the dataset, hidden layers x units, rate, the seed's free /
     * nudged iterations, the seed's trial name (without {@code _mlff} / {@code _swni}), and whether it is an image
     * dataset (cut to {@code --train-examples}, trained for {@code --epochs}; the CSV rows for {@code --csv-epochs}).
     */
    public record Dataset(String name, String spec, int layers, int units, double rate, int free, int nudged,
                          String seedTrial, boolean image) {
        /** The hidden layer sizes. */
        int[] hidden() {
            return IntStream.generate(() -> units).limit(layers).toArray();
        }

        /** E.g. 100x5 for five hidden layers of 100 units. */
        String hiddenLabel() {
            return units + "x" + layers;
        }
    }

    /** The seed's logged runs of the table's trials, in a {@link SeedReference}. */
    static final String FILE = "table1_candidates_from_logs.csv";

    public static final List<Dataset> DATASETS = List.of(
            new Dataset("mnist", "mnist", 5, 100, 0.015, 1000, 12, "mnist_5layer", true),
            new Dataset("fashion-mnist", "fashion-mnist", 5, 100, 0.015, 1000, 12, "fmnist_5layer", true),
            new Dataset("wine", "wine", 5, 10, 0.01, 1000, 12, "wine_5layer", false),
            new Dataset("diabetes", "diabetes", 5, 10, 0.01, 1000, 12, "diabetes_5layer", false),
            new Dataset("mnist-3x500", "mnist", 3, 500, 0.02, 500, 8, "mnist_3layer", true),
            new Dataset("wine-8layer", "wine", 8, 10, 0.01, 5000, 18, "wine_8layer", false),
            new Dataset("diabetes-8layer", "diabetes", 8, 10, 0.01, 5000, 18, "diabetes_8layer", false));

    /**
     * One cell pair of the table: a row trained with one topology. The training error is the online one (the
     * seed's), or for the regression the end-of-epoch mean squared error (an online one is not recorded).
     *
     * @param layerSizes the network's layer sizes, e.g. 13-10-10-10-10-10-3
     * @param epochs     the epochs trained, after which the errors were measured
     */
    public record Row(String dataset, String topology, String layerSizes, int free, int nudged, int epochs,
                      double trainError, double testError, double logSpread, boolean regression, String seedTrial) {
    }

    /** Loads a dataset for a row (the CLI decides how much of it). */
    public interface Loader {
        LoadedDataset load(Dataset d) throws IOException;
    }

    private Table1() {
    }

    /**
     * The named rows in the table's order.
     *
     * @throws IllegalArgumentException for a name that is none of them
     */
    public static List<Dataset> select(List<String> names) {
        for (String name : names) {
            if (DATASETS.stream().noneMatch(d -> d.name().equals(name))) {
                throw new IllegalArgumentException("--datasets takes " + DATASETS.stream().map(Dataset::name)
                        .collect(Collectors.joining(", ")) + "; got '" + name + "'");
            }
        }
        return DATASETS.stream().filter(d -> names.contains(d.name())).toList();
    }

    /**
     * The EP knobs of a row: the seed's synchronous steps with its iterations, unless {@code free} / {@code nudged}
     * (when not null) override them.
     *
     * @throws IllegalArgumentException for iteration counts below 1
     */
    public static EpSettings settings(Dataset d, Integer free, Integer nudged, boolean particles) {
        return Fig2Runs.seedSettings(free != null ? free : d.free(), nudged != null ? nudged : d.nudged(), particles);
    }

    /**
     * Trains the given rows both ways, each run in {@code DIR/<row>-<topology>}: a folder holding its run complete is
     * kept, an interrupted one continues from its checkpoint (one every {@code checkpointEvery} batches, 0: none).
     *
     * @param free              free iterations for every row, or null for each row's own
     * @param nudged            nudged iterations for every row, or null for each row's own
     * @param trainEvalExamples end-of-epoch training error on the first K training examples (0 = all)
     */
    public static List<Row> run(List<Dataset> datasets, Loader loader, int imageEpochs, int csvEpochs, Integer free,
                                Integer nudged, boolean particles, long seed, int trainEvalExamples, int checkpointEvery,
                                Path out, PrintStream log) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (Dataset d : datasets) {
            LoadedDataset data = loader.load(d);
            int epochs = d.image() ? imageEpochs : csvEpochs;
            EpSettings settings = settings(d, free, nudged, particles);
            for (boolean smallWorld : new boolean[] {false, true}) {
                String topology = smallWorld ? "small-world" : "layered";
                log.println("== " + d.name() + ", " + topology);
                EpRunConfig config = new EpRunConfig(d.hidden(), settings, new double[] {d.rate()},
                        epochs, 20, seed, smallWorld ? new SmallWorldReplace(0.1, 0) : new Layered());
                EpVersusBackprop.Outcome o = EpVersusBackprop.run(config, data,
                        EpVersusBackprop.Options.continuingWithCorrections(trainEvalExamples, checkpointEvery),
                        out.resolve(d.name() + "-" + topology), log);
                EpochRecord last = o.records().get(o.records().size() - 1);
                double train = data.isRegression() ? last.trainError() : last.trainErrorOnline();
                String sizes = Arrays.stream(config.layerSizes(data.numFeatures(), data.numOutputs()))
                        .mapToObj(Integer::toString).collect(Collectors.joining("-"));
                rows.add(new Row(d.name(), topology, sizes, settings.freeIterations(), settings.nudgedIterations(),
                        last.epoch(), train, last.testError(), ((Number) o.summary().extra().get("log_spread")).doubleValue(),
                        data.isRegression(), d.seedTrial() + (smallWorld ? "_swni" : "_mlff")));
            }
        }
        return rows;
    }

    /**
     * Writes {@code report.md}: our rows next to the seed's values for the same trial and hidden layers
     * ({@code table1_candidates_from_logs.csv}; of several logged runs the longest, the first of equal length),
     * after epoch 100 or its last epoch, and that run's errors after our last epoch ({@link SeedEpochLog}) when it
     * logged that epoch.
     */
    public static void report(Path file, List<Row> rows, int imageEpochs, int csvEpochs, boolean particles,
                              SeedReference seed) throws IOException {
        List<Candidate> reference = readReference(seed);
        SeedEpochLog perEpoch = SeedEpochLog.read(seed);
        StringBuilder md = new StringBuilder("# Table 1: layered vs small-world, one learning rate\n\n");
        List<String> lengths = new ArrayList<>();
        if (rows.stream().anyMatch(Table1::imageRow)) {
            lengths.add(imageEpochs + " epoch(s) for the image rows (cut as the command says)");
        }
        if (!rows.stream().allMatch(Table1::imageRow)) {
            lengths.add(csvEpochs + " epoch(s) for wine and diabetes");
        }
        md.append(String.format(Locale.ROOT, "Run here: %s, %s, eps 0.5, beta 1 (random sign), synchronous steps, "
                + "batch 20. The seed: up to 100 epochs, persistent particles. Errors in %% (diabetes: MSE of the scaled "
                + "target; the seed logs half of it, shown here doubled).%n%n", String.join(", ", lengths),
                particles ? "persistent particles" : "free phases from zero"));
        md.append("| row | topology | layers | iterations | train err (online; diabetes: end of epoch) | test err | "
                + "log-spread | seed: train err | seed: test err | seed: log-spread | seed epochs | seed trial (run) | "
                + "seed at our last epoch: train err / test err |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            Candidate ref = chosen(reference, r);
            double scale = r.regression() ? 1 : 100;
            double seedScale = r.regression() ? 2 : 100;
            Optional<SeedEpochLog.Errors> atOurEpoch = ref == null ? Optional.empty()
                    : perEpoch.run(SeedEpochLog.logFile(r.seedTrial()), ref.run(), r.epochs());
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d / %d | %.3f | %.3f | %.3f | %s | %s | %s | %s | %s | %s |%n",
                    r.dataset(), r.topology(), r.layerSizes(), r.free(), r.nudged(), scale * r.trainError(),
                    scale * r.testError(), r.logSpread(),
                    ref == null ? "n/a" : String.format(Locale.ROOT, "%.3f", seedScale * ref.train()),
                    ref == null ? "n/a" : String.format(Locale.ROOT, "%.3f", seedScale * ref.test()),
                    ref == null || Double.isNaN(ref.spread()) ? "n/a" : String.format(Locale.ROOT, "%.3f", ref.spread()),
                    ref == null ? "n/a" : Integer.toString(ref.epochs()),
                    ref == null ? r.seedTrial() + " (not logged for these layers)"
                            : r.seedTrial() + " (" + ref.run() + ")",
                    atOurEpoch.map(e -> String.format(Locale.ROOT, "%.3f / %.3f (ep %d)", seedScale * e.trainOnline(),
                            seedScale * e.test(), r.epochs())).orElse("n/a")));
        }
        md.append("\nThe seed's columns: its online training error and test error after epoch 100 (or its last epoch, "
                + "when shorter) and the log-spread its log printed at the end; of several logged runs of a trial with "
                + "these hidden layers, the longest. The last column: the same logged run after the epoch our run "
                + "ended at (n/a when its log stops earlier), to compare runs shorter than the seed's like with like.\n");
        Files.writeString(file, md);
    }

    /** Whether a row of the report trains on an image dataset (its length set by --epochs, not --csv-epochs). */
    private static boolean imageRow(Row r) {
        return DATASETS.stream().anyMatch(d -> d.name().equals(r.dataset()) && d.image());
    }

    /** One logged run of a trial: its hidden sizes and its values after epoch min(100, epochs). */
    record Candidate(String trial, int run, String hidden, int epochs, double train, double test, double spread) {
    }

    /** The longest logged run of the row's trial with its hidden layers (the first of equal length), or null. */
    static Candidate chosen(List<Candidate> reference, Row r) {
        String hidden = hidden(r.layerSizes());
        Candidate best = null;
        for (Candidate c : reference) {
            if (c.trial().equals(r.seedTrial()) && (c.hidden() == null || c.hidden().equals(hidden))
                    && (best == null || c.epochs() > best.epochs())) {
                best = c;
            }
        }
        return best;
    }

    /** The hidden part of layer sizes 13-10-10-3: 10-10; null when not known. */
    private static String hidden(String layerSizes) {
        if (layerSizes == null) {
            return null;
        }
        int first = layerSizes.indexOf('-');
        int last = layerSizes.lastIndexOf('-');
        return first < last ? layerSizes.substring(first + 1, last) : "";
    }

    /** Every logged run of the reference CSV (layer sizes unknown when it lacks the column). */
    static List<Candidate> readReference(SeedReference seed) throws IOException {
        List<String> lines = seed.lines(FILE);
        List<Candidate> out = new ArrayList<>();
        if (lines.isEmpty()) {
            return out;
        }
        int[] at = seed.columns(FILE, lines.get(0), "trial", "run_index", "epochs", "train_at_100_or_final",
                "test_at_100_or_final", "spread_stdev_printed");
        int trial = at[0];
        int run = at[1];
        int epochs = at[2];
        int train = at[3];
        int test = at[4];
        int spread = at[5];
        int sizes = List.of(lines.get(0).split(",", -1)).indexOf("layer_sizes");
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",", -1);
            out.add(new Candidate(c[trial], Integer.parseInt(c[run]), sizes < 0 ? null : hidden(c[sizes]),
                    Math.min(100, Integer.parseInt(c[epochs])), Double.parseDouble(c[train]),
                    Double.parseDouble(c[test]), c[spread].isEmpty() ? Double.NaN : Double.parseDouble(c[spread])));
        }
        return out;
    }
}
