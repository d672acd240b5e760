package org.eqp.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.eqp.data.DatasetRequest;
import org.eqp.data.Datasets;
import org.eqp.data.LoadedDataset;
import org.eqp.testing.TinyProblems;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Datasets become RDDs of standalone minibatches, in order or after one seeded permutation. */
class SparkDataTest {
    private static final DataSet DATA = TinyProblems.blobs(25, 4, 3, 3);
    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        sc = LocalSpark.start(2, "spark-data");
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    @Test
    void workersReadTheirOwnCopyOfTheDataIntoTheSameShuffledMinibatches() {
        // given a dataset request for the wine fixture (the workers load it from the data directory themselves)
        DatasetRequest request = DatasetRequest.builder().spec("wine").dataDir(java.nio.file.Path.of(
                System.getProperty("eqp.testResources", "../../test-resources"))).build();
        List<DataSet> expected = SparkData.shuffledBatches(Datasets.load(request).train(), 20, 3);
        // when two partitions read it on the workers
        List<DataSet> read = SparkData.readOnWorkers(sc, request, 20, 2, 3).collect();
        // then they hold exactly the driver's shuffled minibatches: partition 0 the even ones, partition 1 the odd
        assertEquals(expected.size(), read.size());
        int half = (expected.size() + 1) / 2;
        for (int i = 0; i < expected.size(); i++) {
            DataSet want = expected.get(i);
            DataSet got = read.get(i % 2 == 0 ? i / 2 : half + i / 2);
            assertEquals(want.getFeatures(), got.getFeatures(), "minibatch " + i);
            assertEquals(want.getLabels(), got.getLabels(), "minibatch " + i);
        }
    }

    @Test
    void minibatchesKeepTheRowOrderAndTheLastHoldsTheRemainder() {
        // given 25 examples, when cut into minibatches of 10 over two partitions
        JavaRDD<DataSet> rdd = SparkData.minibatches(sc, DATA, 10, 2);
        List<DataSet> batches = rdd.collect();
        // then there are minibatches of 10, 10 and 5 holding rows 0-9, 10-19, 20-24, in two partitions
        assertEquals(2, rdd.getNumPartitions());
        assertEquals(List.of(10, 10, 5), batches.stream().map(DataSet::numExamples).toList());
        INDArray features = Nd4j.vstack(batches.stream().map(DataSet::getFeatures).toArray(INDArray[]::new));
        INDArray labels = Nd4j.vstack(batches.stream().map(DataSet::getLabels).toArray(INDArray[]::new));
        assertEquals(0.0, Diffs.maxAbs(DATA.getFeatures(), features));
        assertEquals(0.0, Diffs.maxAbs(DATA.getLabels(), labels));
    }

    @Test
    void minibatchesAreCopiesNotViews() {
        // given the minibatches as a list, when the source data changes
        DataSet data = TinyProblems.blobs(20, 4, 3, 4);
        List<DataSet> batches = SparkData.batches(data, 10);
        INDArray before = batches.get(1).getFeatures().dup();
        data.getFeatures().assign(7);
        // then the minibatches keep their values
        assertEquals(0.0, Diffs.maxAbs(before, batches.get(1).getFeatures()));
        assertTrue(!batches.get(1).getFeatures().isView());
    }

    @Test
    void shuffledMinibatchesPermuteTheExamplesBySeed() {
        // given 25 examples, when shuffled into minibatches of 10 with two seeds
        List<DataSet> a = SparkData.shuffledMinibatches(sc, DATA, 10, 2, 1).collect();
        List<DataSet> again = SparkData.shuffledMinibatches(sc, DATA, 10, 2, 1).collect();
        List<DataSet> b = SparkData.shuffledMinibatches(sc, DATA, 10, 2, 2).collect();
        // then every example is there once, the same seed gives the same minibatches, another seed others
        assertEquals(rowSet(DATA), rowSet(DataSet.merge(a)));
        assertEquals(25, DataSet.merge(a).numExamples());
        assertEquals(0.0, Diffs.maxAbs(DataSet.merge(a).getFeatures(), DataSet.merge(again).getFeatures()));
        assertNotEquals(0.0, Diffs.maxAbs(DataSet.merge(a).getFeatures(), DataSet.merge(b).getFeatures()));
        assertNotEquals(0.0, Diffs.maxAbs(DATA.getFeatures(), DataSet.merge(a).getFeatures()));
    }

    @Test
    void aLoadedDatasetsTrainingPartBecomesTheRdd() {
        // given a loaded dataset, when its training part is made an RDD
        LoadedDataset dataset = new LoadedDataset("blobs", DATA, TinyProblems.blobs(5, 4, 3, 9), 4, 3);
        List<DataSet> batches = SparkData.train(sc, dataset, 5, 2, 1).collect();
        // then it holds the training examples, not the test ones
        assertEquals(5, batches.size());
        assertEquals(rowSet(DATA), rowSet(DataSet.merge(batches)));
    }

    @Test
    void badArgumentsAreRejected() {
        // given 25 examples, when asked for impossible minibatches or partitions, then the message says why
        assertMessage("batch size must be at least 1; got 0", () -> SparkData.minibatches(sc, DATA, 0, 1));
        assertMessage("partitions must be at least 1; got 0", () -> SparkData.minibatches(sc, DATA, 10, 0));
        assertMessage("4 partitions for 3 minibatches would leave partitions empty",
                () -> SparkData.minibatches(sc, DATA, 10, 4));
        assertMessage("the data set is empty", () -> SparkData.batches(new DataSet(Nd4j.create(0, 4),
                Nd4j.create(0, 3)), 10));
        assertMessage("features have 25 rows but labels have 5",
                () -> SparkData.batches(new DataSet(DATA.getFeatures(), Nd4j.create(5, 3)), 10));
        assertMessage("the Spark context is null", () -> SparkData.minibatches(null, DATA, 10, 1));
    }

    private static Set<List<Float>> rowSet(DataSet data) {
        Set<List<Float>> rows = new HashSet<>();
        INDArray x = Nd4j.hstack(data.getFeatures(), data.getLabels());
        for (int i = 0; i < x.rows(); i++) {
            List<Float> row = new ArrayList<>();
            for (float v : x.getRow(i).toFloatVector()) {
                row.add(v);
            }
            rows.add(row);
        }
        return rows;
    }

    private static void assertMessage(String message, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
