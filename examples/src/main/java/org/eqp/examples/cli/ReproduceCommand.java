package org.eqp.examples.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.eqp.data.LoadedDataset;
import org.eqp.examples.reproduce.Fig2Runs;
import org.eqp.examples.reproduce.Fig4PSweep;
import org.eqp.examples.reproduce.Fig5Maps;
import org.eqp.examples.reproduce.PreprintFig4;
import org.eqp.examples.reproduce.SweepRun;
import org.eqp.examples.reproduce.Table1;
import org.eqp.examples.run.RelaxationSchedule;
import org.eqp.learning.EpSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./eqp reproduce NAME}: the seed papers' experiments, one command each (fig2, fig3, fig4, fig5, table1 of the
 * journal paper; preprint-fig4 of the preprint).
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Reproduce the seed papers' experiments.",
        subcommands = {ReproduceCommand.Fig2.class, ReproduceCommand.Fig3.class, ReproduceCommand.Fig4.class,
                ReproduceCommand.Fig5.class, ReproduceCommand.Table1Command.class,
                ReproduceCommand.PreprintFig4Command.class})
final class ReproduceCommand {

    @Command(name = "fig2", mixinStandardHelpOptions = true,
            description = "MNIST 784-500x3-10 trained layered (one rate), layered (per-layer rates) and small-world "
                    + "p=.1 (Gammell et al. 2021, figures 2 and 3): learning curves, RMS corrections per layer pair, a "
                    + "report next to the seed's logged errors. Default: 1 epoch on 3,000 examples; --full: 60,000 "
                    + "examples and 100 epochs (about 30 min per network and epoch here).")
    static class Fig2 implements Callable<Integer> {
        @Mixin
        ReproduceOptions options;

        @Option(names = "--epochs", description = "Epochs (default: 1; with --full: 100, the paper's figure 2)")
        Integer epochs;

        @Option(names = "--free", defaultValue = "500", description = "Free iterations (default and paper: ${DEFAULT-VALUE})")
        int free;

        @Option(names = "--nudged", defaultValue = "8", description = "Nudged iterations (default and paper: ${DEFAULT-VALUE})")
        int nudged;

        @Option(names = "--schedule", defaultValue = "seed", paramLabel = "seed|fast", description = "seed: the seed "
                + "code's synchronous steps, --free / --nudged (default); fast: alternating steps at eps 1, beta 0.5, "
                + "30 / 6 iterations, rates halved (as ./eqp train --schedule fast): the same expected update in "
                + "about a tenth of the time, but figure 3's spread of corrections is not the seed schedule's")
        String schedule;

        @Option(names = "--networks", split = ",", defaultValue = "layered,layered-per-layer,small-world",
                description = "Which networks (default: all three: ${DEFAULT-VALUE}); split them over two processes "
                        + "with two --out folders to use both cores")
        List<String> networks;

        @Option(names = "--report-only", description = "Train nothing: rebuild DIR/report.md and curves.png from the "
                + "run folders already in DIR (e.g. gathered from --networks runs in several processes)")
        boolean reportOnly;

        @Override
        public Integer call() throws Exception {
            int n = options.epochs(epochs, 1, 100);
            int checkpointEvery = options.checkpointEvery();
            int trainEvalExamples = options.trainEvalExamples();
            List<Fig2Runs.Network> chosen = UserInputException.check(() -> Fig2Runs.select(networks));
            EpSettings settings = UserInputException.check(() -> Fig2Runs.seedSettings(free, nudged, options.particles));
            RelaxationSchedule relaxation = UserInputException.check(() -> ScheduleOption.parse(schedule,
                    options.command.commandLine().getParseResult(), "--free", "--nudged"));
            LoadedDataset mnist = options.mnist();
            List<Fig2Runs.Outcome> outcomes = reportOnly ? UserInputException.check(() -> Fig2Runs.collect(options.out))
                    : Fig2Runs.run(chosen, settings, relaxation, n, options.seed, trainEvalExamples, checkpointEvery,
                            mnist, options.out, System.out);
            Fig2Runs.report(options.out.resolve("report.md"), outcomes, n, mnist.train().numExamples(),
                    trainEvalExamples, options.seedReference());
            return options.printReport();
        }
    }

    /** Figure 3 comes from the same three runs as figure 2: the same command under the paper's other name. */
    @Command(name = "fig3", mixinStandardHelpOptions = true,
            description = "The same three runs as fig2; figure 3 is their RMS correction per layer pair "
                    + "(DIR/*/corrections.png, the per-pair table of DIR/report.md).")
    static final class Fig3 extends Fig2 {
    }

    @Command(name = "fig5", mixinStandardHelpOptions = true,
            description = "Mean |dW| maps of the whole MNIST 784-100x5-10 network, layered vs small-world p=.1 "
                    + "(Gammell et al. 2021, figure 5; rate .015, 1000 / 12 iterations): DIR/layered/dw-map.png and "
                    + "DIR/small-world/dw-map.png. Default: 1 epoch on 3,000 examples; --full: 60,000 examples, 100 "
                    + "epochs.")
    static final class Fig5 implements Callable<Integer> {
        @Mixin
        ReproduceOptions options;

        @Option(names = "--epochs", description = "Epochs (default: 1; with --full: 100, the paper's figure 5)")
        Integer epochs;

        @Option(names = "--free", defaultValue = "1000", description = "Free iterations (default and paper: ${DEFAULT-VALUE})")
        int free;

        @Override
        public Integer call() throws Exception {
            int trainEvalExamples = options.trainEvalExamples();
            SweepRun.Length settings = UserInputException.check(() -> new SweepRun.Length(options.epochs(epochs, 1, 100),
                    free, 12, options.seed, options.particles, trainEvalExamples));
            LoadedDataset mnist = options.mnist();
            Fig5Maps.run(settings, options.checkpointEvery(), mnist, options.out, System.out);
            return options.printReport();
        }
    }

    @Command(name = "fig4", mixinStandardHelpOptions = true,
            description = "The small-world p sweep on MNIST 784-100x5-10 (Gammell et al. 2021, figure 4): errors and "
                    + "log-spread against p, their linear fit and r^2, next to the seed's logged numbers. --full: "
                    + "10 epochs on all examples.")
    static final class Fig4 implements Callable<Integer> {
        @Mixin
        ReproduceOptions options;

        @Option(names = "--epochs", description = "Epochs per p (default: 1; with --full: 10, the paper's)")
        Integer epochs;

        @Option(names = "--free", defaultValue = "1000", description = "Free iterations (default and paper: ${DEFAULT-VALUE})")
        int free;

        @Option(names = "--p", split = ",", defaultValue = "0,0.003,0.01,0.03,0.08", paramLabel = "P,...|paper",
                description = "p values (default: ${DEFAULT-VALUE}), or paper: the paper's 23 values from 0 to 0.078805")
        List<String> ps;

        @Override
        public Integer call() throws Exception {
            int trainEvalExamples = options.trainEvalExamples();
            double[] grid = UserInputException.check(() -> Fig4PSweep.grid(ps));
            Fig4PSweep.Settings settings = UserInputException.check(() -> new Fig4PSweep.Settings(grid,
                    new SweepRun.Length(options.epochs(epochs, 1, 10), free, 12, options.seed, options.particles,
                            trainEvalExamples)));
            LoadedDataset mnist = options.mnist();
            List<SweepRun.Point> points = Fig4PSweep.run(settings, options.checkpointEvery(), mnist, options.out,
                    System.out);
            Fig4PSweep.report(options.out.resolve("report.md"), settings, mnist.train().numExamples(), points,
                    options.seedReference());
            return options.printReport();
        }
    }

    @Command(name = "table1", mixinStandardHelpOptions = true,
            description = "Table 1 of Gammell et al. 2021, each row layered and small-world p=.1 with the seed's "
                    + "settings: MNIST, Fashion-MNIST, wine and diabetes (regression) with 5 hidden layers, MNIST "
                    + "784-500x3-10, wine and diabetes with 8 hidden layers; training error, test error and log-spread "
                    + "next to the seed's.")
    static final class Table1Command implements Callable<Integer> {
        @Mixin
        ReproduceOptions options;

        @Option(names = "--epochs", description = "Epochs on MNIST / Fashion-MNIST (default: 1; with --full: 100, the paper's)")
        Integer epochs;

        @Option(names = "--csv-epochs", description = "Epochs on wine / diabetes (default: 20; with --full: 100)")
        Integer csvEpochs;

        @Option(names = "--free", description = "Free iterations for every row (default: each row's, the paper's: "
                + "1000; 500 for mnist-3x500; 5000 for the 8-layer rows)")
        Integer free;

        @Option(names = "--nudged", description = "Nudged iterations for every row (default: each row's, the paper's: "
                + "12; 8 for mnist-3x500; 18 for the 8-layer rows)")
        Integer nudged;

        @Option(names = "--datasets", split = ",", paramLabel = "ROW,...",
                defaultValue = "mnist,fashion-mnist,wine,diabetes,mnist-3x500,wine-8layer,diabetes-8layer",
                description = "Which rows (default: all: ${DEFAULT-VALUE}); mnist, fashion-mnist, wine, diabetes have 5 "
                        + "hidden layers. Split them over two processes with the same --out to use both cores, then "
                        + "run all of them once more for the whole table (the complete runs are kept)")
        List<String> datasets;

        @Override
        public Integer call() throws Exception {
            int imageEpochs = options.epochs(epochs, 1, 100);
            int tableEpochs = options.epochs(csvEpochs, 20, 100);
            List<Table1.Dataset> chosen = UserInputException.check(() -> Table1.select(datasets));
            for (Table1.Dataset d : chosen) {
                UserInputException.check(() -> Table1.settings(d, free, nudged, options.particles));
            }
            int trainEvalExamples = options.trainEvalExamples();
            int checkpointEvery = options.checkpointEvery();
            List<Table1.Row> rows = Table1.run(chosen, d -> options.dataset(d.spec(), d.image()), imageEpochs,
                    tableEpochs, free, nudged, options.particles, options.seed, trainEvalExamples, checkpointEvery,
                    options.out, System.out);
            Table1.report(options.out.resolve("report.md"), rows, imageEpochs, tableEpochs, options.particles,
                    options.seedReference());
            return options.printReport();
        }
    }

    @Command(name = "preprint-fig4", mixinStandardHelpOptions = true,
            description = "The preprint's figure 4 (Gammell et al. 2020): MNIST 784-500x3-10 with the preprint's "
                    + "topology (hidden layers connected within, n connections moved to layer-skipping pairs), rate "
                    + ".02, 500 / 8 iterations: training error after one epoch, test error and the preprint's Spread "
                    + "(eqs. 22-23) against n, next to the seed's logged runs. Default: 1 epoch on 3,000 examples; "
                    + "--full: 1 epoch on the first 50,000 (the preprint's split).")
    static final class PreprintFig4Command implements Callable<Integer> {
        @Mixin
        ReproduceOptions options;

        @Option(names = "--epochs", description = "Epochs per n (default and paper: 1)")
        Integer epochs;

        @Option(names = "--free", defaultValue = "500", description = "Free iterations (default and paper: ${DEFAULT-VALUE})")
        int free;

        @Option(names = "--nudged", defaultValue = "8", description = "Nudged iterations (default and paper: ${DEFAULT-VALUE})")
        int nudged;

        @Option(names = {"--n", "--replacements"}, split = ",", defaultValue = PreprintFig4.DEFAULT_GRID,
                paramLabel = "N,...|paper", description = "Numbers of replaced connections (default: ${DEFAULT-VALUE}; "
                + "the seed logged 0, 10000 and 100000), or paper: the seed's sweep 0, 500, ..., 199500 (400 runs)")
        List<String> ns;

        @Override
        public Integer call() throws Exception {
            long[] grid = UserInputException.check(() -> PreprintFig4.grid(ns));
            SweepRun.Length length = UserInputException.check(() -> new SweepRun.Length(options.epochs(epochs, 1, 1),
                    free, nudged, options.seed, options.particles, options.trainEvalExamples()));
            int checkpointEvery = options.checkpointEvery();
            LoadedDataset mnist = options.dataset("mnist", true, PreprintFig4.PREPRINT_TRAIN_EXAMPLES);
            UserInputException.check(() -> {
                PreprintFig4.check(grid, mnist.numFeatures(), mnist.numOutputs());
                return null;
            });
            List<SweepRun.Point> points = PreprintFig4.run(grid, length, checkpointEvery, mnist, options.out, System.out);
            PreprintFig4.report(options.out.resolve("report.md"), length, mnist.train().numExamples(), points,
                    options.seedReference());
            return options.printReport();
        }
    }
}
