package org.eqp.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.eqp.data.LoadedDataset;
import org.eqp.directed.DirectedSettings;
import org.eqp.examples.deep.DeepOnDataset;
import org.eqp.examples.deep.DeepRecipe;
import org.eqp.examples.deep.DeepRuns;
import org.eqp.examples.run.EpVersusBackprop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./eqp deep-data}: DEEP with pruning on a dataset, next to layered EP and backprop. */
@Command(name = "deep-data", mixinStandardHelpOptions = true, sortOptions = false,
        description = "DEEP (or vector-field EP) with pruning on a dataset through the DL4J layer, next to a layered EP "
                + "network and a backprop MLP with one hidden layer of the same size: DIR/report.md, DIR/summary.json.")
final class DeepDataCommand implements Callable<Integer> {
    @Mixin
    DatasetOptions data;

    @Option(names = "--rule", defaultValue = "deep", description = "deep or vector-field (default: ${DEFAULT-VALUE})")
    String rule;

    @Option(names = "--hidden", defaultValue = "10", description = "Hidden units (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--dt", defaultValue = "0.1", description = "Euler step (default: ${DEFAULT-VALUE})")
    double dt;

    @Option(names = "--free", defaultValue = "100", description = "Free-phase steps (default: ${DEFAULT-VALUE})")
    int free;

    @Option(names = "--nudged", defaultValue = "20", description = "Nudged-phase steps (default: ${DEFAULT-VALUE})")
    int nudged;

    @Option(names = "--beta", defaultValue = "1", description = "Nudge strength (default: ${DEFAULT-VALUE})")
    double beta;

    @Option(names = "--lr", defaultValue = "1", description = "SGD rate of the directed network (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--l1", defaultValue = "0", description = "l1 step of the directed weights after each update, "
            + "W -= l1 sign(W), not scaled by --lr, as ./eqp deep (default: ${DEFAULT-VALUE})")
    double l1;

    @Option(names = "--lambda", defaultValue = "0.01", description = "Pruning threshold (default: ${DEFAULT-VALUE}; 0 = off)")
    double lambda;

    @Option(names = "--temperature", defaultValue = "5", description = "Pruning temperature T (default: ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--epochs", defaultValue = "10", description = "Epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch", defaultValue = "20", description = "Minibatch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (epochs < 1 || batch < 1) {
            throw new UserInputException("--epochs and --batch must be at least 1");
        }
        DeepRecipe recipe = UserInputException.check(() -> new DeepRecipe(new DirectedSettings(DeepRuns.parseRule(rule),
                dt, free, nudged, beta, lambda, temperature, 0, false), lr, l1));
        LoadedDataset dataset = data.load(seed);
        if (dataset.isRegression()) {
            throw new UserInputException("deep-data compares classification errors; give a classification dataset");
        }
        DeepOnDataset.Outcome directed = DeepOnDataset.run(dataset, recipe, hidden, epochs, batch, seed, out, System.out);
        EpVersusBackprop.Outcome others = DeepOnDataset.layeredAndBackprop(dataset, hidden, epochs, batch, seed, out,
                System.out);
        DeepOnDataset.report(out, dataset, recipe, hidden, directed, others);
        System.out.println(Files.readString(out.resolve("report.md")));
        return 0;
    }
}
