package org.eqp.examples.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.data.ShufflingDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Hands the minibatches of a {@link ShufflingDataSetIterator} to DL4J's {@code fit} and, whenever the network has
 * trained a multiple of {@code every} batches, saves a checkpoint before handing out the next one. That is the one
 * moment between two batches where everything is settled: DL4J runs its listeners' {@code iterationDone} before it
 * counts the iteration and applies constraints, while here the last update is complete and the data position is
 * where the next batch starts (at an epoch boundary: after the epoch was measured and the next pass was shuffled).
 * Not asynchronous, so DL4J fetches no batch ahead.
 */
final class CheckpointingIterator implements DataSetIterator {
    /** Saves a checkpoint of the run between two batches. */
    @FunctionalInterface
    interface Checkpoint {
        void save() throws IOException;
    }

    private final ShufflingDataSetIterator data;
    private final MultiLayerNetwork net;
    private final int every;
    private final Checkpoint checkpoint;
    private long savedAt;

    /**
     * @param every batches between two checkpoints, counted by the network's iteration count (so a resumed run keeps
     *              the same checkpoint batches); no checkpoint is saved where the run (re)started
     */
    CheckpointingIterator(ShufflingDataSetIterator data, MultiLayerNetwork net, int every, Checkpoint checkpoint) {
        if (every < 1) {
            throw new IllegalArgumentException("checkpoints need an interval of at least 1 batch; got " + every);
        }
        this.data = data;
        this.net = net;
        this.every = every;
        this.checkpoint = checkpoint;
        this.savedAt = net.getIterationCount();
    }

    @Override
    public DataSet next(int num) {
        long trained = net.getIterationCount();
        if (trained != savedAt && trained % every == 0) {
            try {
                checkpoint.save();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            savedAt = trained;
        }
        return data.next(num);
    }

    @Override
    public DataSet next() {
        return next(data.batch());
    }

    @Override
    public boolean hasNext() {
        return data.hasNext();
    }

    @Override
    public void reset() {
        data.reset();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public int inputColumns() {
        return data.inputColumns();
    }

    @Override
    public int totalOutcomes() {
        return data.totalOutcomes();
    }

    @Override
    public int batch() {
        return data.batch();
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        data.setPreProcessor(preProcessor);
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return data.getPreProcessor();
    }

    @Override
    public List<String> getLabels() {
        return data.getLabels();
    }
}
