package org.eqp.examples.deep;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.directed.DirectedRule;
import org.eqp.directed.DirectedSettings;
import org.eqp.dl4j.conf.DirectedEpOutputLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * How the lab trains a directed network: the phases and pruning ({@link DirectedSettings}), DL4J's {@code Sgd} rate and
 * the authors' l1 step ({@code L1AfterUpdate}), all through one {@link DirectedEpOutputLayer}.
 *
 * @param settings     the phases and the pruning of eq. 3
 * @param learningRate the rate a of {@code Sgd(a)}: {@code W += a * mean dW} (&ge; 0, finite)
 * @param l1           the l1 step after every update, {@code W -= l1 * sign(W)}, not scaled by the rate (&ge; 0)
 */
public record DeepRecipe(DirectedSettings settings, double learningRate, double l1) {

    public DeepRecipe {
        if (settings == null) {
            throw new IllegalArgumentException("a recipe needs its directed settings");
        }
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("the learning rate must be finite and >= 0; got " + learningRate);
        }
        if (!(l1 >= 0) || Double.isInfinite(l1)) {
            throw new IllegalArgumentException("the l1 step must be finite and >= 0; got " + l1);
        }
    }

    /**
     * The authors' recipe for the logic tasks (their notebook): {@link DirectedSettings#paper} with rate 100 for DEEP
     * and 1 for vector-field EP, and with {@code sparse} the l1 step 1.5e-4 (else 0) and pruning.
     */
    public static DeepRecipe paper(DirectedRule rule, boolean sparse) {
        return new DeepRecipe(DirectedSettings.paper(rule, sparse), rule == DirectedRule.DEEP ? 100 : 1,
                sparse ? 1.5e-4 : 0);
    }

    /**
     * An initialised network of one {@link DirectedEpOutputLayer} over the complete directed graph (nIn inputs, the
     * bias unit, {@code hidden} hidden units, nOut outputs), weights N(0, initSigma^2), trained by {@code fit} with
     * {@code Sgd(learningRate)} and the l1 step; {@code seed} seeds the weights and the layer's random draws.
     */
    public MultiLayerNetwork network(int nIn, int hidden, int nOut, double initSigma, long seed, DataType dataType) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed).dataType(dataType)
                .updater(new Sgd(learningRate)).list()
                .layer(new DirectedEpOutputLayer.Builder().nIn(nIn).nOut(nOut).hidden(hidden).settings(settings)
                        .l1Step(l1).initSigma(initSigma).build())
                .build());
        net.init();
        return net;
    }

    /** deep or vector-field. */
    public String ruleName() {
        return settings.rule() == DirectedRule.DEEP ? "deep" : "vector-field";
    }

    /** Every knob by name, as the summaries write them. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", settings.rule());
        m.put("dt", settings.dt());
        m.put("freeSteps", settings.freeSteps());
        m.put("nudgedSteps", settings.nudgedSteps());
        m.put("beta", settings.beta());
        m.put("learningRate", learningRate);
        m.put("l1", l1);
        m.put("pruneBelow", settings.pruneBelow());
        m.put("temperature", settings.temperature());
        m.put("regrow", settings.regrow());
        m.put("initialSpread", settings.initialSpread());
        return m;
    }
}
