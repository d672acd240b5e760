package org.eqp.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.eqp.data.LoadedDataset;
import org.eqp.examples.run.EpRunConfig;
import org.eqp.examples.run.TopologyChoice;
import org.eqp.examples.run.EpVersusBackprop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./eqp train}: trains a layered EP network (optionally next to the same-shape backprop MLP) and writes
 * {@code DIR/metrics.csv}, {@code DIR/summary.json}, {@code DIR/model.zip}, {@code DIR/curves.png}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a layered EP network with DL4J and write metrics.csv, summary.json, model.zip, curves.png.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    DatasetOptions data;

    @Option(names = "--hidden", split = ",", defaultValue = "500", paramLabel = "N[,N...]",
            description = "Hidden layer sizes (default: ${DEFAULT-VALUE})")
    int[] hidden;

    @Option(names = "--eps", defaultValue = "0.5", description = "Euler step size (default: ${DEFAULT-VALUE})")
    double eps;

    @Option(names = "--beta", defaultValue = "1.0", description = "Nudge strength (default: ${DEFAULT-VALUE})")
    double beta;

    @Option(names = "--free", defaultValue = "20", description = "Free-phase iterations (default: ${DEFAULT-VALUE})")
    int free;

    @Option(names = "--nudged", defaultValue = "4", description = "Nudged-phase iterations (default: ${DEFAULT-VALUE})")
    int nudged;

    @Option(names = "--lr", split = ",", paramLabel = "A[,A...]",
            description = "SGD rate: one for all blocks or one per adjacent block, biases included (default: 0.1,0.05 "
                    + "for one hidden layer as Scellier and Bengio; 0.02 for deeper nets as Gammell et al.)")
    double[] lr;

    @Option(names = "--epochs", defaultValue = "25", description = "Epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch", defaultValue = "20", description = "Minibatch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for weights, beta signs, shuffling, splits (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--fixed-sign", description = "Keep beta's sign fixed (default: random sign each batch)")
    boolean fixedSign;

    @Option(names = "--particles", description = "Persistent particles: start each training example's free phase from its "
            + "last equilibrium (default: from zero)")
    boolean particles;

    @Option(names = "--tolerance", defaultValue = "0", description = "Stop a phase early once no unit moves more than "
            + "this per step (default: ${DEFAULT-VALUE} = fixed iteration counts)")
    double tolerance;

    @Option(names = "--topology", defaultValue = "layered", paramLabel = "KIND",
            description = "layered | small-world | small-world-add | small-world-intralayer (the preprint's: hidden "
                    + "layers connected within, then --replacements moves) (default: ${DEFAULT-VALUE})")
    String topology;

    @Option(names = "--p", defaultValue = "0.1", description = "Small-world probability (default: ${DEFAULT-VALUE})")
    double p;

    @Option(names = "--replacements", defaultValue = "0", paramLabel = "N",
            description = "small-world-intralayer: connections moved to layer-skipping pairs (default: ${DEFAULT-VALUE})")
    long replacements;

    @Option(names = "--corrections", description = "Record the RMS EP correction per block and batch: "
            + "DIR/corrections.csv and the log-spread in summary.json (costs one pass over the weights per batch)")
    boolean corrections;

    @Option(names = "--baseline", paramLabel = "backprop",
            description = "Also train the same-shape backprop MLP: 'backprop'")
    String baseline;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (baseline != null && !baseline.equals("backprop")) {
            throw new UserInputException("--baseline takes 'backprop'; got '" + baseline + "'");
        }
        double[] rates = lr != null ? lr : hidden.length == 1 ? new double[] {0.1, 0.05} : new double[] {0.02};
        EpRunConfig config = UserInputException.check(() -> new EpRunConfig(hidden, eps, beta, free, nudged, rates,
                epochs, batch, seed, !fixedSign, particles, tolerance, TopologyChoice.parse(topology, p, replacements)));
        LoadedDataset dataset = data.load(seed);
        // the network the run builds, built once here: what the layer and its topology reject is the user's flags
        UserInputException.check(() -> config.buildNetwork(dataset.numFeatures(), dataset.numOutputs()));
        EpVersusBackprop.Outcome outcome = EpVersusBackprop.run(config, dataset, baseline != null, corrections, out,
                System.out);
        System.out.println();
        System.out.println(outcome.table());
        System.out.println("wrote " + out.resolve("metrics.csv") + ", summary.json, model.zip, curves.png");
        return 0;
    }
}
