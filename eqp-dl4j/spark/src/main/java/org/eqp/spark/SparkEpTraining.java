package org.eqp.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Trains a DL4J network, EP layers included, on Spark with DL4J's synchronous parameter averaging
 * ({@link SparkDl4jMultiLayer} with a {@link ParameterAveragingTrainingMaster}).
 *
 * <p>The data is a {@code JavaRDD<DataSet>} of minibatches, features [b, nIn] and labels [b, nOut] ({@link SparkData}
 * makes them). One epoch goes as follows. DL4J cuts the RDD into rounds of at least
 * {@code workers x averagingFrequency} minibatches (the remainder is spread over the rounds), assigning the
 * minibatches to rounds by a random split drawn from {@link Builder#seed}; a new split every epoch. In each round the
 * driver broadcasts the parameters (and, with {@link Builder#saveUpdater}, the updater state, e.g. Adam's moments);
 * each of {@code workers} partitions rebuilds the network from its configuration, fits its minibatches one after the
 * other with {@code fit(DataSet)} (for an EP layer: free phase, nudged phase, EP update per minibatch), and the
 * driver sets the network to the mean of the workers' parameters and updater states. EP's random-sign counter is a
 * parameter too: the workers of a round start from the same count, so they draw the same signs, and the mean of
 * their counts is read rounded.
 *
 * <p>With one worker and averaging frequency 1 a round is one {@code fit(DataSet)} and the mean of one network is
 * that network: the result equals single-machine training on the same minibatches in the order DL4J visited them, bit
 * for bit (see the tests). With several workers it is parameter averaging, not single-machine SGD.
 *
 * <p>The workers receive the configuration as its JSON ({@link JsonSerializedConfiguration}), since the EP layers'
 * configurations are not {@code java.io.Serializable}. Spark's default Java serializer needs nothing more; with Kryo
 * set {@code spark.kryo.registrator} to {@link EpKryoRegistrator}.
 *
 * <p>An instance holds only settings; {@link #fit} may be called any number of times, each call drawing the same
 * sequence of splits from the seed.
 */
public final class SparkEpTraining {
    private final Integer workers;
    private final int batchSizePerWorker;
    private final int averagingFrequency;
    private final int epochs;
    private final long seed;
    private final Integer examplesPerRddDataSet;
    private final boolean saveUpdater;
    private final RDDTrainingApproach approach;
    private final String exportDirectory;
    private final List<TrainingHook> hooks;

    private SparkEpTraining(Builder b) {
        this.workers = b.workers;
        this.batchSizePerWorker = b.batchSizePerWorker;
        this.averagingFrequency = b.averagingFrequency;
        this.epochs = b.epochs;
        this.seed = b.seed;
        this.examplesPerRddDataSet = b.examplesPerRddDataSet;
        this.saveUpdater = b.saveUpdater;
        this.approach = b.approach;
        this.exportDirectory = b.exportDirectory;
        this.hooks = List.copyOf(b.hooks);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A new network from {@code conf}, initialised (its seed sets the starting parameters), trained on {@code data}.
     *
     * @param data minibatches: features [b, nIn], labels [b, nOut], b = the builder's examples per RDD data set
     * @return the trained network
     */
    public MultiLayerNetwork fit(JavaSparkContext sc, MultiLayerConfiguration conf, JavaRDD<DataSet> data) {
        if (conf == null) {
            throw new IllegalArgumentException("the network configuration is null");
        }
        MultiLayerNetwork network = new MultiLayerNetwork(conf.clone());
        network.init();
        return fit(sc, network, data);
    }

    /**
     * Trains {@code network} in place from its current parameters and updater state, for the builder's number of
     * epochs; each epoch increments its epoch count, each round its iteration count by the averaging frequency.
     *
     * @param network an initialised network
     * @param data    minibatches: features [b, nIn], labels [b, nOut], b = the builder's examples per RDD data set
     * @return {@code network}
     */
    public MultiLayerNetwork fit(JavaSparkContext sc, MultiLayerNetwork network, JavaRDD<DataSet> data) {
        if (network == null) {
            throw new IllegalArgumentException("the network is null");
        }
        if (!network.isInitCalled()) {
            throw new IllegalArgumentException("the network is not initialised: call init() first");
        }
        if (data == null) {
            throw new IllegalArgumentException("the training data RDD is null");
        }
        if (sc == null) {
            throw new IllegalArgumentException("the Spark context is null");
        }
        // the workers get the configuration as its JSON (the form model files use; Kryo cannot write EP's records)
        MultiLayerConfiguration original = network.getLayerWiseConfigurations();
        JsonSerializedConfiguration broadcastable = JsonSerializedConfiguration.copyOf(original);
        network.setLayerWiseConfigurations(broadcastable);
        try {
            SparkDl4jMultiLayer sparkNetwork = new SparkDl4jMultiLayer(sc, network, trainingMaster());
            for (int e = 0; e < epochs; e++) {
                sparkNetwork.fit(data);
            }
        } finally {
            JsonSerializedConfiguration.copyFields(broadcastable, original); // the iteration and epoch counts
            network.setLayerWiseConfigurations(original);
        }
        return network;
    }

    /**
     * Trains {@code graph} (a {@code ComputationGraph} holding EP layers, one input and one output) in place through
     * DL4J's {@code SparkComputationGraph}, for the builder's number of epochs. Its configuration travels by Java
     * serialization, Spark's default: with Kryo use {@link #fit(JavaSparkContext, MultiLayerNetwork, JavaRDD)} (Kryo
     * cannot write the EP configurations' record classes).
     *
     * @param graph an initialised graph
     * @param data  minibatches: features [b, nIn], labels [b, nOut]
     * @return {@code graph}
     */
    public ComputationGraph fit(JavaSparkContext sc, ComputationGraph graph, JavaRDD<DataSet> data) {
        if (graph == null || data == null || sc == null) {
            throw new IllegalArgumentException("the Spark context, the graph and the training data must not be null");
        }
        if (graph.params() == null) {
            throw new IllegalArgumentException("the graph is not initialised: call init() first");
        }
        SparkComputationGraph sparkGraph = new SparkComputationGraph(sc, graph, trainingMaster());
        for (int e = 0; e < epochs; e++) {
            sparkGraph.fit(data);
        }
        return graph;
    }

    /** DL4J's training master for these settings (a new one, so that its random splits start from the seed). */
    public ParameterAveragingTrainingMaster trainingMaster() {
        int rddExamples = examplesPerRddDataSet != null ? examplesPerRddDataSet : batchSizePerWorker;
        ParameterAveragingTrainingMaster.Builder b = workers == null
                ? new ParameterAveragingTrainingMaster.Builder(rddExamples)
                : new ParameterAveragingTrainingMaster.Builder(workers, rddExamples);
        b.batchSizePerWorker(batchSizePerWorker)
                .averagingFrequency(averagingFrequency)
                .saveUpdater(saveUpdater)
                .rngSeed(seed)
                .rddTrainingApproach(approach)
                .repartionData(Repartition.NumPartitionsWorkersDiffers)
                .workerPrefetchNumBatches(0);
        if (exportDirectory != null) {
            b.exportDirectory(exportDirectory);
        }
        if (!hooks.isEmpty()) {
            b.trainingHooks(new ArrayList<>(hooks));
        }
        return b.build();
    }

    public Integer workers() {
        return workers;
    }

    public int batchSizePerWorker() {
        return batchSizePerWorker;
    }

    public int averagingFrequency() {
        return averagingFrequency;
    }

    public int epochs() {
        return epochs;
    }

    /** Settings for {@link SparkEpTraining}; each setter rejects an out-of-range value at once. */
    public static final class Builder {
        private Integer workers;
        private int batchSizePerWorker = 32;
        private int averagingFrequency = 5;
        private int epochs = 1;
        private long seed = 12345;
        private Integer examplesPerRddDataSet;
        private boolean saveUpdater = true;
        private RDDTrainingApproach approach = RDDTrainingApproach.Direct;
        private String exportDirectory;
        private final List<TrainingHook> hooks = new ArrayList<>();

        private Builder() {
        }

        /**
         * Workers that train at once, one RDD partition each (default: the Spark context's default parallelism, e.g.
         * the N of {@code local[N]}). Give the RDD as many partitions, or DL4J repartitions it.
         */
        public Builder workers(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1; got " + workers);
            }
            this.workers = workers;
            return this;
        }

        /**
         * Examples in each minibatch a worker fits (default 32). DL4J re-batches a partition's data to this size, so
         * it is the minibatch of every {@code fit} whatever the RDD holds.
         */
        public Builder batchSizePerWorker(int batchSizePerWorker) {
            if (batchSizePerWorker < 1) {
                throw new IllegalArgumentException("batch size per worker must be at least 1; got " + batchSizePerWorker);
            }
            this.batchSizePerWorker = batchSizePerWorker;
            return this;
        }

        /**
         * Minibatches each worker fits between two parameter averagings (default 5). 1 averages after every
         * minibatch: closest to single-machine training, most communication.
         */
        public Builder averagingFrequency(int averagingFrequency) {
            if (averagingFrequency < 1) {
                throw new IllegalArgumentException("averaging frequency must be at least 1; got " + averagingFrequency);
            }
            this.averagingFrequency = averagingFrequency;
            return this;
        }

        /** Passes over the RDD (default 1); each draws a new random split into rounds. */
        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be at least 1; got " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /** Seeds DL4J's random split of the minibatches into averaging rounds (default 12345). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Examples in each {@code DataSet} of the RDD (default: the batch size per worker, as {@link SparkData} makes
         * them with the same batch size); DL4J sizes the rounds with it.
         */
        public Builder examplesPerRddDataSet(int examples) {
            if (examples < 1) {
                throw new IllegalArgumentException("examples per RDD data set must be at least 1; got " + examples);
            }
            this.examplesPerRddDataSet = examples;
            return this;
        }

        /**
         * Whether the updater state (momentum, Adam's moments) is averaged and sent to the workers with the
         * parameters (default true). Off, each round's workers start with a fresh updater: plain SGD is unaffected,
         * stateful updaters lose their state every round.
         */
        public Builder saveUpdater(boolean saveUpdater) {
            this.saveUpdater = saveUpdater;
            return this;
        }

        /**
         * How DL4J reads the RDD: {@code Direct} (default) trains from the RDD's minibatches in memory; {@code Export}
         * first writes them to files under {@code hadoop.tmp.dir}/dl4j and trains from those (DL4J's default, for
         * data larger than the executors' memory).
         */
        public Builder rddTrainingApproach(RDDTrainingApproach approach) {
            if (approach == null) {
                throw new IllegalArgumentException("the RDD training approach is null");
            }
            this.approach = approach;
            return this;
        }

        /**
         * Where {@code Export} writes the minibatches: {@code directory}/(a unique id)/, any Hadoop file system path
         * the workers can reach (default: {@code hadoop.tmp.dir}/dl4j). DL4J does not delete the files.
         */
        public Builder exportDirectory(String directory) {
            if (directory == null || directory.isBlank()) {
                throw new IllegalArgumentException("the export directory is null or blank");
            }
            this.exportDirectory = directory;
            return this;
        }

        /**
         * A hook each worker calls before and after every minibatch it fits (serialized to the workers with the
         * task, so it must be {@link java.io.Serializable} and keep its results somewhere the driver can read).
         */
        public Builder trainingHook(TrainingHook hook) {
            if (hook == null) {
                throw new IllegalArgumentException("the training hook is null");
            }
            hooks.add(hook);
            return this;
        }

        public SparkEpTraining build() {
            return new SparkEpTraining(this);
        }
    }
}
