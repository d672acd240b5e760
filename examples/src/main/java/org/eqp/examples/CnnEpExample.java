package org.eqp.examples;

import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.data.DatasetRequest;
import org.eqp.data.Datasets;
import org.eqp.data.LoadedDataset;
import org.eqp.data.ShufflingDataSetIterator;
import org.eqp.dl4j.listener.EpTrainingListener;
import org.eqp.examples.run.CnnEpNetwork;
import org.eqp.examples.run.EpRunConfig;
import org.eqp.learning.EpSettings;
import org.eqp.topology.spec.SmallWorldReplace;

/**
 * {@link CnnEpNetwork} on MNIST with an EP block 256-128-64 (small-world p = 0.1, {@link EpSettings#DEFAULTS}), Adam
 * 1e-3, batch 64. Usage: {@code CnnEpExample [epochs] [trainExamples]} (default 5 epochs on all 60,000 examples);
 * prints test error and seconds per epoch. The command line runs the same network as
 * {@code ./eqp train --dataset mnist --model cnn-ep}.
 */
public final class CnnEpExample {
    private CnnEpExample() {
    }

    public static void main(String[] args) {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        DatasetRequest.Builder request = DatasetRequest.builder().spec("mnist");
        if (args.length > 1) {
            request.trainLimit(Integer.parseInt(args[1]));
        }
        LoadedDataset mnist = Datasets.load(request.build());
        EpRunConfig run = new EpRunConfig(new int[] {128}, EpSettings.DEFAULTS, new double[] {1e-3}, epochs, 64, 1,
                new SmallWorldReplace(0.1, 0), new EpRunConfig.ConvolutionalBelow(), EpRunConfig.Loss.L2, null,
                EpRunConfig.Parallelism.ONE);
        MultiLayerNetwork net = run.buildNetwork(mnist.numFeatures(), mnist.numClasses());
        net.setListeners(new EpTrainingListener("CNN-EP", null,
                new ShufflingDataSetIterator(mnist.test(), 500, 1, false),
                r -> System.out.printf(Locale.ROOT, "epoch %d: test error %.2f %%, %.1f s%n", r.epoch(),
                        100 * r.testError(), r.seconds())));
        for (int e = 0; e < epochs; e++) {
            net.fit(new ShufflingDataSetIterator(mnist.train(), run.batch(), run.seed() + e, true));
        }
    }
}
