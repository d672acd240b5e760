package org.eqp.examples.run;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.baseline.ActivationClamp01;
import org.eqp.data.DatasetRequest;
import org.eqp.dl4j.ParticleKeys;
import org.eqp.dl4j.updater.ViewPreservingUpdater;
import org.eqp.dl4j.conf.EnergyEpOutputLayer;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.energy.EnergyDefinition;
import org.eqp.learning.EpSettings;
import org.eqp.topology.BuiltTopology;
import org.eqp.topology.spec.Layered;
import org.eqp.topology.spec.SymmetricTopologySpec;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The settings of one EP training run from the command line, and the DL4J network they describe.
 *
 * @param hidden        hidden layer sizes
 * @param settings      the EP knobs
 * @param learningRates one SGD rate for all blocks, or one per adjacent block (hidden layers + 1), biases included;
 *                      layer-skipping and intralayer blocks take the first
 * @param epochs        training epochs
 * @param batch         minibatch size
 * @param seed          seeds weights, the topology, the random sign of beta and shuffling
 * @param topology      how the units are connected; generated kinds are re-seeded with {@code seed}
 * @param below         backprop layers between the data and the EP network ({@code --model dense-ep} or
 *                      {@code cnn-ep}), or null for EP alone
 * @param loss          the layer's loss: the papers' squared error, or cross-entropy through a softmax readout
 * @param energy        a SameDiff energy relaxed by autodiff ({@code --energy dense|conv}, an
 *                      {@link EnergyEpOutputLayer}), or null for the fused Hopfield path ({@link EpOutputLayer})
 * @param parallelism   where the minibatches are trained: one thread, several ({@code ParallelWrapper}), or Spark
 */
public record EpRunConfig(int[] hidden, EpSettings settings, double[] learningRates, int epochs, int batch, long seed,
                          SymmetricTopologySpec topology, Below below, Loss loss, EnergyDefinition energy,
                          Parallelism parallelism) {

    /**
     * Where the minibatches are trained.
     *
     * @param workers     1 for DL4J's plain {@code fit}; more for DL4J's {@code ParallelWrapper} (or, with a Spark master,
     *                    the Spark workers; 0 there means the context's default parallelism)
     * @param averaging   minibatches each worker fits between two averagings of parameters and updater states, &gt;= 1
     * @param sparkMaster a Spark master URL ({@code local[2]}, {@code spark://host:7077}, ...) to train through
     *                    DL4J's Spark parameter averaging ({@link org.eqp.spark.SparkEpTraining}), or null
     * @param workerData  with a Spark master: the dataset the workers read from their own copy
     *                    ({@link org.eqp.spark.SparkData#readOnWorkers}), or null to ship the driver's minibatches
     */
    public record Parallelism(int workers, int averaging, String sparkMaster, DatasetRequest workerData) {
        /** One thread, DL4J's {@code fit}. */
        public static final Parallelism ONE = new Parallelism(1, 1, null, null);

        public Parallelism {
            if (workers < (sparkMaster == null ? 1 : 0) || averaging < 1) {
                throw new IllegalArgumentException("--workers must be at least 1 (0 with --spark: the master's default) "
                        + "and --averaging at least 1; got workers " + workers + ", averaging " + averaging);
            }
        }

        /** For summary.json. */
        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("workers", workers);
            m.put("averaging", averaging);
            m.put("spark_master", sparkMaster == null ? "none" : sparkMaster);
            if (sparkMaster != null) {
                m.put("spark_data", workerData != null ? "read by the workers" : "parallelized from the driver");
            }
            return m;
        }
    }

    /** Backprop layers under the EP network, trained from the gradient EP hands down. */
    public sealed interface Below permits DenseBelow, ConvolutionalBelow {
        /** The width of what the EP network receives from these layers. */
        int width();

        /** For summary.json. */
        Map<String, Object> describe();

        /** In words, for the run's description. */
        String label();
    }

    /**
     * A DL4J {@code DenseLayer} nIn -&gt; width under the EP layer with the EP units' own hard sigmoid, clamp(., 0, 1)
     * ({@link ActivationClamp01}), trained by backprop from the epsilon the EP layer returns (EP's estimate of dL/d(its
     * input)), with {@code Sgd(rate)}. Not the logistic sigmoid: its outputs start bunched near 0.5 (little contrast
     * for the EP network's input) and its slope of at most 1/4 shrinks EP's already small dL/dx (measured on digits,
     * 64-100 + EP 100-10, 30 epochs, seeds 1-5: test error 5.07 % mean with the sigmoid, 2.79 % with the hard
     * sigmoid, 4.24 % for EP alone).
     */
    public record DenseBelow(int width, double rate) implements Below {
        public DenseBelow {
            if (width < 1 || !(rate >= 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("the dense layer needs a width >= 1 and a finite rate >= 0; got "
                        + "width " + width + ", rate " + rate);
            }
        }

        @Override
        public Map<String, Object> describe() {
            return Map.of("dense_below", width, "dense_rate", rate);
        }

        @Override
        public String label() {
            return "dense " + width + " hard-sigmoid (Sgd " + rate + ")";
        }
    }

    /**
     * {@link CnnEpNetwork}'s convolutional front end on 28x28 images; the EP network becomes an {@code EpLayer} block
     * under a softmax head, and the whole network trains with Adam at the run's first rate.
     */
    public record ConvolutionalBelow() implements Below {
        @Override
        public int width() {
            return CnnEpNetwork.FEATURES;
        }

        @Override
        public Map<String, Object> describe() {
            return Map.of("front_end", CnnEpNetwork.DESCRIPTION, "head", "softmax, cross-entropy");
        }

        @Override
        public String label() {
            return CnnEpNetwork.DESCRIPTION + "; a softmax head above";
        }
    }

    /** The output loss of the EP layer. */
    public enum Loss {
        /** {@code LossL2} on the output units, identity activation: the papers' C = ||y - s_y||^2. */
        L2,
        /** {@code LossMCXENT} with softmax: a softmax readout of the output units outside the energy. */
        MCXENT;

        /** The name on the command line and in summary.json. */
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** beta when the run does not set it: {@link EpSettings#READOUT_BETA} with the softmax readout, else 1. */
        public double defaultBeta() {
            return this == MCXENT ? EpSettings.READOUT_BETA : EpSettings.DEFAULTS.beta();
        }

        /** The loss named {@code key} ({@code l2} or {@code mcxent}). */
        public static Loss parse(String key) {
            for (Loss loss : values()) {
                if (loss.key().equals(key)) {
                    return loss;
                }
            }
            throw new IllegalArgumentException("--loss takes l2 or mcxent; got '" + key + "'");
        }
    }

    /** EP alone with the squared-error loss, on the fused path. */
    public EpRunConfig(int[] hidden, EpSettings settings, double[] learningRates, int epochs, int batch, long seed,
                       SymmetricTopologySpec topology) {
        this(hidden, settings, learningRates, epochs, batch, seed, topology, null, Loss.L2, null, Parallelism.ONE);
    }

    public EpRunConfig {
        if (epochs < 1 || batch < 1) {
            throw new IllegalArgumentException("--epochs and --batch must be at least 1; got epochs=" + epochs
                    + ", batch=" + batch);
        }
        java.util.Objects.requireNonNull(parallelism, "parallelism");
        if (hidden.length == 0 || Arrays.stream(hidden).anyMatch(h -> h < 1)) {
            throw new IllegalArgumentException("--hidden takes one or more layer sizes, each at least 1; got "
                    + Arrays.toString(hidden));
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
        topology = topology.withSeed(seed);
        java.util.Objects.requireNonNull(loss, "loss");
        if (below instanceof ConvolutionalBelow && loss != Loss.L2) {
            throw new IllegalArgumentException("--model cnn-ep has its own softmax head above the EP block; drop --loss");
        }
        if (energy != null && (below != null || loss != Loss.L2 || learningRates.length != 1
                || settings.persistentParticles())) {
            throw new IllegalArgumentException("--energy runs the SameDiff energy alone with the squared-error loss, "
                    + "one --lr and free phases from zero: drop --model, --loss, --particles or the per-block rates");
        }
    }

    /**
     * The quickstart 784-500-10 run: {@link EpSettings#DEFAULTS}, the default per-block rates .1/.05
     * ({@link EpSettings#defaultLearningRates}), batch 20, seed 1, layered.
     */
    public static EpRunConfig quickstart(int epochs) {
        return withDefaults(new int[] {500}, epochs, 20, 1);
    }

    /** A layered run with {@link EpSettings#DEFAULTS} and the default rates for these hidden sizes. */
    public static EpRunConfig withDefaults(int[] hidden, int epochs, int batch, long seed) {
        return new EpRunConfig(hidden, EpSettings.DEFAULTS, EpSettings.defaultLearningRates(hidden.length), epochs,
                batch, seed, new Layered());
    }

    /**
     * The EP network: one {@link EpOutputLayer} with plain SGD at the given rate(s), over the {@link DenseBelow} layer
     * when there is one; DL4J's updater on its standard path ({@link ViewPreservingUpdater}).
     */
    public MultiLayerNetwork buildNetwork(int nIn, int nOut) {
        return ViewPreservingUpdater.install(initialisedNetwork(nIn, nOut));
    }

    private MultiLayerNetwork initialisedNetwork(int nIn, int nOut) {
        if (energy != null) {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                    .updater(new Sgd(learningRates[0])).list().layer(new EnergyEpOutputLayer.Builder().nIn(nIn)
                            .nOut(nOut).energy(energy).settings(settings).build()).build());
            net.init();
            return net;
        }
        if (below instanceof ConvolutionalBelow) {
            return CnnEpNetwork.build(this, nIn, nOut);
        }
        EpOutputLayer.Builder layer = new EpOutputLayer.Builder().nIn(epInputs(nIn)).nOut(nOut).hidden(hidden)
                .settings(settings).topology(topology);
        if (loss == Loss.MCXENT) {
            layer.lossFunction(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX);
        }
        if (learningRates.length > 1) {
            // skip and intralayer blocks: the first rate, as the network's updater gives them without per-block rates
            layer.blockUpdaters(Arrays.stream(learningRates).mapToObj(Sgd::new).toArray(IUpdater[]::new))
                    .skipUpdater(new Sgd(learningRates[0]));
        }
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(seed)
                .updater(new Sgd(learningRates[0])).list();
        if (below instanceof DenseBelow dense) {
            list.layer(new DenseLayer.Builder().nIn(nIn).nOut(dense.width()).activation(new ActivationClamp01())
                    .updater(new Sgd(dense.rate())).build());
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.layer(layer.build()).build());
        net.init();
        return ParticleKeys.fromNetworkInput(net); // with --particles under a dense layer: keyed by the data
    }

    /**
     * The relaxing network's layer sizes: its input (the data's features, or the width of the layers below), the
     * hidden sizes, then its outputs (the data's, or under a softmax head {@link CnnEpNetwork#EP_OUTPUTS}); with
     * {@link Loss#MCXENT} without outputs (the classes are a softmax readout of the last hidden layer, outside the
     * energy).
     */
    public int[] layerSizes(int nIn, int nOut) {
        boolean readout = loss == Loss.MCXENT;
        int[] sizes = new int[hidden.length + (readout ? 1 : 2)];
        sizes[0] = epInputs(nIn);
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        if (!readout) {
            sizes[sizes.length - 1] = below instanceof ConvolutionalBelow ? CnnEpNetwork.EP_OUTPUTS : nOut;
        }
        return sizes;
    }

    private int epInputs(int dataFeatures) {
        return below == null ? dataFeatures : below.width();
    }

    /**
     * Checks the run against the data before anything trains: the topology for these sizes (e.g. more replacements
     * than connections) and what the layers below need.
     *
     * @throws IllegalArgumentException naming the mismatch
     */
    public void checkAgainst(int nIn, int nOut) {
        if (energy != null) {
            energy.build(nIn, nOut, seed);
            return;
        }
        builtTopology(layerSizes(nIn, nOut));
        if (below instanceof ConvolutionalBelow) {
            CnnEpNetwork.requireFits(this, nIn);
        }
    }

    /** What the topology spec builds for these layer sizes (the layer builds the same connections). */
    public BuiltTopology builtTopology(int[] layerSizes) {
        return topology.build(layerSizes);
    }

    /** The settings as a flat map for summary.json. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hidden", hidden);
        m.put("loss", loss.key());
        m.put("eps", settings.eps());
        m.put("beta", settings.beta());
        m.put("free_iterations", settings.freeIterations());
        m.put("nudged_iterations", settings.nudgedIterations());
        m.put("learning_rates", learningRates);
        m.put("epochs", epochs);
        m.put("batch", batch);
        m.put("seed", seed);
        m.put("random_sign_beta", settings.randomSignBeta());
        m.put("persistent_particles", settings.persistentParticles());
        m.put("tolerance", settings.tolerance());
        m.put("symmetric_nudging", settings.symmetricNudging());
        m.put("alternating_updates", settings.alternatingUpdates());
        m.putAll(parallelism.describe());
        m.put("energy", energy == null ? "fused hopfield" : energy.toString());
        m.putAll(topology.describe());
        if (below != null) {
            m.putAll(below.describe());
        }
        return m;
    }
}
