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
import org.eqp.learning.EpSettings;
import org.eqp.topology.spec.SymmetricTopologySpec;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

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
        double[] rates = learningRates(h, hidden.length);
        MultiLayerNetwork net = ep ? epNetwork(h, data.numFeatures(), nOut, hidden, rates, seed)
                : BackpropMlp.build(BackpropMlpConfig.builder().nIn(data.numFeatures()).hiddenSizes(hidden).nOut(nOut)
                        .layerLearningRates(perLayer(rates, hidden.length)).seed(seed).build());
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

    /**
     * The candidate's rates: its {@code lr}, or for {@link KnobKind#RATE_DEFAULT} the default rates of its hidden layers
     * ({@link EpSettings#defaultLearningRates}, one per block or one for all).
     */
    public static double[] learningRates(Map<String, Object> h, int hiddenLayers) {
        Object lr = h.get(Knob.LR.id());
        return lr instanceof Double rate ? new double[] {rate} : EpSettings.defaultLearningRates(hiddenLayers);
    }

    /** One rate per weight layer: the given ones, or a single rate repeated. */
    private static double[] perLayer(double[] rates, int hiddenLayers) {
        if (rates.length == hiddenLayers + 1) {
            return rates;
        }
        double[] each = new double[hiddenLayers + 1];
        java.util.Arrays.fill(each, rates[0]);
        return each;
    }

    private static MultiLayerNetwork epNetwork(Map<String, Object> h, int nIn, int nOut, int[] hidden, double[] rates,
                                               long seed) {
        EpSettings settings = new EpSettings((double) h.get(Knob.EPS.id()), (double) h.get(Knob.BETA.id()),
                (int) h.get(Knob.FREE.id()), (int) h.get(Knob.NUDGED.id()), (boolean) h.get(Knob.RANDOM_SIGN.id()),
                EpSettings.DEFAULTS.persistentParticles(), EpSettings.DEFAULTS.tolerance(),
                EpSettings.DEFAULTS.symmetricNudging());
        SymmetricTopologySpec topology = SymmetricTopologySpec.parse((String) h.get(Knob.TOPOLOGY.id()),
                (double) h.get(Knob.P.id()), (int) h.get(Knob.REPLACEMENTS.id()), seed);
        EpOutputLayer.Builder layer = new EpOutputLayer.Builder().nIn(nIn).nOut(nOut).hidden(hidden).settings(settings)
                .topology(topology).skipInitScale((double) h.get(Knob.SKIP_INIT.id()));
        if ("mcxent".equals(h.get(Knob.LOSS.id()))) {
            if (nOut < 2) {
                throw new CandidateFailedException("loss mcxent needs classes; the data are a regression task");
            }
            layer.lossFunction(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX);
        }
        boolean adam = "adam".equals(h.get(Knob.UPDATER.id()));
        java.util.function.DoubleFunction<IUpdater> updaterAt = rate -> adam ? new Adam(rate) : new Sgd(rate);
        if (rates.length > 1) {
            layer.blockUpdaters(java.util.Arrays.stream(rates).mapToObj(updaterAt).toArray(IUpdater[]::new))
                    .skipUpdater(updaterAt.apply(rates[0])); // skip and intralayer blocks: the first rate
        }
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .updater(updaterAt.apply(rates[0])).list().layer(layer.build()).build());
        net.init();
        return net;
    }
}
