package org.eqp.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.dl4j.EpModelSerializer;
import org.eqp.data.LoadedDataset;
import org.eqp.data.ShufflingDataSetIterator;
import org.eqp.dl4j.listener.EpTrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./eqp evaluate --model DIR/model.zip --dataset D}: prints the model's test error. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Print a saved model's error on a dataset's test split.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.zip written by train")
    Path model;

    @Mixin
    DatasetOptions data;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the train/test split for CSV datasets (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(model)) {
            throw new UserInputException("model file " + model + " does not exist; train one with ./eqp train --out DIR");
        }
        MultiLayerNetwork net = restore(model);
        LoadedDataset dataset = data.load(seed);
        long expectedInputs = net.layerInputSize(0);
        if (expectedInputs != dataset.numFeatures()) {
            throw new UserInputException("the model expects " + expectedInputs + " features but " + dataset.name()
                    + " has " + dataset.numFeatures() + "; evaluate it on the dataset it was trained on");
        }
        double error = EpTrainingListener.error(net, new ShufflingDataSetIterator(dataset.test(), 500, seed, false));
        System.out.printf(Locale.ROOT, "%s test %s: %s (%d examples)%n", dataset.name(),
                dataset.isRegression() ? "mse" : "error",
                dataset.isRegression() ? String.format(Locale.ROOT, "%.5f", error)
                        : String.format(Locale.ROOT, "%.2f%%", 100 * error),
                dataset.test().numExamples());
        return 0;
    }

    /** The network in {@code file}; a file that holds none is the user's error. */
    private static MultiLayerNetwork restore(Path file) {
        try {
            return EpModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new UserInputException(file + " holds no network saved by ./eqp train (" + e + "); give the "
                    + "model.zip of a train run", e);
        }
    }
}
