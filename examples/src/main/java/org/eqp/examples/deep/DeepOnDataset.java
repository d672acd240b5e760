package org.eqp.examples.deep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.data.LoadedDataset;
import org.eqp.directed.DirectedGraph;
import org.eqp.dl4j.conf.DirectedEpOutputLayer;
import org.eqp.dl4j.layers.DirectedEpOutputLayerImpl;
import org.eqp.examples.run.EpRunConfig;
import org.eqp.examples.run.EpVersusBackprop;
import org.eqp.examples.run.MetricsFile;
import org.eqp.examples.run.TrainingRun;
import org.eqp.metrics.EpochRecord;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * Beyond the paper: DEEP (or vector-field EP) with pruning on a real dataset, through the DL4J layer and {@code fit},
 * next to the layered EP network and the backprop MLP with one hidden layer of the same number of units. Writes
 * {@code DIR/directed/metrics.csv}, {@code DIR/layered/...} (the {@code ./eqp train} outputs of the two others),
 * {@code DIR/summary.json} and {@code DIR/report.md}.
 */
public final class DeepOnDataset {

    /** What the directed network did. */
    public record Outcome(List<EpochRecord> records, int edgesLeft, int edgesAtStart, double secondsPerEpoch) {
        public double sparsity() {
            return 1 - edgesLeft / (double) edgesAtStart;
        }
    }

    private DeepOnDataset() {
    }

    /** Trains {@link DeepRecipe#network} (nIn and nOut from the data) with {@code fit} for {@code epochs} epochs. */
    public static Outcome run(LoadedDataset data, DeepRecipe recipe, int hidden, int epochs, int batch, long seed,
                              Path out, PrintStream log) throws IOException {
        Files.createDirectories(out.resolve("directed"));
        MultiLayerNetwork net = recipe.network(data.numFeatures(), hidden, data.numClasses(),
                DirectedEpOutputLayer.DEFAULT_INIT_SIGMA, seed, DataType.FLOAT);
        DirectedGraph start = ((DirectedEpOutputLayerImpl) net.getLayer(0)).network().graph();
        log.println(recipe.ruleName() + " network: " + start + " on " + data.name());
        List<EpochRecord> records = TrainingRun.train(recipe.ruleName(), net, data, epochs, batch, seed,
                MetricsFile.of(out.resolve("directed/metrics.csv"), List.of()), log);
        int left = ((DirectedEpOutputLayerImpl) net.getLayer(0)).network().liveGraph().edgeCount();
        double seconds = records.stream().mapToDouble(EpochRecord::seconds).average().orElse(Double.NaN);
        return new Outcome(records, left, start.edgeCount(), seconds);
    }

    /** The layered EP network (one hidden layer of the same size, the quickstart settings) and the backprop MLP. */
    public static EpVersusBackprop.Outcome layeredAndBackprop(LoadedDataset data, int hidden, int epochs, int batch,
                                                              long seed, Path out, PrintStream log) throws IOException {
        EpRunConfig config = EpRunConfig.withDefaults(new int[] {hidden}, epochs, batch, seed);
        return EpVersusBackprop.run(config, data, EpVersusBackprop.Options.replacing(true), out.resolve("layered"),
                log);
    }

    public static void report(Path out, LoadedDataset data, DeepRecipe recipe, int hidden, Outcome directed,
                              EpVersusBackprop.Outcome others) throws IOException {
        EpochRecord last = directed.records().get(directed.records().size() - 1);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("dataset", data.name());
        root.put("train_examples", data.train().numExamples());
        root.put("test_examples", data.test().numExamples());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("rule", recipe.ruleName());
        d.put("settings", recipe.settings());
        d.put("hidden", hidden);
        d.put("learning_rate", recipe.learningRate());
        d.put("l1", recipe.l1());
        d.put("test_error", last.testError());
        d.put("train_error", last.trainError());
        d.put("edges_at_start", directed.edgesAtStart());
        d.put("edges_left", directed.edgesLeft());
        d.put("sparsity", directed.sparsity());
        d.put("seconds_per_epoch", directed.secondsPerEpoch());
        root.put("directed", d);
        root.put("layered_ep", Map.of("test_error", others.summary().testError(), "train_error",
                others.summary().trainError(), "seconds_per_epoch", others.summary().secondsPerEpoch()));
        root.put("backprop", Map.of("test_error", others.summary().baseline().testError(), "train_error",
                others.summary().baseline().trainError(), "seconds_per_epoch",
                others.summary().baseline().secondsPerEpoch()));
        Files.writeString(out.resolve("summary.json"), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(root));
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "# %s with pruning on %s, next to layered EP "
                + "and backprop%n%n%d training / %d test examples; %d hidden units each; %d epochs.%n%n",
                recipe.ruleName(), data.name(), data.train().numExamples(), data.test().numExamples(), hidden,
                last.epoch()));
        md.append("| network | test err % | train err % | edges left | sparsity % | s/epoch |\n|---|---|---|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| %s (complete directed graph) | %.2f | %.2f | %d / %d | %.2f | %.1f |%n",
                recipe.ruleName(), 100 * last.testError(), 100 * last.trainError(), directed.edgesLeft(),
                directed.edgesAtStart(), 100 * directed.sparsity(), directed.secondsPerEpoch()));
        md.append(String.format(Locale.ROOT, "| layered EP | %.2f | %.2f | dense | 0 | %.1f |%n",
                100 * others.summary().testError(), 100 * others.summary().trainError(),
                others.summary().secondsPerEpoch()));
        md.append(String.format(Locale.ROOT, "| backprop MLP | %.2f | %.2f | dense | 0 | %.1f |%n",
                100 * others.summary().baseline().testError(), 100 * others.summary().baseline().trainError(),
                others.summary().baseline().secondsPerEpoch()));
        Files.writeString(out.resolve("report.md"), md);
    }
}
