package org.eqp.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.eqp.data.DatasetRequest;
import org.eqp.data.Datasets;
import org.eqp.data.LoadedDataset;
import org.eqp.examples.reproduce.Fig2Runs;
import org.eqp.examples.reproduce.Fig4PSweep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./eqp reproduce NAME}: the seed papers' experiments, one command each (so far: fig4). */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Reproduce the seed papers' experiments.",
        subcommands = {ReproduceCommand.Fig2.class, ReproduceCommand.Fig4.class})
final class ReproduceCommand {

    /** Where the seed's reference numbers live: the given folder, else ../shared/reference beside the repository. */
    static Path referenceDir(Path given) {
        if (given != null) {
            return given;
        }
        return Path.of(System.getProperty("eqp.home", ".")).toAbsolutePath().resolve("../shared/reference").normalize();
    }

    @Command(name = "fig2", mixinStandardHelpOptions = true,
            description = "MNIST 784-500x3-10 trained layered (one rate), layered (per-layer rates) and small-world "
                    + "p=.1 (Gammell et al. 2021, figures 2 and 3): learning curves, RMS corrections per layer pair, a "
                    + "report next to the seed's logged errors.")
    static final class Fig2 implements Callable<Integer> {
        @Option(names = "--epochs", defaultValue = "1", description = "Epochs (default: ${DEFAULT-VALUE})")
        int epochs;

        @Option(names = "--train-examples", defaultValue = "3000",
                description = "Training examples (default: ${DEFAULT-VALUE}; --full: 60000)")
        int trainExamples;

        @Option(names = "--test-examples", defaultValue = "2000", description = "Test examples (default: ${DEFAULT-VALUE})")
        int testExamples;

        @Option(names = "--free", defaultValue = "500", description = "Free iterations (default and paper: ${DEFAULT-VALUE})")
        int free;

        @Option(names = "--nudged", defaultValue = "8", description = "Nudged iterations (default and paper: ${DEFAULT-VALUE})")
        int nudged;

        @Option(names = "--full", description = "All 60,000 / 10,000 examples (about 25 min per network and epoch here)")
        boolean full;

        @Option(names = "--seed", defaultValue = "1")
        long seed;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "Directory holding the MNIST IDX files")
        Path dataDir;

        @Option(names = "--reference", paramLabel = "DIR", description = "The seed's reference numbers")
        Path reference;

        @Option(names = "--out", required = true, paramLabel = "DIR")
        Path out;

        @Override
        public Integer call() throws Exception {
            LoadedDataset mnist = Datasets.load(mnistRequest(seed, dataDir, full, trainExamples, testExamples));
            Files.createDirectories(out);
            List<Fig2Runs.Outcome> outcomes = Fig2Runs.run(epochs, free, nudged, seed, mnist, out, System.out);
            Fig2Runs.report(out.resolve("report.md"), outcomes, epochs, mnist.train().numExamples(), free, nudged,
                    referenceDir(reference));
            System.out.println(Files.readString(out.resolve("report.md")));
            return 0;
        }
    }

    static DatasetRequest mnistRequest(long seed, Path dataDir, boolean full, int trainExamples, int testExamples) {
        DatasetRequest.Builder request = DatasetRequest.builder().spec("mnist").seed(seed);
        if (dataDir != null) {
            request.dataDir(dataDir);
        }
        if (!full) {
            request.trainLimit(trainExamples).testLimit(testExamples);
        }
        return request.build();
    }

    @Command(name = "fig4", mixinStandardHelpOptions = true,
            description = "The small-world p sweep on MNIST 784-100x5-10 (Gammell et al. 2021, figure 4): errors and "
                    + "log-spread against p, their linear fit and r^2, next to the seed's logged numbers.")
    static final class Fig4 implements Callable<Integer> {
        @Option(names = "--epochs", defaultValue = "1", description = "Epochs per p (default: ${DEFAULT-VALUE}; paper: 10)")
        int epochs;

        @Option(names = "--train-examples", defaultValue = "3000",
                description = "Training examples (default: ${DEFAULT-VALUE}; paper: 60000)")
        int trainExamples;

        @Option(names = "--test-examples", defaultValue = "2000", description = "Test examples (default: ${DEFAULT-VALUE})")
        int testExamples;

        @Option(names = "--free", defaultValue = "1000", description = "Free iterations (default and paper: ${DEFAULT-VALUE})")
        int free;

        @Option(names = "--p", split = ",", defaultValue = "0,0.003,0.01,0.03,0.08",
                description = "p values (default: ${DEFAULT-VALUE})")
        double[] ps;

        @Option(names = "--full", description = "The paper's length: 10 epochs on all 60,000 / 10,000 examples")
        boolean full;

        @Option(names = "--seed", defaultValue = "1")
        long seed;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "Directory holding the MNIST IDX files")
        Path dataDir;

        @Option(names = "--reference", paramLabel = "DIR",
                description = "The seed's reference numbers (default: ../shared/reference beside the repository)")
        Path reference;

        @Option(names = "--out", required = true, paramLabel = "DIR")
        Path out;

        @Override
        public Integer call() throws Exception {
            if (full) {
                epochs = 10;
            }
            LoadedDataset mnist = Datasets.load(mnistRequest(seed, dataDir, full, trainExamples, testExamples));
            Files.createDirectories(out);
            Fig4PSweep.Settings settings = new Fig4PSweep.Settings(ps, epochs, free, 12, seed);
            List<Fig4PSweep.Point> points = Fig4PSweep.run(settings, mnist, out, System.out);
            Fig4PSweep.report(out.resolve("report.md"), settings, mnist.train().numExamples(), points,
                    referenceDir(reference));
            System.out.println(Files.readString(out.resolve("report.md")));
            return 0;
        }
    }
}
