package org.eqp.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.data.DatasetRequest;
import org.eqp.data.Datasets;
import org.eqp.data.LoadedDataset;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The MNIST subset (1,000 training, 500 test examples of the fixtures), read by two Spark workers from their own copy
 * and trained with parameter averaging, reaches the test error of one machine fitting the same minibatches.
 */
class MnistSubsetTest {
    private static final int BATCH = 20;
    private static final int EPOCHS = 10;
    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        sc = LocalSpark.start(2, "mnist-subset");
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    private static MultiLayerConfiguration conf() {
        return new NeuralNetConfiguration.Builder().seed(1).updater(new Sgd(0.05)).list()
                .layer(new EpOutputLayer.Builder().nIn(784).nOut(10).hidden(100).build()).build();
    }

    @Test
    void twoWorkersReadingTheirOwnCopyTrainAsWellAsOneMachine() {
        // given the MNIST subset, read by the workers themselves, two workers averaging every 5 minibatches
        DatasetRequest request = DatasetRequest.builder().spec("mnist").dataDir(Path.of(
                System.getProperty("eqp.testResources", "../../test-resources"), "mnist-subset")).build();
        LoadedDataset mnist = Datasets.load(request);
        SparkEpTraining training = SparkEpTraining.builder().workers(2).batchSizePerWorker(BATCH).averagingFrequency(5)
                .epochs(1).seed(11).build();
        MultiLayerNetwork spark = new MultiLayerNetwork(conf());
        spark.init();
        MultiLayerNetwork single = new MultiLayerNetwork(conf());
        single.init();
        // when both train for 10 epochs on the same seeded shuffles of the minibatches
        for (int e = 0; e < EPOCHS; e++) {
            training.fit(sc, spark, SparkData.readOnWorkers(sc, request, BATCH, 2, e));
            List<DataSet> batches = SparkData.shuffledBatches(mnist.train(), BATCH, e);
            batches.forEach(single::fit);
        }
        // then the Spark network's test error is within noise of one machine's, and far below chance (90 %)
        double sparkError = 1 - spark.evaluate(new ListDataSetIterator<>(mnist.test().asList(), 100)).accuracy();
        double singleError = 1 - single.evaluate(new ListDataSetIterator<>(mnist.test().asList(), 100)).accuracy();
        System.out.printf("MNIST subset, 10 epochs: test error 2 Spark workers %.3f, one machine %.3f%n", sparkError,
                singleError);
        assertTrue(sparkError < 0.3, "Spark test error " + sparkError);
        assertTrue(Math.abs(sparkError - singleError) < 0.08, "Spark " + sparkError + " vs one machine " + singleError);
    }
}
