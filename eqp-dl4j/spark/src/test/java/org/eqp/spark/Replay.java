package org.eqp.spark;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/** Single-machine training on the minibatches a Spark worker fitted, in its order ({@link RecordingHook}). */
final class Replay {
    private Replay() {
    }

    /** The indices into {@code batches} of the minibatches recorded since the hook was cleared, in fit order. */
    static List<Integer> recordedOrder(List<DataSet> batches) {
        List<Integer> order = new ArrayList<>();
        for (RecordingHook.Fit fit : RecordingHook.fits()) {
            order.add(indexOf(batches, fit.minibatch()));
        }
        return order;
    }

    /** A new network from {@code conf}, initialised, after {@code fit(batches[i])} for each i of {@code order}. */
    static MultiLayerNetwork fit(MultiLayerConfiguration conf, List<DataSet> batches, List<Integer> order) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf.clone());
        net.init();
        for (int b : order) {
            net.fit(batches.get(b));
        }
        return net;
    }

    private static int indexOf(List<DataSet> batches, DataSet minibatch) {
        for (int i = 0; i < batches.size(); i++) {
            DataSet b = batches.get(i);
            if (b.numExamples() == minibatch.numExamples()
                    && Diffs.maxAbs(b.getFeatures(), minibatch.getFeatures()) == 0
                    && Diffs.maxAbs(b.getLabels(), minibatch.getLabels()) == 0) {
                return i;
            }
        }
        throw new AssertionError("the worker fitted a minibatch that is none of the RDD's: " + minibatch);
    }
}
