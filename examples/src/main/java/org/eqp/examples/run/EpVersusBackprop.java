package org.eqp.examples.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.eqp.dl4j.updater.ViewPreservingUpdater;
import org.eqp.dl4j.EpModelSerializer;
import org.eqp.baseline.BackpropMlp;
import org.eqp.baseline.BackpropMlpConfig;
import org.eqp.data.LoadedDataset;
import org.eqp.dl4j.listener.CorrectionStatsListener;
import org.eqp.examples.io.AtomicFiles;
import org.eqp.examples.report.ComparisonTable;
import org.eqp.examples.report.CorrectionHeatmap;
import org.eqp.examples.report.CorrectionPlot;
import org.eqp.examples.report.LearningCurvePlot;
import org.eqp.examples.report.RunSummary;
import org.eqp.examples.report.SummaryJsonReader;
import org.eqp.examples.report.SummaryJsonWriter;
import org.eqp.metrics.EpochRecord;
import org.eqp.metrics.MetricsCsvReader;
import org.eqp.topology.BuiltTopology;

/**
 * Trains an EP network and, optionally, the backprop MLP of the same shape (same sizes, clamp activation, loss,
 * Glorot init, SGD rates, seed, data order) and writes the run directory:
 * {@code metrics.csv}, {@code summary.json}, {@code model.zip} (the EP network), {@code curves.png}; with correction
 * statistics also {@code corrections.csv} (RMS correction per block and batch), {@code corrections.png},
 * {@code dw-map.png} (mean |dW| of the whole network), {@code saturation.csv} (units at 0 and 1 per batch and layer)
 * and the log-spread, RMS ratio and saturated fractions in the summary.
 *
 * <p>The directory also records the run ({@link RunDirectory}: its configuration, whether it completed) and, with
 * checkpoints on, its latest checkpoint ({@link CheckpointStore}), from which an interrupted run continues exactly:
 * the EP network first, then the baseline. The EP network's files are written when it finishes, so a run resumed in
 * the baseline reads them back. Every file a resumed run relies on is written atomically.
 */
public final class EpVersusBackprop {
    public static final String EP = "EP";
    public static final String BACKPROP = "backprop";
    private static final String METRICS = "metrics.csv";
    private static final String SUMMARY = "summary.json";
    private static final String MODEL = "model.zip";

    /** What was trained and measured. */
    public record Outcome(RunSummary summary, List<EpochRecord> records, boolean regression) {
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

    /**
     * How a run is made and what it does with a run already in its directory.
     *
     * @param baseline          also train the same-shape backprop MLP
     * @param corrections       record the EP network's per-block RMS corrections (one pass over the weights per batch)
     * @param trainEvalExamples end-of-epoch training error on the first K training examples (0 = all)
     * @param checkpointEvery   batches between two checkpoints, 0 for none
     * @param existing          what to do with a run the directory holds
     * @param arguments         the {@code ./eqp train} options that start the run again (recorded for
     *                          {@code --resume}), or empty
     */
    public record Options(boolean baseline, boolean corrections, int trainEvalExamples, int checkpointEvery,
                          RunDirectory.Existing existing, List<String> arguments) {
        public Options {
            requireCheckpointInterval(checkpointEvery);
            arguments = List.copyOf(arguments);
        }

        /**
         * Checks a number of batches between two checkpoints (0: none).
         *
         * @throws IllegalArgumentException if it is negative
         */
        public static int requireCheckpointInterval(int every) {
            if (every < 0) {
                throw new IllegalArgumentException("--checkpoint-every takes a number of batches, at least 1 (0: no "
                        + "checkpoints); got " + every);
            }
            return every;
        }

        /** A run that replaces whatever its directory holds, without checkpoints (quickstart, deep-data). */
        public static Options replacing(boolean baseline) {
            return new Options(baseline, false, 0, 0, RunDirectory.Existing.REPLACE, List.of());
        }

        /**
         * An EP run with correction statistics that keeps a complete run of the same configuration and continues an
         * interrupted one (the reproductions).
         */
        public static Options continuingWithCorrections(int trainEvalExamples, int checkpointEvery) {
            return new Options(false, true, trainEvalExamples, checkpointEvery, RunDirectory.Existing.CONTINUE,
                    List.of());
        }
    }

    private EpVersusBackprop() {
    }

    /**
     * Trains (or continues, or keeps) the run in {@code out}.
     *
     * @throws RunDirectoryException     if {@code out} cannot be written or holds a run that {@code options} do not
     *                                   allow to replace
     * @param watchers listeners of the EP network's training, after its measurement (e.g. a training UI's)
     * @throws TrainingDivergedException if training meets NaN or Inf (the last checkpoint, if any, is kept)
     */
    public static Outcome run(EpRunConfig config, LoadedDataset data, Options options, Path out, PrintStream log,
                              TrainingListener... watchers) throws IOException {
        RunDirectory dir = RunDirectory.at(out);
        RunDirectory.Start start = dir.begin(identity(config, data, options), options.arguments(), options.existing());
        if (start == RunDirectory.Start.COMPLETE) {
            log.println(out + " holds this run, complete: kept");
            return new Outcome(SummaryJsonReader.read(dir.file(SUMMARY)), MetricsCsvReader.read(dir.file(METRICS)),
                    data.isRegression());
        }
        CheckpointStore checkpoints = dir.checkpoints();
        CheckpointStore.Checkpoint resumed = start == RunDirectory.Start.RESUME ? checkpoints.load() : null;
        MetricsFile metrics = MetricsFile.of(dir.file(METRICS), resumed == null ? List.of() : resumed.metrics());
        RunSummary summary;
        try {
            summary = resumed == null || resumed.run().equals(EP)
                    ? trainEp(config, data, options, dir, resumed, metrics, log, watchers)
                    : SummaryJsonReader.read(dir.file(SUMMARY)); // the EP network finished before the interruption
            if (options.baseline()) {
                summary = summary.withBaseline(trainBaseline(config, data, options, checkpoints,
                        resumed != null && resumed.run().equals(BACKPROP) ? resumed : null, metrics, log));
                SummaryJsonWriter.write(summary, dir.file(SUMMARY));
            }
        } catch (TrainingDivergedException e) {
            throw checkpoints.exists() ? e.withNote("the last good checkpoint stays in "
                    + out.resolve(RunDirectory.CHECKPOINTS)) : e;
        }
        new LearningCurvePlot(data.name() + ": " + (options.baseline() ? "EP vs backprop" : "EP") + " learning curves")
                .addRuns(metrics.records()).save(out.resolve("curves.png"), 900, 600);
        dir.complete();
        checkpoints.clear();
        return new Outcome(summary, metrics.records(), data.isRegression());
    }

    /** Trains the EP network (from {@code resumed} when it is the EP network's) and writes its files. */
    private static RunSummary trainEp(EpRunConfig config, LoadedDataset data, Options options, RunDirectory dir,
                                      CheckpointStore.Checkpoint resumed, MetricsFile metrics, PrintStream log,
                                      TrainingListener... watchers) throws IOException {
        MultiLayerNetwork saved = resumed == null ? null : resumed.network();
        MultiLayerNetwork ep = saved != null ? ViewPreservingUpdater.install(saved)
                : config.buildNetwork(data.numFeatures(), outputs(data));
        CorrectionStatsListener corrections = !options.corrections() ? null
                : saved != null ? resumed.corrections(ep) : new CorrectionStatsListener();
        log.println("EP network: " + describe(data, config));
        CheckpointStore checkpoints = dir.checkpoints();
        List<TrainingListener> extra = new ArrayList<>(List.of(watchers));
        if (corrections != null) {
            extra.add(corrections);
        }
        List<EpochRecord> records = TrainingRun.train(EP, ep, data, config.epochs(), config.batch(), config.seed(),
                options.trainEvalExamples(), config.parallelism(), metrics, log,
                checkpointing(resumed, options, data, config,
                        at -> checkpoints.save(EP, ep, at, corrections, metrics.records()), log),
                extra.toArray(TrainingListener[]::new));
        RunSummary summary = RunSummary.fromRecords(data.name(), settings(config, data), records);
        if (corrections != null) {
            Path out = dir.path();
            AtomicFiles.write(out.resolve("corrections.csv"), corrections::writeCsv);
            new CorrectionPlot(data.name() + ": RMS EP correction per layer pair (moving average)")
                    .save(corrections.adjacentSeries(25), out.resolve("corrections.png"), 900, 600);
            CorrectionHeatmap.save(corrections.meanAbsTopology(), corrections::meanAbsCorrection, 150,
                    data.name() + ": mean |dW| over training", out.resolve("dw-map.png"));
            AtomicFiles.write(out.resolve("saturation.csv"), corrections::writeSaturationCsv);
            summary = summary.withExtra(correctionSummary(corrections, config.layerSizes(data.numFeatures(),
                    outputs(data)).length));
        }
        SummaryJsonWriter.write(summary, dir.file(SUMMARY));
        AtomicFiles.write(dir.file(MODEL), tmp -> EpModelSerializer.writeModel(ep, tmp.toFile(), true)); // particles too
        if (options.baseline() && options.checkpointEvery() > 0) {
            checkpoints.saveStart(BACKPROP, metrics.records());
        }
        return summary;
    }

    /** Trains the backprop MLP (from {@code resumed} when given: the MLP's own checkpoint); its summary. */
    private static RunSummary trainBaseline(EpRunConfig config, LoadedDataset data, Options options,
                                            CheckpointStore checkpoints, CheckpointStore.Checkpoint resumed,
                                            MetricsFile metrics, PrintStream log) throws IOException {
        MultiLayerNetwork saved = resumed == null ? null : resumed.network();
        MultiLayerNetwork mlp = saved != null ? saved : BackpropMlp.build(baselineConfig(config, data));
        log.println("backprop MLP of the same shape");
        List<EpochRecord> records = TrainingRun.train(BACKPROP, mlp, data, config.epochs(), config.batch(),
                config.seed(), 0, config.parallelism(), metrics, log, checkpointing(resumed, options, data, config,
                        at -> checkpoints.save(BACKPROP, mlp, at, null, metrics.records()), log));
        return RunSummary.fromRecords(data.name(), baselineSettings(config), records);
    }

    /** Checkpoints every {@code options.checkpointEvery()} batches, starting from {@code resumed} if given. */
    private static TrainingRun.Checkpointing checkpointing(CheckpointStore.Checkpoint resumed, Options options,
                                                           LoadedDataset data, EpRunConfig config,
                                                           TrainingRun.CheckpointSink sink, PrintStream log) {
        TrainingRun.Resume start = resumed == null ? null : resumed.at();
        if (resumed != null && resumed.batches() > 0) {
            int batches = (int) Math.ceil(data.train().numExamples() / (double) config.batch());
            log.printf(Locale.ROOT, "resuming %s from its checkpoint after batch %d (epoch %d, %d of %d batches "
                    + "done)%n", resumed.run(), resumed.batches(), start.data().pass(),
                    (start.data().cursor() + config.batch() - 1) / config.batch(), batches);
        }
        int every = options.checkpointEvery();
        return new TrainingRun.Checkpointing(start, every, every > 0 ? sink : null);
    }

    /**
     * What determines the run's results, compared with the run a directory holds: the settings of summary.json (the
     * EP knobs, sizes, topology, data sizes), the dataset and what else is trained or measured.
     */
    private static Map<String, Object> identity(EpRunConfig config, LoadedDataset data, Options options) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", data.name());
        m.putAll(settings(config, data));
        m.put("baseline", options.baseline());
        m.put("corrections", options.corrections());
        m.put("train_eval_examples", options.trainEvalExamples());
        return m;
    }

    /**
     * The summary.json fields of the correction statistics: log-spread (and the seed's figure-4 variant), the mean RMS of
     * each adjacent layer pair and the largest / smallest mean RMS of the adjacent
     * layer pairs, the preprint's Spread (Gammell et al. 2020, eqs. 22-23; with 2 hidden layers or more), and per
     * non-input layer the fractions of free-equilibrium units saturated at 0 and at 1.
     */
    private static Map<String, Object> correctionSummary(CorrectionStatsListener corrections, int layers) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("log_spread", corrections.logSpread());
        extra.put("log_spread_fig4", corrections.fig4LogSpread());
        extra.put("adjacent_mean_rms", corrections.adjacentMeanRms());
        extra.put("adjacent_rms_ratio", corrections.adjacentRmsRatio());
        if (corrections.adjacentMeanRms().length >= 3) { // the preprint's Spread needs 3 adjacent pairs or more
            extra.put("preprint_spread", corrections.preprintSpread());
        }
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
}
