package org.eqp.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.testing.TinyProblems;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * With one worker ({@code local[1]}) and averaging after every minibatch, Spark training is single-machine training:
 * each round broadcasts the parameters and updater state, the worker rebuilds the network and fits one minibatch,
 * and the "average" of one worker's result is that result. DL4J visits the minibatches in an order of its own (a
 * seeded random split into rounds, new each epoch); a hook records it, and single-machine {@code fit} on the same
 * minibatches in that order gives the same parameters bit for bit.
 */
class OneWorkerEqualsSingleMachineTest {
    private static final DataSet DATA = TinyProblems.blobs(40, 6, 3, 21);
    private static final int BATCH = 10;
    private static final int EPOCHS = 2;
    private static JavaSparkContext sc;
    @TempDir
    static Path exportDirectory;

    @BeforeAll
    static void startSpark() {
        sc = LocalSpark.start(1, "one-worker");
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    private static MultiLayerConfiguration sgd() {
        return new NeuralNetConfiguration.Builder().seed(5).updater(new Sgd(0.1)).list()
                .layer(new EpOutputLayer.Builder().nIn(6).nOut(3).hidden(8).build()).build();
    }

    private static MultiLayerConfiguration adamAndSgdPerBlock() {
        return new NeuralNetConfiguration.Builder().seed(5).updater(new Sgd(0.1)).list()
                .layer(new EpOutputLayer.Builder().nIn(6).nOut(3).hidden(8).freeIterations(10).nudgedIterations(3)
                        .blockUpdaters(new Adam(0.02), new Sgd(0.05)).build())
                .build();
    }

    static Stream<Arguments> networks() {
        return Stream.of(
                Arguments.of("SGD 0.1", sgd(), RDDTrainingApproach.Direct),
                Arguments.of("Adam and SGD per block", adamAndSgdPerBlock(), RDDTrainingApproach.Direct),
                Arguments.of("Adam and SGD per block, data exported to files", adamAndSgdPerBlock(),
                        RDDTrainingApproach.Export));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void oneWorkerAveragingEveryMinibatchEqualsSingleMachineFit(String name, MultiLayerConfiguration conf,
                                                                RDDTrainingApproach approach) throws IOException {
        // given the data as 4 minibatches of 10 in one partition, and one worker averaging after every minibatch
        List<DataSet> batches = SparkData.batches(DATA, BATCH);
        RecordingHook.clear();
        SparkEpTraining training = SparkEpTraining.builder().workers(1).batchSizePerWorker(BATCH)
                .averagingFrequency(1).epochs(EPOCHS).seed(7).rddTrainingApproach(approach)
                .exportDirectory(exportDirectory.toString()).trainingHook(new RecordingHook()).build();

        // when trained on Spark, and a single-machine network from the same configuration fits the minibatches the
        // worker fitted, in its order
        MultiLayerNetwork spark = training.fit(sc, conf, SparkData.minibatches(sc, DATA, BATCH, 1));
        List<Integer> order = Replay.recordedOrder(batches);
        MultiLayerNetwork single = Replay.fit(conf, batches, order);

        // then every minibatch was fitted once per epoch, whole, and the parameters and updater states are equal
        assertEquals(EPOCHS * batches.size(), order.size(), "fits " + order);
        for (int b = 0; b < batches.size(); b++) {
            int batch = b;
            assertEquals(EPOCHS, order.stream().filter(i -> i == batch).count(), "fits of minibatch " + b + ": " + order);
        }
        double paramDiff = Diffs.maxAbs(spark.params(), single.params());
        INDArray sparkState = spark.getUpdater().getStateViewArray();
        double stateDiff = sparkState == null ? 0 : Diffs.maxAbs(sparkState, single.getUpdater().getStateViewArray());
        System.out.printf("%s: order %s, max |param difference| %.3g, max |updater state difference| %.3g%n",
                name, order, paramDiff, stateDiff);
        assertTrue(Diffs.maxAbs(spark.params(), initial(conf)) > 1e-3, "training moved the parameters");
        assertEquals(0.0, paramDiff, "max |param difference|");
        assertEquals(0.0, stateDiff, "max |updater state difference|");
        assertEquals(EPOCHS, spark.getEpochCount());
        if (approach == RDDTrainingApproach.Export) {
            try (Stream<Path> files = Files.walk(exportDirectory)) {
                assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".bin")), "exported minibatches");
            }
        }
        // and the order matters: fitted in the RDD's order instead, the parameters differ
        MultiLayerNetwork inRddOrder = new MultiLayerNetwork(conf.clone());
        inRddOrder.init();
        for (int e = 0; e < EPOCHS; e++) {
            batches.forEach(inRddOrder::fit);
        }
        assertTrue(Diffs.maxAbs(spark.params(), inRddOrder.params()) > 1e-6,
                "DL4J visited the minibatches in order " + order);
        assertEquals(EPOCHS * batches.size(), spark.getIterationCount());
    }

    private static INDArray initial(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf.clone());
        net.init();
        return net.params();
    }
}
