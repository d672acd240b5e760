package org.eqp.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.eqp.data.DatasetRequest;
import org.eqp.data.Datasets;
import org.eqp.data.LoadedDataset;
import org.eqp.data.ShufflingDataSetIterator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * In-memory datasets as Spark RDDs of minibatches, the input {@link SparkEpTraining} takes.
 *
 * <p>Each element of the RDD is one {@link DataSet} minibatch: features [b, numFeatures] and labels [b, numOutputs]
 * (one-hot classes, or one regression target), b = {@code batchSize} for every minibatch except possibly the last,
 * which holds the remainder. The minibatches are standalone copies (no views into the source arrays), so they
 * serialize on their own. {@code partitions} contiguous slices of the minibatch list become the RDD's partitions;
 * give as many as the training has workers, so that DL4J need not repartition.
 */
public final class SparkData {
    private SparkData() {
    }

    /**
     * The minibatches of {@code data} in its row order: minibatch i holds rows [i b, (i+1) b).
     *
     * @param data       features [N, numFeatures], labels [N, numOutputs]; N at least 1
     * @param batchSize  examples per minibatch, at least 1
     * @param partitions RDD partitions, at least 1 and at most the number of minibatches
     */
    public static JavaRDD<DataSet> minibatches(JavaSparkContext sc, DataSet data, int batchSize, int partitions) {
        return parallelize(sc, batches(data, batchSize), partitions);
    }

    /**
     * The minibatches of {@code data} after one seeded permutation of its rows (the permutation
     * {@link ShufflingDataSetIterator} draws for its first pass with the same seed). DL4J reshuffles the minibatches'
     * order itself on every epoch; this shuffles which examples share a minibatch.
     *
     * @param data       features [N, numFeatures], labels [N, numOutputs]; N at least 1
     * @param batchSize  examples per minibatch, at least 1
     * @param partitions RDD partitions, at least 1 and at most the number of minibatches
     * @param seed       seeds the permutation
     */
    public static JavaRDD<DataSet> shuffledMinibatches(JavaSparkContext sc, DataSet data, int batchSize,
                                                       int partitions, long seed) {
        return parallelize(sc, shuffledBatches(data, batchSize, seed), partitions);
    }

    /**
     * The training part of the requested dataset as {@link #shuffledMinibatches shuffled minibatches}, read by the
     * workers from their own copy of the data (the request's data or cache directory on every node) instead of being
     * shipped from the driver: partition p loads the dataset and keeps minibatches p, p + partitions, ... of the seeded
     * permutation, so the RDD holds the same minibatches {@link #shuffledMinibatches} would.
     *
     * @param partitions RDD partitions, at least 1
     */
    public static JavaRDD<DataSet> readOnWorkers(JavaSparkContext sc, DatasetRequest request, int batchSize,
                                                 int partitions, long seed) {
        if (partitions < 1 || batchSize < 1) {
            throw new IllegalArgumentException("partitions and batch size must be at least 1; got " + partitions
                    + " and " + batchSize);
        }
        List<Integer> indices = java.util.stream.IntStream.range(0, partitions).boxed().toList();
        return sc.parallelize(indices, partitions).flatMap(p -> {
            List<DataSet> all = shuffledBatches(Datasets.load(request).train(), batchSize, seed);
            List<DataSet> mine = new ArrayList<>();
            for (int i = p; i < all.size(); i += partitions) {
                mine.add(all.get(i));
            }
            return mine.iterator();
        });
    }

    /** The training part of {@code dataset} as {@link #shuffledMinibatches shuffled minibatches}. */
    public static JavaRDD<DataSet> train(JavaSparkContext sc, LoadedDataset dataset, int batchSize, int partitions,
                                         long seed) {
        return shuffledMinibatches(sc, dataset.train(), batchSize, partitions, seed);
    }

    /**
     * The minibatches {@link #minibatches} puts in its RDD, in order, as a list (for single-machine training on the
     * same batches).
     */
    public static List<DataSet> batches(DataSet data, int batchSize) {
        checkData(data, batchSize);
        List<DataSet> batches = new ArrayList<>();
        int n = data.numExamples();
        for (int start = 0; start < n; start += batchSize) {
            int end = Math.min(n, start + batchSize);
            batches.add(new DataSet(rows(data.getFeatures(), start, end), rows(data.getLabels(), start, end)));
        }
        return batches;
    }

    /** The minibatches {@link #shuffledMinibatches} puts in its RDD, in order, as a list. */
    public static List<DataSet> shuffledBatches(DataSet data, int batchSize, long seed) {
        checkData(data, batchSize);
        ShufflingDataSetIterator it = new ShufflingDataSetIterator(data, batchSize, seed, true);
        List<DataSet> batches = new ArrayList<>();
        while (it.hasNext()) {
            batches.add(it.next());
        }
        return batches;
    }

    private static JavaRDD<DataSet> parallelize(JavaSparkContext sc, List<DataSet> batches, int partitions) {
        if (sc == null) {
            throw new IllegalArgumentException("the Spark context is null");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1; got " + partitions);
        }
        if (partitions > batches.size()) {
            throw new IllegalArgumentException(partitions + " partitions for " + batches.size()
                    + " minibatches would leave partitions empty; use at most " + batches.size()
                    + " partitions or a smaller batch size");
        }
        return sc.parallelize(batches, partitions);
    }

    private static void checkData(DataSet data, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1; got " + batchSize);
        }
        if (data == null || data.getFeatures() == null || data.getLabels() == null) {
            throw new IllegalArgumentException("the data set needs features and labels");
        }
        if (data.numExamples() < 1) {
            throw new IllegalArgumentException("the data set is empty");
        }
        if (data.getLabels().size(0) != data.getFeatures().size(0)) {
            throw new IllegalArgumentException("features have " + data.getFeatures().size(0) + " rows but labels have "
                    + data.getLabels().size(0));
        }
    }

    /** Rows [start, end) of {@code a} along its first axis, copied. */
    private static INDArray rows(INDArray a, int start, int end) {
        return a.get(NDArrayIndex.interval(start, end), NDArrayIndex.all()).dup();
    }
}
