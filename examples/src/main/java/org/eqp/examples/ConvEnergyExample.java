package org.eqp.examples;

import java.util.Locale;
import org.eqp.data.DatasetRequest;
import org.eqp.data.Datasets;
import org.eqp.data.LoadedDataset;
import org.eqp.data.ShufflingDataSetIterator;
import org.eqp.energy.ConvEnergy;
import org.eqp.energy.EnergyModel;
import org.eqp.learning.EpSettings;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.impl.LossL2;

/**
 * A convolutional energy written in SameDiff and trained SameDiff-native by EP on MNIST ({@link ConvEnergy}: conv 5x5
 * + max-pool 2 couplings to 16 and 32 maps, a dense output group; 40 free / 8 nudged steps, eps 0.5, beta 1 with
 * random sign, Sgd 0.05, batch 20). Usage: {@code ConvEnergyExample [epochs] [trainExamples]} (default 1 epoch on
 * 5,000 examples); prints test error and seconds per epoch. {@code ./eqp train --dataset mnist --energy conv} runs the
 * same energy as a DL4J layer.
 */
public final class ConvEnergyExample {
    private ConvEnergyExample() {
    }

    public static void main(String[] args) {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int examples = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        LoadedDataset mnist = Datasets.load(DatasetRequest.builder().spec("mnist").trainLimit(examples).build());
        EpSettings settings = new EpSettings(0.5, 1.0, 40, 8, true, false, 0, false);
        EnergyModel model = new EnergyModel(ConvEnergy.mnist(16, 32).build(784, 10, 1), settings, new LossL2(),
                new ActivationIdentity(), new Sgd(0.05), 1);
        for (int e = 1; e <= epochs; e++) {
            long start = System.nanoTime();
            model.fit(new ShufflingDataSetIterator(mnist.train(), 20, e, true), 1);
            double seconds = (System.nanoTime() - start) / 1e9;
            double error = 1 - model.evaluate(new ShufflingDataSetIterator(mnist.test(), 500, 1, false)).accuracy();
            System.out.printf(Locale.ROOT, "epoch %d: test error %.2f %%, %.0f s%n", e, 100 * error, seconds);
        }
    }
}
