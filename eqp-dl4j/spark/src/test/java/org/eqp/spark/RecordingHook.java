package org.eqp.spark;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.TaskContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Records, in a list the driver can read (Spark's local mode runs the workers in the driver's JVM), every minibatch a
 * worker fits and the partition that fitted it, in the order of the fits.
 */
final class RecordingHook implements TrainingHook {
    /** One fit: the minibatch's features (a copy) and the Spark partition of the worker. */
    record Fit(DataSet minibatch, int partition) {
    }

    private static final List<Fit> FITS = new CopyOnWriteArrayList<>();

    /** Forgets the fits recorded so far. */
    static void clear() {
        FITS.clear();
    }

    /** The fits recorded since the last {@link #clear()}. */
    static List<Fit> fits() {
        return List.copyOf(FITS);
    }

    @Override
    public void preUpdate(org.nd4j.linalg.dataset.api.DataSet minibatch, Model model) {
        TaskContext task = TaskContext.get();
        DataSet copy = new DataSet(minibatch.getFeatures().dup(), minibatch.getLabels().dup());
        FITS.add(new Fit(copy, task == null ? -1 : task.partitionId()));
    }

    @Override
    public void postUpdate(org.nd4j.linalg.dataset.api.DataSet minibatch, Model model) {
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        throw new UnsupportedOperationException("these tests train MultiLayerNetworks");
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
    }
}
