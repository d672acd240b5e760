package org.eqp.examples.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.eqp.dl4j.EpModelSerializer;
import org.eqp.baseline.BackpropMlp;
import org.eqp.baseline.BackpropMlpConfig;
import org.eqp.data.LoadedDataset;
import org.eqp.dl4j.listener.CorrectionStatsListener;
import org.eqp.examples.report.ComparisonTable;
import org.eqp.examples.report.CorrectionHeatmap;
import org.eqp.examples.report.CorrectionPlot;
import org.eqp.examples.report.LearningCurvePlot;
import org.eqp.examples.report.RunSummary;
import org.eqp.examples.report.SummaryJsonWriter;
import org.eqp.metrics.EpochRecord;
import org.eqp.metrics.MetricsCsvWriter;
import org.eqp.topology.BuiltTopology;

/**
 * Trains an EP network and, optionally, the backprop MLP of the same shape (same sizes, clamp activation, loss,
 * Glorot init, SGD rates, seed, data order) and writes the run directory:
 * {@code metrics.csv}, {@code summary.json}, {@code model.zip} (the EP network), {@code curves.png}; with correction
 * statistics also {@code corrections.csv} (RMS correction per block and batch), {@code corrections.png},
 * {@code dw-map.png} (mean |dW| of the whole network), {@code saturation.csv} (units at 0 and 1 per batch and layer)
 * and the log-spread, RMS ratio and saturated fractions in the summary.
 */
public final class EpVersusBackprop {
    public static final String EP = "EP";
    public static final String BACKPROP = "backprop";

    /** What was trained and measured. */
    public record Outcome(RunSummary summary, List<EpochRecord> records, MultiLayerNetwork epNetwork,
                          boolean regression) {
        /** The side-by-side table of the runs (EP first). */
        public String table() {
            ComparisonTable table = new ComparisonTable(regression ? ComparisonTable.Metric.MSE
                    : ComparisonTable.Metric.ERROR_PERCENT).addRow(EP, summary);
            if (summary.baseline() != null) {
                table.addRow(BACKPROP, summary.baseline());
            }
            return table.format();
        }
    }

    private EpVersusBackprop() {
    }

    /** Runs without correction statistics (see {@link #run(EpRunConfig, LoadedDataset, boolean, boolean, Path, PrintStream)}). */
    public static Outcome run(EpRunConfig config, LoadedDataset data, boolean withBaseline, Path out, PrintStream log)
            throws IOException {
        return run(config, data, withBaseline, false, out, log);
    }

    /**
     * @param withBaseline    also train the same-shape backprop MLP
     * @param withCorrections record the EP network's per-block RMS corrections (one pass over the weights per batch)
     * @param out             the run directory (created)
     */
    public static Outcome run(EpRunConfig config, LoadedDataset data, boolean withBaseline, boolean withCorrections,
                              Path out, PrintStream log) throws IOException {
        return run(config, data, withBaseline, withCorrections, 0, out, log);
    }

    /**
     * As above, with the end-of-epoch training error on the first {@code trainEvalExamples} examples (0 = all), and
     * {@code watchers} listening to the EP network's training after its measurement (e.g. a training UI's).
     */
    public static Outcome run(EpRunConfig config, LoadedDataset data, boolean withBaseline, boolean withCorrections,
                              int trainEvalExamples, Path out, PrintStream log, TrainingListener... watchers)
            throws IOException {
        Files.createDirectories(out);
        Path metricsFile = out.resolve("metrics.csv");
        Files.deleteIfExists(metricsFile);
        List<EpochRecord> records = new ArrayList<>();
        CorrectionStatsListener corrections = new CorrectionStatsListener();
        MultiLayerNetwork ep = config.buildNetwork(data.numFeatures(), outputs(data));
        RunSummary baseline = null;
        try (MetricsCsvWriter metrics = MetricsCsvWriter.open(metricsFile)) {
            log.println("EP network: " + describe(data, config));
            List<TrainingListener> extra = new ArrayList<>(List.of(watchers));
            if (withCorrections) {
                extra.add(corrections);
            }
            List<EpochRecord> epRecords = TrainingRun.train(EP, ep, data, config.epochs(), config.batch(), config.seed(),
                    trainEvalExamples, config.parallelism(), metrics, log, extra.toArray(TrainingListener[]::new));
            records.addAll(epRecords);
            if (withBaseline) {
                log.println("backprop MLP of the same shape");
                MultiLayerNetwork mlp = BackpropMlp.build(baselineConfig(config, data));
                List<EpochRecord> bpRecords = TrainingRun.train(BACKPROP, mlp, data, config.epochs(), config.batch(),
                        config.seed(), 0, config.parallelism(), metrics, log);
                records.addAll(bpRecords);
                baseline = RunSummary.fromRecords(data.name(), baselineSettings(config), bpRecords);
            }
        }
        RunSummary summary = RunSummary.fromRecords(data.name(), settings(config, data), onlyRun(records, EP));
        if (baseline != null) {
            summary = summary.withBaseline(baseline);
        }
        if (withCorrections) {
            corrections.writeCsv(out.resolve("corrections.csv"));
            new CorrectionPlot(data.name() + ": RMS EP correction per layer pair (moving average)")
                    .save(corrections.adjacentSeries(25), out.resolve("corrections.png"), 900, 600);
            CorrectionHeatmap.save(corrections.meanAbsTopology(), corrections::meanAbsCorrection, 150,
                    data.name() + ": mean |dW| over training", out.resolve("dw-map.png"));
            corrections.writeSaturationCsv(out.resolve("saturation.csv"));
            summary = summary.withExtra(correctionSummary(corrections, config.layerSizes(data.numFeatures(),
                    outputs(data)).length));
        }
        SummaryJsonWriter.write(summary, out.resolve("summary.json"));
        saveModel(ep, out.resolve("model.zip"));
        new LearningCurvePlot(data.name() + ": " + (withBaseline ? "EP vs backprop" : "EP") + " learning curves")
                .addRuns(records).save(out.resolve("curves.png"), 900, 600);
        return new Outcome(summary, records, ep, data.isRegression());
    }

    /**
     * The summary.json fields of the correction statistics: log-spread (and the seed's figure-4 variant), the mean RMS of
     * each adjacent layer pair and the largest / smallest mean RMS of the adjacent
     * layer pairs, and per non-input layer the fractions of free-equilibrium units saturated at 0 and at 1.
     */
    private static Map<String, Object> correctionSummary(CorrectionStatsListener corrections, int layers) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("log_spread", corrections.logSpread());
        extra.put("log_spread_fig4", corrections.fig4LogSpread());
        extra.put("adjacent_mean_rms", corrections.adjacentMeanRms());
        extra.put("adjacent_rms_ratio", corrections.adjacentRmsRatio());
        double[] atZero = new double[layers - 1];
        double[] atOne = new double[layers - 1];
        for (int l = 1; l < layers; l++) {
            double[] f = corrections.saturatedFractions(l);
            atZero[l - 1] = f[0];
            atOne[l - 1] = f[1];
        }
        extra.put("saturated_at_0_per_layer", atZero);
        extra.put("saturated_at_1_per_layer", atOne);
        return extra;
    }

    /** Writes the model next to its final name first, so an interrupted save never leaves a corrupt model.zip. */
    static void saveModel(MultiLayerNetwork net, Path target) throws IOException {
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        EpModelSerializer.writeModel(net, partial.toFile(), true); // particles too, when on
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static int outputs(LoadedDataset data) {
        return data.isRegression() ? 1 : data.numClasses();
    }

    /** The backprop MLP of the same shape as the EP network of {@code c} on {@code data} (sizes, rates, seed). */
    public static BackpropMlpConfig baselineConfig(EpRunConfig c, LoadedDataset data) {
        BackpropMlpConfig.Builder b = BackpropMlpConfig.builder().nIn(data.numFeatures()).hiddenSizes(c.hidden())
                .nOut(outputs(data)).seed(c.seed());
        if (c.learningRates().length == 1) {
            b.learningRate(c.learningRates()[0]);
        } else {
            b.layerLearningRates(c.learningRates());
        }
        return b.build();
    }

    private static Map<String, Object> settings(EpRunConfig c, LoadedDataset data) {
        Map<String, Object> m = new LinkedHashMap<>(c.toMap());
        m.put("layer_sizes", layerSizes(c, data));
        if (c.energy() == null) {
            BuiltTopology built = c.builtTopology(c.layerSizes(data.numFeatures(), outputs(data)));
            m.put("original_connections", built.originalConnections());
            m.put("skip_draws", built.draws());
            m.put("achieved_p", built.achievedP());
        }
        m.put("train_examples", data.train().numExamples());
        m.put("test_examples", data.test().numExamples());
        m.put("error_metric", data.isRegression() ? "mean squared error (scaled target)" : "classification error");
        return m;
    }

    private static Map<String, Object> baselineSettings(EpRunConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", "backprop MLP, clamp(x,0,1) hidden units, identity output, L2 loss, Glorot uniform, SGD");
        m.put("learning_rates", c.learningRates());
        m.put("batch", c.batch());
        m.put("seed", c.seed());
        return m;
    }

    private static String layerSizes(EpRunConfig c, LoadedDataset data) {
        if (c.energy() != null) {
            return data.numFeatures() + " inputs, SameDiff " + c.energy() + ", " + outputs(data) + " outputs";
        }
        return java.util.Arrays.stream(c.layerSizes(data.numFeatures(), outputs(data))).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining("-"))
                + (c.loss() == EpRunConfig.Loss.MCXENT ? " + softmax readout to " + outputs(data) : "");
    }

    private static String describe(LoadedDataset data, EpRunConfig c) {
        String below = c.below() == null ? "" : "backprop " + c.below().label() + "; EP ";
        return below + layerSizes(c, data) + " on " + data.name() + " (" + data.train().numExamples() + " train / "
                + data.test().numExamples() + " test), eps " + c.settings().eps() + ", beta " + c.settings().beta()
                + (c.settings().symmetricNudging() ? " (symmetric)" : c.settings().randomSignBeta() ? " (random sign)" : "")
                + ", " + c.settings().freeIterations() + "/"
                + c.settings().nudgedIterations() + " iterations, batch "
                + c.batch() + ", rates " + java.util.Arrays.toString(c.learningRates()) + ", loss " + c.loss().key();
    }

    private static List<EpochRecord> onlyRun(List<EpochRecord> records, String run) {
        return records.stream().filter(r -> r.run().equals(run)).toList();
    }
}
