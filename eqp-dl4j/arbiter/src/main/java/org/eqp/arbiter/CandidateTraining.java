package org.eqp.arbiter;

import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.baseline.BackpropMlp;
import org.eqp.baseline.BackpropMlpConfig;
import org.eqp.data.LoadedDataset;
import org.eqp.data.ShufflingDataSetIterator;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.dl4j.listener.CorrectionStatsListener;
import org.eqp.dl4j.listener.EpTrainingListener;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Builds the network a candidate describes through this project's public DL4J API (an {@link EpOutputLayer}, or the
 * same-shape backprop MLP for {@code model: backprop}), trains it with {@code fit} and measures it on the validation
 * split. A candidate whose score or parameters turn NaN or infinite fails with {@link CandidateFailedException}.
 */
public final class CandidateTraining {

    /**
     * What training a candidate measured.
     *
     * @param validationError classification error (MSE for regression) on the validation split
     * @param logSpread       log-spread of the EP corrections (NaN for backprop)
     * @param seconds         training time
     */
    public record Outcome(double validationError, double logSpread, double seconds) {
        /** The value of the chosen score. */
        public double score(SearchScore score) {
            return switch (score) {
                case VALIDATION_ERROR -> validationError;
                case LOG_SPREAD -> logSpread;
                case TRAINING_TIME -> seconds;
            };
        }
    }

    /** A candidate that could not be trained to a finite result. */
    public static final class CandidateFailedException extends RuntimeException {
        public CandidateFailedException(String reason) {
            super(reason);
        }
    }

    private CandidateTraining() {
    }

    public static Outcome train(Map<String, Object> h, LoadedDataset data, long seed) {
        int nOut = data.isRegression() ? 1 : data.numClasses();
        int[] hidden = (int[]) h.get(Knob.HIDDEN.id());
        boolean ep = "ep".equals(h.get(Knob.MODEL.id()));
        MultiLayerNetwork net = ep ? epNetwork(h, data.numFeatures(), nOut, hidden, seed)
                : BackpropMlp.build(BackpropMlpConfig.builder().nIn(data.numFeatures()).hiddenSizes(hidden).nOut(nOut)
                        .learningRate((double) h.get(Knob.LR.id())).seed(seed).build());
        CorrectionStatsListener corrections = new CorrectionStatsListener();
        if (ep) {
            net.setListeners(corrections);
        }
        int batch = (int) h.get(Knob.BATCH.id());
        int epochs = (int) h.get(Knob.EPOCHS.id());
        long start = System.nanoTime();
        try {
            for (int e = 0; e < epochs; e++) {
                net.fit(new ShufflingDataSetIterator(data.train(), batch, seed + e, true));
                if (!Double.isFinite(net.score()) || !Double.isFinite(net.params().sumNumber().doubleValue())) {
                    throw new CandidateFailedException("diverged in epoch " + (e + 1) + ": score " + net.score());
                }
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CandidateFailedException(e.getMessage());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double error = EpTrainingListener.error(net, new ShufflingDataSetIterator(data.test(), 500, seed, false));
        if (!Double.isFinite(error)) {
            throw new CandidateFailedException("validation error is " + error);
        }
        return new Outcome(error, ep ? corrections.logSpread() : Double.NaN, seconds);
    }

    private static MultiLayerNetwork epNetwork(Map<String, Object> h, int nIn, int nOut, int[] hidden, long seed) {
        EpOutputLayer.Builder layer = new EpOutputLayer.Builder().nIn(nIn).nOut(nOut).hidden(hidden)
                .eps((double) h.get(Knob.EPS.id())).beta((double) h.get(Knob.BETA.id()))
                .freeIterations((int) h.get(Knob.FREE.id())).nudgedIterations((int) h.get(Knob.NUDGED.id()))
                .randomSignBeta((boolean) h.get(Knob.RANDOM_SIGN.id())).topologySeed(seed)
                .skipInitScale((double) h.get(Knob.SKIP_INIT.id()));
        switch ((String) h.get(Knob.TOPOLOGY.id())) {
            case "small-world" -> layer.smallWorld((double) h.get(Knob.P.id()));
            case "small-world-add" -> layer.smallWorldAdd((double) h.get(Knob.P.id()));
            case "small-world-intralayer" -> layer.smallWorldIntralayer((int) h.get(Knob.REPLACEMENTS.id()));
            default -> { }
        }
        double lr = (double) h.get(Knob.LR.id());
        IUpdater updater = "adam".equals(h.get(Knob.UPDATER.id())) ? new Adam(lr) : new Sgd(lr);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed).updater(updater)
                .list().layer(layer.build()).build());
        net.init();
        return net;
    }
}
