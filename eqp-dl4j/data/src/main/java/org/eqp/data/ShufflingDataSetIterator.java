package org.eqp.data;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Minibatches over an in-memory {@link DataSet}. With shuffling on, each pass (epoch) visits the examples in a new
 * permutation drawn from a seeded generator: the same seed gives the same sequence of epochs. The last batch of a
 * pass may be smaller.
 */
public class ShufflingDataSetIterator implements DataSetIterator {
    private final DataSet data;
    private final int batch;
    private final boolean shuffle;
    private final Random random;
    private final int[] order;
    private int cursor;
    private DataSetPreProcessor preProcessor;

    /**
     * @param batch   minibatch size, at least 1
     * @param seed    seeds the permutations
     * @param shuffle false keeps the data's order (for evaluation)
     */
    public ShufflingDataSetIterator(DataSet data, int batch, long seed, boolean shuffle) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch size must be at least 1; got " + batch);
        }
        if (data.numExamples() < 1) {
            throw new IllegalArgumentException("cannot iterate over an empty dataset");
        }
        this.data = data;
        this.batch = batch;
        this.shuffle = shuffle;
        this.random = new Random(seed);
        this.order = new int[data.numExamples()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        startPass();
    }

    private void startPass() {
        cursor = 0;
        if (shuffle) {
            Permutations.shuffle(order, random);
        }
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException("pass over the data is complete; call reset()");
        }
        int n = Math.min(num, order.length - cursor);
        int[] rows = java.util.Arrays.copyOfRange(order, cursor, cursor + n);
        cursor += n;
        INDArray features = Nd4j.pullRows(data.getFeatures(), 1, rows);
        INDArray labels = Nd4j.pullRows(data.getLabels(), 1, rows);
        DataSet ds = new DataSet(features, labels);
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    @Override
    public DataSet next() {
        return next(batch);
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length;
    }

    @Override
    public int inputColumns() {
        return (int) data.getFeatures().size(1);
    }

    @Override
    public int totalOutcomes() {
        return (int) data.getLabels().size(1);
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    /** Starts a new pass, with a new permutation when shuffling. */
    @Override
    public void reset() {
        startPass();
    }

    @Override
    public int batch() {
        return batch;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }
}
