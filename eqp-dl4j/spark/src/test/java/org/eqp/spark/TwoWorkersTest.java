package org.eqp.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.dl4j.conf.EpLayer;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.testing.TinyProblems;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Two workers ({@code local[2]}) averaging every few minibatches train an EP network about as well as one machine
 * fitting the same minibatches.
 */
class TwoWorkersTest {
    private static final DataSet TRAIN = TinyProblems.blobs(300, 6, 3, 31);
    private static final DataSet TEST = TinyProblems.blobs(300, 6, 3, 32);
    private static final int BATCH = 10;
    private static final int EPOCHS = 3;
    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        sc = LocalSpark.start(2, "two-workers");
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    private static MultiLayerConfiguration conf() {
        return new NeuralNetConfiguration.Builder().seed(3).updater(new Sgd(0.1)).list()
                .layer(new EpOutputLayer.Builder().nIn(6).nOut(3).hidden(12).build()).build();
    }

    @Test
    void twoWorkersReachSingleMachineAccuracy() {
        // given 30 shuffled minibatches of 10 in two partitions, two workers averaging every 3 minibatches
        List<DataSet> batches = SparkData.shuffledBatches(TRAIN, BATCH, 1);
        RecordingHook.clear();
        SparkEpTraining training = SparkEpTraining.builder().workers(2).batchSizePerWorker(BATCH)
                .averagingFrequency(3).epochs(EPOCHS).seed(11).trainingHook(new RecordingHook()).build();
        MultiLayerNetwork untrained = new MultiLayerNetwork(conf());
        untrained.init();

        // when trained on Spark, and on one machine for as many epochs over the same minibatches
        long start = System.nanoTime();
        MultiLayerNetwork spark = training.fit(sc, conf(), SparkData.shuffledMinibatches(sc, TRAIN, BATCH, 2, 1));
        double sparkSeconds = (System.nanoTime() - start) / 1e9;
        MultiLayerNetwork single = new MultiLayerNetwork(conf());
        single.init();
        for (int e = 0; e < EPOCHS; e++) {
            batches.forEach(single::fit);
        }

        // then both workers trained, every minibatch was fitted once per epoch, and both networks classify held-out
        // data well
        Set<Integer> partitions = RecordingHook.fits().stream().map(RecordingHook.Fit::partition)
                .collect(Collectors.toSet());
        assertEquals(Set.of(0, 1), partitions);
        assertEquals(EPOCHS * batches.size(), RecordingHook.fits().size());
        double before = accuracy(untrained);
        double sparkAccuracy = accuracy(spark);
        double singleAccuracy = accuracy(single);
        System.out.printf("test accuracy: untrained %.3f, 2 Spark workers %.3f (%.1f s), one machine %.3f%n",
                before, sparkAccuracy, sparkSeconds, singleAccuracy);
        assertTrue(before < 0.6, "untrained accuracy " + before);
        assertTrue(singleAccuracy > 0.9, "single-machine accuracy " + singleAccuracy);
        assertTrue(sparkAccuracy > 0.9, "Spark accuracy " + sparkAccuracy);
        assertTrue(Math.abs(sparkAccuracy - singleAccuracy) < 0.05,
                "Spark " + sparkAccuracy + " vs single machine " + singleAccuracy);
    }

    @Test
    void aComputationGraphWithAnEpBlockTrainsOnTwoWorkersAsOnOneMachine() {
        // given a graph (EP block, small-world -> softmax head) and two workers averaging every 3 minibatches
        ComputationGraph spark = graph();
        double before = accuracy(spark);
        // when SparkComputationGraph trains it, and one machine trains a twin on the same minibatches as long
        SparkEpTraining.builder().workers(2).batchSizePerWorker(BATCH).averagingFrequency(3).epochs(EPOCHS).seed(11)
                .build().fit(sc, spark, SparkData.shuffledMinibatches(sc, TRAIN, BATCH, 2, 1));
        ComputationGraph single = graph();
        List<DataSet> batches = SparkData.shuffledBatches(TRAIN, BATCH, 1);
        for (int e = 0; e < EPOCHS; e++) {
            batches.forEach(single::fit);
        }
        // then it learned, and as far as one machine did
        double sparkAccuracy = accuracy(spark);
        double singleAccuracy = accuracy(single);
        System.out.printf("ComputationGraph: untrained %.3f, 2 Spark workers %.3f, one machine %.3f%n", before,
                sparkAccuracy, singleAccuracy);
        assertTrue(sparkAccuracy > before + 0.2, "Spark " + before + " -> " + sparkAccuracy);
        assertTrue(Math.abs(sparkAccuracy - singleAccuracy) < 0.1,
                "Spark " + sparkAccuracy + " vs single machine " + singleAccuracy);
    }

    private static ComputationGraph graph() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(3)
                .updater(new Sgd(0.1)).graphBuilder().addInputs("x")
                .addLayer("ep", new EpLayer.Builder().nIn(6).nOut(4).hidden(12).smallWorld(0.2).build(), "x")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "ep")
                .setOutputs("out").build());
        graph.init();
        return graph;
    }

    private static double accuracy(ComputationGraph graph) {
        return graph.evaluate(new ListDataSetIterator<>(TEST.asList(), 100)).accuracy();
    }

    private static double accuracy(MultiLayerNetwork net) {
        return net.evaluate(new ListDataSetIterator<>(TEST.asList(), 100)).accuracy();
    }
}
