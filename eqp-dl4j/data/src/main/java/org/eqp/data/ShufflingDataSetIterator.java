package org.eqp.data;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Minibatches over an in-memory {@link DataSet}. With shuffling on, each pass (epoch) visits the examples in a new
 * permutation drawn from a seeded generator: the same seed gives the same sequence of epochs. The last batch of a
 * pass may be smaller.
 *
 * <p>Where the iterator stands is a {@link Position} (which pass, how far into it): {@link #at} makes an iterator
 * that continues from a saved position exactly, the rest of that pass and every later pass in the same order, so a
 * training run stopped mid-epoch can resume its data order.
 *
 * <p>While a batch is in use, the next one of the pass is copied on a background thread (one daemon thread shared by
 * all iterators): making the two small native arrays of a batch costs about as much as EP's relaxation of it on
 * 784-500-10 (an allocation, JavaCPP's memory accounting and the copy), and the training thread no longer waits for
 * it. The batches are the same, in the same order, and {@link #position()} counts only those handed out. (DL4J's own
 * asynchronous prefetch stays off: it would run the iterator ahead of training, so a checkpoint's position would
 * skip the batches in its queue.)
 */
public class ShufflingDataSetIterator implements DataSetIterator {
    private final DataSet data;
    private final int batch;
    private final boolean shuffle;
    private final Random random;
    private final int[] order;
    private long pass;
    private int cursor;
    private DataSetPreProcessor preProcessor;
    /** The batch being copied in the background: the next one of the pass, if asked for with the default size. */
    private Prefetch prefetch;

    private static final Executor PREFETCH_THREAD = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "eqp-batch-prefetch");
        thread.setDaemon(true);
        return thread;
    });

    /** The batch of {@code n} examples from {@code cursor} of {@code pass}, features and labels. */
    private record Prefetch(long pass, int cursor, int n, CompletableFuture<INDArray[]> arrays) {
        boolean isFor(long pass, int cursor, int n) {
            return this.pass == pass && this.cursor == cursor && this.n == n;
        }
    }

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

    /**
     * Where an iterator stands.
     *
     * @param pass   the pass under way, counting from 1 (a new iterator stands at pass 1; each {@link #reset()} starts
     *               the next)
     * @param cursor examples of that pass already handed out
     */
    public record Position(long pass, int cursor) {
        public Position {
            if (pass < 1 || cursor < 0) {
                throw new IllegalArgumentException("a data position needs pass >= 1 and cursor >= 0; got pass " + pass
                        + ", cursor " + cursor);
            }
        }
    }

    /**
     * An iterator over the same data, batch size, seed and shuffling that stands at {@code position}: it hands out
     * what an iterator made with these arguments hands out from that position on. The permutations of the earlier
     * passes are drawn again (cheap: one shuffle of the example indices per pass).
     *
     * @throws IllegalArgumentException if the cursor lies beyond the data
     */
    public static ShufflingDataSetIterator at(DataSet data, int batch, long seed, boolean shuffle, Position position) {
        ShufflingDataSetIterator iterator = new ShufflingDataSetIterator(data, batch, seed, shuffle);
        if (position.cursor() > iterator.order.length) {
            throw new IllegalArgumentException("data position " + position + " lies beyond the " + iterator.order.length
                    + " examples of the data");
        }
        while (iterator.pass < position.pass()) {
            iterator.startPass();
        }
        iterator.cursor = position.cursor();
        return iterator;
    }

    /** Where this iterator stands: the pass under way and the examples of it handed out so far. */
    public Position position() {
        return new Position(pass, cursor);
    }

    private void startPass() {
        prefetch = null;
        pass++;
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
        INDArray[] arrays = prefetch != null && prefetch.isFor(pass, cursor, n) ? await(prefetch.arrays())
                : batchArrays(rowsAt(cursor, n));
        cursor += n;
        prefetch = null;
        if (hasNext()) {
            int size = Math.min(batch, order.length - cursor);
            int[] rows = rowsAt(cursor, size); // taken here: a new pass reshuffles the order
            prefetch = new Prefetch(pass, cursor, size,
                    CompletableFuture.supplyAsync(() -> batchArrays(rows), PREFETCH_THREAD));
        }
        DataSet ds = new DataSet(arrays[0], arrays[1]);
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    /** The example indices of the {@code n} examples at {@code from} of the current pass's order. */
    private int[] rowsAt(int from, int n) {
        return java.util.Arrays.copyOfRange(order, from, from + n);
    }

    /** Features and labels of the given examples. */
    private INDArray[] batchArrays(int[] rows) {
        return new INDArray[] {rows(data.getFeatures(), rows), rows(data.getLabels(), rows)};
    }

    private static INDArray[] await(CompletableFuture<INDArray[]> arrays) {
        try {
            return arrays.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the next batch", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("copying the next batch failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * The given rows of a matrix, in that order, as a new row-major matrix: copied in Java from the native buffer of
     * a contiguous row-major float matrix (one allocation, where {@code Nd4j.pullRows} costs an op and its shape
     * information on every batch), else by {@code pullRows}.
     */
    static INDArray rows(INDArray m, int[] rows) {
        if (m.rank() != 2 || m.dataType() != DataType.FLOAT || m.ordering() != 'c' || !m.isMatrix()
                || m.elementWiseStride() != 1 || m.stride(1) != 1 || m.stride(0) != m.size(1)) {
            return Nd4j.pullRows(m, 1, rows);
        }
        int cols = Math.toIntExact(m.size(1));
        FloatBuffer in = floats(m);
        float[] out = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            in.get(rows[i] * cols, out, i * cols, cols);
        }
        return Nd4j.create(out, new long[] {rows.length, cols}, 'c');
    }

    private static FloatBuffer floats(INDArray m) {
        int offset = Math.toIntExact(m.offset());
        FloatBuffer all = m.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        return all.position(offset).limit(offset + Math.toIntExact(m.length())).slice();
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
