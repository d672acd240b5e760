package org.eqp.examples.reproduce;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eqp.data.LoadedDataset;
import org.eqp.examples.run.EpRunConfig;
import org.eqp.learning.EpSettings;
import org.eqp.topology.spec.Layered;
import org.eqp.topology.spec.SmallWorldReplace;
import org.eqp.examples.run.EpVersusBackprop;
import org.eqp.metrics.EpochRecord;

/**
 * Gammell et al. 2021, table 1: four datasets (MNIST, Fashion-MNIST, wine, diabetes as regression), each trained with
 * five hidden layers (100 units for the images, 10 for the CSVs), 1000 free / 12 nudged iterations, layered and
 * small-world p = 0.1, rate 0.015 (images) or 0.01 (CSVs): training error, test error and log-spread, next to the
 * seed's logged values. Diabetes errors are mean squared errors of the min-max-scaled target.
 */
public final class Table1 {

    /** One dataset's network and the seed's trial name for it. */
    public record Dataset(String spec, int hiddenUnits, double rate, String seedTrial, boolean image) {
    }

    public static final List<Dataset> DATASETS = List.of(
            new Dataset("mnist", 100, 0.015, "mnist_5layer", true),
            new Dataset("fashion-mnist", 100, 0.015, "fmnist_5layer", true),
            new Dataset("wine", 10, 0.01, "wine_5layer", false),
            new Dataset("diabetes", 10, 0.01, "diabetes_5layer", false));

    /**
     * One cell pair of the table: a dataset trained with one topology. The training error is the online one (the
     * seed's), or for the regression the end-of-epoch mean squared error (an online one is not recorded).
     */
    public record Row(String dataset, String topology, double trainError, double testError, double logSpread,
                      boolean regression, String seedTrial) {
    }

    /** Loads a dataset for a row (the CLI decides how much of it). */
    public interface Loader {
        LoadedDataset load(Dataset d) throws IOException;
    }

    private Table1() {
    }

    /**
     * The named datasets (mnist, fashion-mnist, wine, diabetes) in the table's order.
     *
     * @throws IllegalArgumentException for a name that is none of them
     */
    public static List<Dataset> select(List<String> specs) {
        for (String spec : specs) {
            if (DATASETS.stream().noneMatch(d -> d.spec().equals(spec))) {
                throw new IllegalArgumentException("--datasets takes mnist, fashion-mnist, wine, diabetes; got '" + spec
                        + "'");
            }
        }
        return DATASETS.stream().filter(d -> specs.contains(d.spec())).toList();
    }

    /**
     * Trains the given datasets both ways with the given EP knobs, each run in {@code DIR/<dataset>-<topology>}: a
     * folder holding its run complete is kept, an interrupted one continues from its checkpoint (one every
     * {@code checkpointEvery} batches, 0: none).
     *
     * @param trainEvalExamples end-of-epoch training error on the first K training examples (0 = all)
     */
    public static List<Row> run(List<Dataset> datasets, Loader loader, int imageEpochs, int csvEpochs, EpSettings settings,
                                long seed, int trainEvalExamples, int checkpointEvery, Path out, PrintStream log)
            throws IOException {
        List<Row> rows = new ArrayList<>();
        for (Dataset d : datasets) {
            LoadedDataset data = loader.load(d);
            int epochs = d.image() ? imageEpochs : csvEpochs;
            int[] hidden = {d.hiddenUnits(), d.hiddenUnits(), d.hiddenUnits(), d.hiddenUnits(), d.hiddenUnits()};
            for (boolean smallWorld : new boolean[] {false, true}) {
                String topology = smallWorld ? "small-world" : "layered";
                log.println("== " + d.spec() + ", " + topology);
                EpRunConfig config = new EpRunConfig(hidden, settings, new double[] {d.rate()},
                        epochs, 20, seed, smallWorld ? new SmallWorldReplace(0.1, 0) : new Layered());
                EpVersusBackprop.Outcome o = EpVersusBackprop.run(config, data,
                        EpVersusBackprop.Options.continuingWithCorrections(trainEvalExamples, checkpointEvery),
                        out.resolve(d.spec() + "-" + topology), log);
                EpochRecord last = o.records().get(o.records().size() - 1);
                double train = data.isRegression() ? last.trainError() : last.trainErrorOnline();
                rows.add(new Row(d.spec(), topology, train, last.testError(),
                        ((Number) o.summary().extra().get("log_spread")).doubleValue(), data.isRegression(),
                        d.seedTrial() + (smallWorld ? "_swni" : "_mlff")));
            }
        }
        return rows;
    }

    /** Writes {@code report.md}: our rows next to the seed's final values ({@code table1_candidates_from_logs.csv}). */
    public static void report(Path file, List<Row> rows, int imageEpochs, int csvEpochs, EpSettings settings,
                              SeedReference seed) throws IOException {
        Map<String, String[]> reference = readReference(seed.lines("table1_candidates_from_logs.csv"));
        StringBuilder md = new StringBuilder("# Table 1: layered vs small-world on four datasets\n\n");
        md.append(String.format(Locale.ROOT, "Run here: %d epoch(s) for the image datasets (cut as the command says), %d for "
                + "wine and diabetes, %d free / %d nudged iterations, %s. The seed: up to 100 epochs, "
                + "1000 / 12, persistent particles. Errors in %% (diabetes: MSE of the scaled target; the seed logs half "
                + "of it, shown here doubled).%n%n", imageEpochs, csvEpochs, settings.freeIterations(),
                settings.nudgedIterations(), settings.persistentParticles() ? "persistent particles"
                        : "free phases from zero"));
        md.append("| dataset | topology | train err (online; diabetes: end of epoch) | test err | log-spread | seed: train err | seed: test err | "
                + "seed: log-spread | seed epochs |\n|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            String[] ref = reference.get(r.seedTrial());
            double scale = r.regression() ? 1 : 100;
            double seedScale = r.regression() ? 2 : 100;
            md.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.3f | %s | %s | %s | %s |%n", r.dataset(),
                    r.topology(), scale * r.trainError(), scale * r.testError(), r.logSpread(),
                    ref == null ? "n/a" : String.format(Locale.ROOT, "%.3f", seedScale * Double.parseDouble(ref[0])),
                    ref == null ? "n/a" : String.format(Locale.ROOT, "%.3f", seedScale * Double.parseDouble(ref[1])),
                    ref == null || ref[2].isEmpty() ? "n/a" : String.format(Locale.ROOT, "%.3f", Double.parseDouble(ref[2])),
                    ref == null ? "n/a" : ref[3]));
        }
        Files.writeString(file, md);
    }

    /** trial to {final online train error, final test error, printed spread, epochs} of its first logged run. */
    private static Map<String, String[]> readReference(List<String> lines) {
        Map<String, String[]> out = new HashMap<>();
        if (lines.isEmpty()) {
            return out;
        }
        List<String> header = List.of(lines.get(0).split(",", -1));
        int trial = header.indexOf("trial");
        int train = header.indexOf("final_train_err_online");
        int test = header.indexOf("final_test_err");
        int spread = header.indexOf("spread_stdev_printed");
        int epochs = header.indexOf("epochs");
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",", -1);
            out.putIfAbsent(c[trial], new String[] {c[train], c[test], c[spread], c[epochs]});
        }
        return out;
    }
}
