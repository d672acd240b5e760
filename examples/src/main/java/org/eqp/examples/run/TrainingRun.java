package org.eqp.examples.run;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.eqp.data.LoadedDataset;
import org.eqp.data.ShufflingDataSetIterator;
import org.eqp.dl4j.listener.EpTrainingListener;
import org.eqp.dl4j.listener.ProgressListener;
import org.eqp.metrics.EpochRecord;
import org.eqp.metrics.ProgressReporter;
import org.eqp.spark.SparkData;
import org.eqp.spark.SparkEpTraining;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Trains one network (EP or backprop) on a loaded dataset for a number of epochs with standard DL4J
 * {@code fit}, measuring every epoch with {@link EpTrainingListener}: rows go to a metrics CSV as they come, a
 * progress line with ETA at least every 10 s, and a one-line summary per epoch. A {@link DivergenceGuard} stops the run
 * at the first NaN or Inf; with {@link Checkpointing} the run saves checkpoints between batches and can start from
 * one.
 */
public final class TrainingRun {
    /** Inference batch size for the end-of-epoch error measurements. */
    private static final int EVAL_BATCH = 500;

    private TrainingRun() {
    }

    /**
     * Where a run stands between two batches, the network aside: its data order and what it measured so far.
     *
     * @param data     the position of the training data's iterator (pass and cursor)
     * @param measured the records of the completed epochs and the sums of the epoch under way
     */
    public record Resume(ShufflingDataSetIterator.Position data, EpTrainingListener.Progress measured) {
    }

    /** Saves a checkpoint of the run standing at {@code at}, together with the network and what else its caller keeps. */
    @FunctionalInterface
    public interface CheckpointSink {
        void save(Resume at) throws IOException;
    }

    /**
     * Whether a run saves checkpoints and where it starts.
     *
     * @param start where the run starts: null for its first batch, else a saved {@link Resume} (the network given to
     *              {@link #train} is then the one saved with it)
     * @param every batches between two checkpoints, 0 for none
     * @param sink  saves them (null when {@code every} is 0)
     */
    public record Checkpointing(Resume start, int every, CheckpointSink sink) {
        /** From the first batch, without checkpoints. */
        public static final Checkpointing NONE = new Checkpointing(null, 0, null);

        public Checkpointing {
            if (every < 0 || (every > 0 && sink == null)) {
                throw new IllegalArgumentException("checkpoints need an interval >= 0 (0: none) and, with one, a "
                        + "sink; got every " + every);
            }
        }
    }

    /**
     * @param runName  name in the records ("EP", "backprop")
     * @param metrics  where rows are added as epochs end, or null
     * @param log      progress and per-epoch lines
     * @param extra    further listeners (e.g. a {@code CorrectionStatsListener}), called after the run's
     *                 {@code EpTrainingListener}, whose record of an epoch they can read in {@code onEpochEnd}
     * @return one record per epoch
     */
    public static List<EpochRecord> train(String runName, MultiLayerNetwork net, LoadedDataset data, int epochs, int batch,
                                          long seed, MetricsFile metrics, PrintStream log,
                                          TrainingListener... extra) {
        return train(runName, net, data, epochs, batch, seed, 0, EpRunConfig.Parallelism.ONE, metrics, log,
                Checkpointing.NONE, extra);
    }

    /**
     * As {@link #train(String, MultiLayerNetwork, LoadedDataset, int, int, long, MetricsFile, PrintStream,
     * TrainingListener...)}, with the end-of-epoch training error measured on the first {@code trainEvalExamples}
     * training examples only (0 = all): relaxing 60,000 MNIST examples at 500 iterations costs about as much as the
     * epoch's training; trained where {@code parallelism} says: with several workers by DL4J's
     * {@code ParallelWrapper} (AVERAGING), with a Spark master by DL4J's Spark parameter averaging (the workers'
     * listeners are not the network's, so there is no online error, progress line or {@code extra} listener then);
     * and with the given checkpoints (one process only). Started from a {@link Resume}, the run trains the rest of its
     * interrupted epoch and then the epochs left, and returns the records of all its epochs.
     *
     * @throws TrainingDivergedException at the first NaN or Inf in the loss, the free states or the parameters
     */
    public static List<EpochRecord> train(String runName, MultiLayerNetwork net, LoadedDataset data, int epochs, int batch,
                                          long seed, int trainEvalExamples, EpRunConfig.Parallelism parallelism,
                                          MetricsFile metrics, PrintStream log, Checkpointing checkpointing,
                                          TrainingListener... extra) {
        Resume start = checkpointing.start();
        ShufflingDataSetIterator trainIterator = start == null
                ? new ShufflingDataSetIterator(data.train(), batch, seed, true)
                : ShufflingDataSetIterator.at(data.train(), batch, seed, true, start.data());
        int batchesPerEpoch = (int) Math.ceil(data.train().numExamples() / (double) batch);
        EpTrainingListener measure = new EpTrainingListener(runName,
                new ShufflingDataSetIterator(trainEvalExamples > 0 && trainEvalExamples < data.train().numExamples()
                        ? (org.nd4j.linalg.dataset.DataSet) data.train().getRange(0, trainEvalExamples) : data.train(),
                        EVAL_BATCH, seed, false),
                new ShufflingDataSetIterator(data.test(), EVAL_BATCH, seed, false),
                record -> {
                    log.println(describe(record, epochs, data.isRegression()));
                    if (metrics != null) {
                        try {
                            metrics.add(record);
                        } catch (IOException e) {
                            throw new UncheckedIOException("could not write " + metrics.path(), e);
                        }
                    }
                });
        if (parallelism.sparkMaster() != null || parallelism.workers() > 1) {
            if (start != null || checkpointing.every() > 0) {
                throw new IllegalArgumentException("checkpoints and resuming need training in one process; this run "
                        + "trains with " + parallelism.describe());
            }
            if (parallelism.sparkMaster() != null) {
                fitOnSpark(net, data, batch, seed, epochs, parallelism, measure);
            } else {
                fitInParallel(net, trainIterator, epochs, parallelism, measure);
            }
            return measure.records();
        }
        if (start != null) {
            measure.resume(start.measured());
        }
        DivergenceGuard guard = new DivergenceGuard(runName);
        DataSetIterator train = checkpointing.every() == 0 ? trainIterator
                : new CheckpointingIterator(trainIterator, net, checkpointing.every(), () -> {
                    guard.requireFinite(net);
                    checkpointing.sink().save(new Resume(trainIterator.position(), measure.progress()));
                });
        ProgressReporter progress = new ProgressReporter(runName,
                Math.max(1, (long) batchesPerEpoch * epochs - net.getIterationCount()), log);
        List<TrainingListener> listeners = new java.util.ArrayList<>(List.of(guard, measure,
                new ProgressListener(progress)));
        listeners.addAll(List.of(extra));
        net.setListeners(listeners);
        int epochsLeft = epochs - measure.records().size();
        if (start != null && trainIterator.hasNext()) {
            net.fit(train); // the rest of the interrupted epoch
            epochsLeft--;
        }
        if (epochsLeft > 0) {
            net.fit(train, epochsLeft);
        }
        progress.finish();
        return measure.records();
    }

    /** ParallelWrapper, AVERAGING, updater states averaged too; measured after every epoch. */
    private static void fitInParallel(MultiLayerNetwork net, DataSetIterator train, int epochs,
                                      EpRunConfig.Parallelism parallelism, EpTrainingListener measure) {
        ParallelWrapper wrapper = new ParallelWrapper.Builder<>(net).workers(parallelism.workers()).prefetchBuffer(2)
                .averagingFrequency(parallelism.averaging()).averageUpdaters(true).reportScoreAfterAveraging(false)
                .trainingMode(ParallelWrapper.TrainingMode.AVERAGING).build();
        try {
            for (int e = 0; e < epochs; e++) {
                measure.onEpochStart(net);
                train.reset();
                wrapper.fit(train);
                measure.onEpochEnd(net);
            }
        } finally {
            wrapper.shutdown();
        }
    }

    /**
     * DL4J's Spark parameter averaging ({@link SparkEpTraining}) on the given master: one partition per worker, the
     * minibatches reshuffled every epoch (seed + epoch), read by the workers from their own copy of the data when the
     * parallelism names it, else parallelized from the driver; measured after every epoch.
     */
    private static void fitOnSpark(MultiLayerNetwork net, LoadedDataset data, int batch, long seed, int epochs,
                                   EpRunConfig.Parallelism parallelism, EpTrainingListener measure) {
        SparkConf conf = new SparkConf().setMaster(parallelism.sparkMaster()).setAppName("eqp train");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            int workers = parallelism.workers() > 0 ? parallelism.workers() : sc.defaultParallelism();
            SparkEpTraining training = SparkEpTraining.builder().workers(workers).batchSizePerWorker(batch)
                    .averagingFrequency(parallelism.averaging()).epochs(1).seed(seed).build();
            int minibatches = (int) Math.ceil(data.train().numExamples() / (double) batch);
            for (int e = 0; e < epochs; e++) {
                measure.onEpochStart(net);
                int partitions = Math.min(workers, minibatches);
                training.fit(sc, net, parallelism.workerData() != null
                        ? SparkData.readOnWorkers(sc, parallelism.workerData(), batch, partitions, seed + e)
                        : SparkData.train(sc, data, batch, partitions, seed + e));
                measure.onEpochEnd(net);
            }
        }
    }

    private static String describe(EpochRecord r, int epochs, boolean regression) {
        String metric = regression ? "mse" : "error";
        double scale = regression ? 1 : 100;
        String unit = regression ? "" : "%";
        return String.format(Locale.ROOT, "%s epoch %d/%d: test %s %.4g%s, train %s %.4g%s%s, %.1f s", r.run(), r.epoch(),
                epochs, metric, r.testError() * scale, unit, metric, r.trainError() * scale, unit,
                Double.isNaN(r.trainErrorOnline()) ? ""
                        : String.format(Locale.ROOT, " (online %.4g%s)", r.trainErrorOnline() * scale, unit),
                r.seconds());
    }
}
