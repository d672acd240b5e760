package org.eqp.dl4j.listener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.eqp.dl4j.layers.EpLayerStats;
import org.eqp.dl4j.layers.EpStepStats;
import org.eqp.metrics.EpochRecord;
import org.eqp.metrics.MetricsCsvWriter;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.evaluation.regression.RegressionEvaluation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Records one {@link EpochRecord} per training epoch of any DL4J network (EP or not):
 * <ul>
 *   <li>online training error: each batch's error measured by its free phase, before its own update (the seed's
 *       logged training error; EP layers only, NaN otherwise);</li>
 *   <li>end-of-epoch training error and test error: the network's inference error on the given iterators
 *       (classification error; for a single-output regression network, the mean squared error);</li>
 *   <li>seconds of training in the epoch (evaluation excluded), the last score, and the mean relaxation residual of
 *       the free phases (RMS |ds/dt| of their last step).</li>
 * </ul>
 * Records go to a sink as soon as each epoch ends (e.g. {@link #appendingTo(Path)} for {@code metrics.csv});
 * {@link #records()} keeps them too. For progress lines during long epochs add a {@link ProgressListener}.
 */
public class EpTrainingListener extends BaseTrainingListener {
    private final String run;
    private final DataSetIterator trainEval;
    private final DataSetIterator test;
    private final Consumer<EpochRecord> sink;
    private final List<EpochRecord> records = new ArrayList<>();

    private long epochStart;
    private int epoch;
    private long onlineErrors;
    private long onlineExamples;
    private double residualSum;
    private long residualCount;
    /** A partial epoch to continue at the next {@link #onEpochStart}, or null. */
    private Progress resumed;

    /**
     * What the listener holds of a run stopped between two batches: the records of the completed epochs and the sums
     * of the epoch under way. A new listener given it by {@link #resume} records that epoch as this one would have
     * (its seconds aside: they add the training time before the stop to the time after).
     *
     * @param records        one per completed epoch
     * @param onlineErrors   online errors counted so far in the epoch under way
     * @param onlineExamples examples they were counted on
     * @param residualSum    sum of the free phases' residuals so far in the epoch under way
     * @param residualCount  free phases summed
     * @param seconds        training seconds of the epoch under way so far
     */
    public record Progress(List<EpochRecord> records, long onlineErrors, long onlineExamples, double residualSum,
                           long residualCount, double seconds) {
        public Progress {
            records = List.copyOf(records);
        }
    }

    /**
     * @param run       run name in the records (e.g. "EP", "backprop")
     * @param trainEval training data for the end-of-epoch training error, or null to skip it (recorded as NaN)
     * @param test      test data
     * @param sink      receives each record when its epoch ends
     */
    public EpTrainingListener(String run, DataSetIterator trainEval, DataSetIterator test, Consumer<EpochRecord> sink) {
        this.run = run;
        this.trainEval = trainEval;
        this.test = test;
        this.sink = sink;
    }

    /**
     * A sink that appends each record to a metrics CSV ({@link MetricsCsvWriter}'s format, header written once),
     * opening and closing the file per record so nothing stays open after training.
     */
    public static Consumer<EpochRecord> appendingTo(Path csv) {
        return record -> {
            try (MetricsCsvWriter writer = MetricsCsvWriter.open(csv)) {
                writer.append(record);
            } catch (IOException e) {
                throw new UncheckedIOException("could not append to " + csv, e);
            }
        };
    }

    public List<EpochRecord> records() {
        return List.copyOf(records);
    }

    /** What this listener holds now (call it between two batches: from a listener or before a batch is fetched). */
    public Progress progress() {
        return new Progress(records, onlineErrors, onlineExamples, residualSum, residualCount,
                (System.nanoTime() - epochStart) / 1e9);
    }

    /**
     * Continues a stopped run: the records become the given ones, and the next {@link #onEpochStart} (that of the
     * epoch the run was stopped in) starts from the given sums instead of zero.
     */
    public void resume(Progress progress) {
        records.clear();
        records.addAll(progress.records());
        epoch = records.size();
        resumed = progress;
    }

    @Override
    public void onEpochStart(Model model) {
        Progress from = resumed != null ? resumed : new Progress(List.of(), 0, 0, 0, 0, 0);
        resumed = null;
        epochStart = System.nanoTime() - Math.round(from.seconds() * 1e9);
        onlineErrors = from.onlineErrors();
        onlineExamples = from.onlineExamples();
        residualSum = from.residualSum();
        residualCount = from.residualCount();
    }

    @Override
    public void iterationDone(Model model, int iteration, int epochCount) {
        for (Layer layer : NetworkLayers.of(model)) {
            if (layer instanceof EpLayerStats ep && ep.lastStepStats() != null) {
                EpStepStats stats = ep.lastStepStats();
                if (stats.onlineErrors() >= 0) {
                    onlineErrors += stats.onlineErrors();
                    onlineExamples += stats.batchSize();
                }
                residualSum += stats.freeResidual();
                residualCount++;
            }
        }
    }

    @Override
    public void onEpochEnd(Model model) {
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        epoch++;
        double online = onlineExamples > 0 ? onlineErrors / (double) onlineExamples : Double.NaN;
        double trainError = trainEval == null ? Double.NaN : error(model, trainEval);
        double testError = error(model, test);
        double residual = residualCount > 0 ? residualSum / residualCount : Double.NaN;
        EpochRecord record = new EpochRecord(run, epoch, online, trainError, testError, model.score(), seconds, residual);
        records.add(record);
        sink.accept(record);
    }

    /**
     * Inference error of a network on a dataset: classification error (argmax mismatch), or, for a network with a
     * single output unit, the mean squared error.
     */
    public static double error(Model model, DataSetIterator data) {
        data.reset();
        if (!data.hasNext()) {
            throw new IllegalArgumentException("cannot measure an error on an empty dataset");
        }
        boolean regression = data.next().getLabels().size(1) == 1;
        data.reset();
        if (model instanceof MultiLayerNetwork net) {
            return regression ? net.evaluateRegression(data).averageMeanSquaredError()
                    : 1 - net.<Evaluation>evaluate(data).accuracy();
        }
        if (model instanceof ComputationGraph graph) {
            return regression ? graph.<RegressionEvaluation>evaluateRegression(data).averageMeanSquaredError()
                    : 1 - graph.<Evaluation>evaluate(data).accuracy();
        }
        throw new IllegalArgumentException("EpTrainingListener supports MultiLayerNetwork and ComputationGraph; got "
                + model.getClass().getName());
    }
}
