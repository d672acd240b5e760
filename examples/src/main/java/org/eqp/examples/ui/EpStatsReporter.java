package org.eqp.examples.ui;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.eqp.dl4j.layers.EpLayerStats;
import org.eqp.dl4j.layers.EpStepStats;
import org.eqp.dl4j.listener.CorrectionStatsListener;
import org.eqp.dl4j.listener.EpTrainingListener;
import org.eqp.dl4j.listener.NetworkLayers;
import org.eqp.metrics.EpochRecord;

/**
 * A DL4J {@code TrainingListener} that sends EP's own training statistics to a {@code StatsStorageRouter} (e.g. the
 * storage attached to DL4J's UI server), as {@link EpStatsReport}s in the same session as a {@code StatsListener}:
 * <ul>
 *   <li>per batch, the RMS EP correction of each adjacent layer pair and the log-spread of their means so far (from a
 *       {@link CorrectionStatsListener} it feeds; one pass over the weights per batch), the relaxation residual of the
 *       free phase and the fractions of units saturated at 0 and 1 per layer;</li>
 *   <li>per epoch, the online training error, end-of-epoch training error and test error of the network's
 *       {@link EpTrainingListener}, which must come before this listener in the network's listener list (it measures
 *       the epoch in its own {@code onEpochEnd}).</li>
 * </ul>
 * Only EP layers (those showing {@link EpLayerStats}) are measured; a network holding one EP layer is what the charts
 * are drawn for.
 */
public final class EpStatsReporter extends BaseTrainingListener {
    private final StatsStorageRouter router;
    private final String sessionId;
    private final String workerId;
    private final CorrectionStatsListener corrections = new CorrectionStatsListener();
    private int rowsSeen;
    private int saturationRowsSeen;
    /** Running sum and count of each adjacent pair's RMS correction (pair l = layers l, l+1). */
    private double[] pairSums = new double[0];
    private long[] pairCounts = new long[0];
    private int epoch = 1;
    private long batch;
    private int epochsReported;
    private long lastTimestamp;

    /**
     * @param sessionId      the DL4J session the records belong to (give the {@code StatsListener} the same)
     * @param label          what the charts' page calls the run
     * @param classification whether the run's errors are classification errors (else mean squared errors)
     */
    public EpStatsReporter(StatsStorageRouter router, String sessionId, String workerId, String label,
                           boolean classification) {
        this.router = router;
        this.sessionId = sessionId;
        this.workerId = workerId;
        router.putStaticInfo(EpStatsReport.run(sessionId, workerId, nextTimestamp(), label, classification));
    }

    @Override
    public void onGradientCalculation(Model model) {
        corrections.onGradientCalculation(model);
        EpStepStats step = lastStep(model);
        if (step == null) {
            return; // no EP layer trained in this step
        }
        batch++;
        Map<String, Double> values = new LinkedHashMap<>();
        for (CorrectionStatsListener.Row r : newRows()) {
            if (r.to() == r.from() + 1) {
                values.put(EpChart.RMS.key("layers " + r.from() + "-" + r.to()), r.rms());
                addToPairMean(r.from(), r.rms());
            }
        }
        values.put(EpChart.LOG_SPREAD.key("log-spread"), logSpreadSoFar());
        values.put(EpChart.RESIDUAL.key("free phase"), step.freeResidual());
        for (CorrectionStatsListener.SaturationRow s : newSaturationRows()) {
            values.put(EpChart.SATURATION.key("layer " + s.layer() + " at 0"), s.atZero() / (double) s.units());
            values.put(EpChart.SATURATION.key("layer " + s.layer() + " at 1"), s.atOne() / (double) s.units());
        }
        router.putUpdate(EpStatsReport.batch(sessionId, workerId, nextTimestamp(), epoch, batch, values));
    }

    @Override
    public void onEpochEnd(Model model) {
        corrections.onEpochEnd(model);
        for (EpochRecord r : unreportedEpochs(model)) {
            Map<String, Double> values = new LinkedHashMap<>();
            values.put(EpChart.ERRORS.key("online"), r.trainErrorOnline());
            values.put(EpChart.ERRORS.key("train"), r.trainError());
            values.put(EpChart.ERRORS.key("test"), r.testError());
            router.putUpdate(EpStatsReport.epoch(sessionId, workerId, nextTimestamp(), r.epoch(), batch, values));
            epochsReported++;
        }
        epoch++;
    }

    /** The EP training step statistics of the model's (first) EP layer, or null. */
    private static EpStepStats lastStep(Model model) {
        for (Layer layer : NetworkLayers.of(model)) {
            if (layer instanceof EpLayerStats ep && ep.lastStepStats() != null) {
                return ep.lastStepStats();
            }
        }
        return null;
    }

    private List<CorrectionStatsListener.Row> newRows() {
        List<CorrectionStatsListener.Row> rows = corrections.rowsFrom(rowsSeen);
        rowsSeen += rows.size();
        return rows;
    }

    private List<CorrectionStatsListener.SaturationRow> newSaturationRows() {
        List<CorrectionStatsListener.SaturationRow> rows = corrections.saturationRowsFrom(saturationRowsSeen);
        saturationRowsSeen += rows.size();
        return rows;
    }

    private void addToPairMean(int pair, double rms) {
        if (pair >= pairSums.length) {
            pairSums = Arrays.copyOf(pairSums, pair + 1);
            pairCounts = Arrays.copyOf(pairCounts, pair + 1);
        }
        pairSums[pair] += rms;
        pairCounts[pair]++;
    }

    /** {@link CorrectionStatsListener#logSpread(double[])} of the pairs' mean RMS so far; NaN while a mean is 0. */
    private double logSpreadSoFar() {
        double[] means = new double[pairSums.length];
        for (int l = 0; l < means.length; l++) {
            means[l] = pairCounts[l] > 0 ? pairSums[l] / pairCounts[l] : 0;
            if (!(means[l] > 0)) {
                return Double.NaN;
            }
        }
        return means.length == 0 ? Double.NaN : CorrectionStatsListener.logSpread(means);
    }

    /** The epoch records of the network's {@link EpTrainingListener} not sent yet. */
    private List<EpochRecord> unreportedEpochs(Model model) {
        Collection<TrainingListener> listeners = model instanceof MultiLayerNetwork net ? net.getListeners()
                : model instanceof ComputationGraph graph ? graph.getListeners() : List.of();
        for (TrainingListener l : listeners) {
            if (l instanceof EpTrainingListener measure) {
                List<EpochRecord> records = measure.records();
                return records.subList(Math.min(epochsReported, records.size()), records.size());
            }
        }
        return List.of();
    }

    /** Wall-clock milliseconds, made strictly increasing: the storage keys records by timestamp. */
    private long nextTimestamp() {
        lastTimestamp = Math.max(System.currentTimeMillis(), lastTimestamp + 1);
        return lastTimestamp;
    }
}
