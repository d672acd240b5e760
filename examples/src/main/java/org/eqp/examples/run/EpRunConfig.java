package org.eqp.examples.run;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The settings of one EP training run from the command line, and the DL4J network they describe.
 *
 * @param hidden        hidden layer sizes
 * @param eps           Euler step size
 * @param beta          nudge strength
 * @param free          free-phase iterations
 * @param nudged        nudged-phase iterations
 * @param learningRates one SGD rate for all blocks, or one per block (hidden layers + 1), biases included
 * @param epochs        training epochs
 * @param batch         minibatch size
 * @param seed          seeds weights, random sign of beta and shuffling
 * @param randomSign    random sign of beta
 * @param particles     persistent particles
 * @param tolerance     stop a phase early once no unit moves more than this per step; 0 = fixed counts
 * @param topology      layered or one of the small-world kinds, with its knob
 */
public record EpRunConfig(int[] hidden, double eps, double beta, int free, int nudged, double[] learningRates,
                          int epochs, int batch, long seed, boolean randomSign, boolean particles, double tolerance,
                          TopologyChoice topology) {

    public EpRunConfig {
        if (epochs < 1 || batch < 1) {
            throw new IllegalArgumentException("--epochs and --batch must be at least 1; got epochs=" + epochs
                    + ", batch=" + batch);
        }
        if (learningRates.length != 1 && learningRates.length != hidden.length + 1) {
            throw new IllegalArgumentException("--lr takes one rate, or one per weight block (" + (hidden.length + 1)
                    + " for " + hidden.length + " hidden layers); got " + learningRates.length);
        }
        for (double lr : learningRates) {
            if (!(lr >= 0) || Double.isInfinite(lr)) {
                throw new IllegalArgumentException("learning rates must be finite and >= 0; got " + Arrays.toString(learningRates));
            }
        }
    }

    /**
     * The quickstart 784-500-10 settings: 20/4 iterations, eps .5, beta 1 with random sign, batch 20, Scellier and
     * Bengio's per-layer rates .1/.05, free phases from zero (see {@link EpOutputLayer.Builder} on particles).
     */
    public static EpRunConfig quickstart(int epochs) {
        return new EpRunConfig(new int[] {500}, 0.5, 1.0, 20, 4, new double[] {0.1, 0.05}, epochs, 20, 1, true, false,
                0.0, TopologyChoice.layered());
    }

    /** The EP network: one {@link EpOutputLayer} with plain SGD at the given rate(s). */
    public MultiLayerNetwork buildNetwork(int nIn, int nOut) {
        EpOutputLayer.Builder layer = new EpOutputLayer.Builder().nIn(nIn).nOut(nOut).hidden(hidden).eps(eps).beta(beta)
                .freeIterations(free).nudgedIterations(nudged).randomSignBeta(randomSign).persistentParticles(particles)
                .tolerance(tolerance);
        topology.apply(layer, seed);
        if (learningRates.length > 1) {
            layer.blockUpdaters(Arrays.stream(learningRates).mapToObj(Sgd::new).toArray(IUpdater[]::new));
        }
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .updater(new Sgd(learningRates[0])).list().layer(layer.build()).build());
        net.init();
        return net;
    }

    /** Input size, the hidden sizes, output size. */
    public int[] layerSizes(int nIn, int nOut) {
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = nIn;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = nOut;
        return sizes;
    }

    /**
     * What the small-world generator built for these layer sizes (the layer regenerates the same connections from the
     * same seed), or null for a layered network.
     */
    public org.eqp.topology.SmallWorld.Result smallWorld(int[] layerSizes) {
        return topology.generate(layerSizes, seed);
    }

    /** The settings as a flat map for summary.json. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hidden", hidden);
        m.put("eps", eps);
        m.put("beta", beta);
        m.put("free_iterations", free);
        m.put("nudged_iterations", nudged);
        m.put("learning_rates", learningRates);
        m.put("epochs", epochs);
        m.put("batch", batch);
        m.put("seed", seed);
        m.put("random_sign_beta", randomSign);
        m.put("persistent_particles", particles);
        m.put("tolerance", tolerance);
        m.putAll(topology.toMap());
        return m;
    }
}
