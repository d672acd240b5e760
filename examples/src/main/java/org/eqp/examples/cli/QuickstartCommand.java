package org.eqp.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.eqp.data.DatasetRequest;
import org.eqp.data.LoadedDataset;
import org.eqp.examples.run.EpRunConfig;
import org.eqp.examples.run.EpVersusBackprop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./eqp quickstart}: the README's main job. Fetches MNIST if missing, trains the 784-500-10 EP network
 * (Scellier and Bengio's settings) and the same-shape backprop MLP, prints them side by side and plots both
 * learning curves.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Fetch MNIST if needed, train 784-500-10 EP and the same-shape backprop MLP, compare them.")
final class QuickstartCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--epochs", defaultValue = "3", description = "Epochs for each network (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--out", defaultValue = "runs/quickstart", paramLabel = "DIR", description = "Output directory (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--train-examples", paramLabel = "K", description = "Use only the first K training examples")
    Integer trainExamples;

    @Override
    public Integer call() throws Exception {
        EpRunConfig config = UserInputException.check(() -> EpRunConfig.quickstart(epochs));
        LoadedDataset mnist = loadMnist(config.seed());
        EpVersusBackprop.Outcome outcome = EpVersusBackprop.run(config, mnist, EpVersusBackprop.Options.replacing(true), out,
                System.out);
        System.out.println();
        System.out.println(outcome.table());
        System.out.println("learning curves: " + out.resolve("curves.png") + "; metrics: " + out.resolve("metrics.csv"));
        return 0;
    }

    private LoadedDataset loadMnist(long seed) {
        DatasetRequest.Builder request = DatasetRequest.builder().spec("mnist").seed(seed);
        if (trainExamples != null) {
            request.trainLimit(trainExamples);
        }
        return EqpCli.of(spec).load(request::build);
    }
}
