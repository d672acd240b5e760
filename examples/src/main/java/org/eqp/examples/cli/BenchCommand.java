package org.eqp.examples.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.eqp.data.DatasetRequest;
import org.eqp.data.LoadedDataset;
import org.eqp.dynamics.StepTeam;
import org.eqp.examples.bench.BenchReport;
import org.eqp.examples.bench.EnergyBenchmark;
import org.eqp.examples.bench.EpochBenchmark;
import org.eqp.examples.bench.EpochFork;
import org.eqp.examples.bench.FeedbackLayoutBenchmark;
import org.eqp.examples.bench.RelaxationBenchmark;
import org.eqp.examples.bench.ScheduleBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./eqp bench}: relaxation step vs its gemms on one and two threads, training throughput (see
 * {@link RelaxationBenchmark}), the seed code's per-batch times as anchors, and one MNIST epoch of EP against DL4J
 * backprop ({@link EpochBenchmark}); {@code --out DIR} writes {@code DIR/bench.json} ({@link BenchReport}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time one relaxation step against its matrix products alone, on one and two threads, and EP "
                + "training throughput, for 784-500x3-10 at 500/8 iterations and 784-500-10 at 20/4 (batch 20); "
                + "then one MNIST epoch of EP 784-500-10 against the same-shape DL4J backprop MLP.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--rounds", defaultValue = "5", description = "Measurement rounds per case; medians are printed (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--layouts", description = "Instead: time one relaxation step with the feedback computed per block (BLAS), as one "
            + "dense N x N product (BLAS), and per block in the Java Vector API, next to a sparse connection list (see FeedbackLayoutBenchmark).")
    boolean layouts;

    @Option(names = "--energies", description = "Instead: time one relaxation step of 784-500-10 on the fused path and "
            + "as a SameDiff energy (the ratio), and of the MNIST convolutional energy (see EnergyBenchmark).")
    boolean energies;

    @Option(names = "--network", paramLabel = "SIZES", description = "Instead of the default cases: one network, its "
            + "layer sizes from input to output joined by '-' (e.g. 784-500-10), at --free / --nudged iterations, "
            + "small-world with --p")
    String network;

    @Option(names = "--free", defaultValue = "20", description = "With --network: free iterations (default: ${DEFAULT-VALUE})")
    int free;

    @Option(names = "--nudged", defaultValue = "4", description = "With --network: nudged iterations (default: ${DEFAULT-VALUE})")
    int nudged;

    @Option(names = "--p", defaultValue = "0", description = "With --network: small-world p, 0 = layered (default: ${DEFAULT-VALUE})")
    double p;

    @Option(names = "--epoch", description = "Also time one training epoch of the quickstart EP network against the "
            + "same-shape DL4J backprop MLP on MNIST (fetched if missing; the default when no --network is given)")
    boolean epoch;

    @Option(names = "--epoch-examples", paramLabel = "K", description = "The epoch comparison on the first K MNIST "
            + "training examples only (default: all 60,000)")
    Integer epochExamples;

    @Option(names = "--epoch-rounds", defaultValue = "3", paramLabel = "R", description = "Epochs per network in the "
            + "epoch comparison, the networks taking turns, each epoch in a JVM of its own after "
            + EpochFork.WARM_UP_EPOCHS + " warm-up epochs; medians are printed (default: ${DEFAULT-VALUE})")
    int epochRounds;

    @Option(names = "--schedules", description = "Also compare the relaxation schedules (seed 500/8 against "
            + "--schedule fast) on MNIST 784-500x3-10, one epoch on --schedule-examples (the default when no --network "
            + "is given)")
    boolean schedules;

    @Option(names = "--schedule-examples", paramLabel = "K", defaultValue = "3000", description = "Training examples of "
            + "the schedule comparison (default: ${DEFAULT-VALUE}; the seed schedule takes about 0.15 s per 20)")
    int scheduleExamples;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Directory holding the MNIST files for the epoch "
            + "and schedule comparisons (searched before the cache)")
    Path dataDir;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write DIR/bench.json with the figures measured")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (rounds < 1) {
            throw new UserInputException("--rounds must be at least 1; got " + rounds);
        }
        if (network != null && (layouts || energies)) {
            throw new UserInputException("--network times one network of the default benchmark; drop --layouts or "
                    + "--energies");
        }
        if (epochExamples != null && epochExamples < 20) {
            throw new UserInputException("--epoch-examples must be at least 20 (one batch); got " + epochExamples);
        }
        if (epochRounds < 1) {
            throw new UserInputException("--epoch-rounds must be at least 1; got " + epochRounds);
        }
        if (scheduleExamples < 20) {
            throw new UserInputException("--schedule-examples must be at least 20 (one batch); got "
                    + scheduleExamples);
        }
        List<RelaxationBenchmark.Case> cases = network == null ? RelaxationBenchmark.defaultCases()
                : List.of(UserInputException.check(() -> RelaxationBenchmark.Case.of(network, free, nudged, p)));
        System.out.println("OMP_NUM_THREADS=" + System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)")
                + ", relaxation threads " + StepTeam.threads());
        BenchReport report = new BenchReport();
        if (energies) {
            new EnergyBenchmark(rounds).run(System.out);
        } else if (layouts) {
            new FeedbackLayoutBenchmark(rounds).runAll(FeedbackLayoutBenchmark.defaultCases(), System.out);
        } else {
            report.addCases(new RelaxationBenchmark(rounds).runAll(cases, System.out), System.out);
        }
        if (epoch || (network == null && !layouts && !energies)) {
            System.out.println();
            DatasetRequest request = mnistRequest(epochExamples);
            LoadedDataset data = EqpCli.of(spec).load(() -> request); // fetched here when missing, for the forks
            report.addEpoch(EpochBenchmark.run(request, data.train().numExamples(), 1, epochRounds, System.out));
        }
        if (schedules || (network == null && !layouts && !energies)) {
            System.out.println();
            report.addSchedules(ScheduleBenchmark.run(loadMnist(scheduleExamples), System.out));
        }
        if (out != null) {
            System.out.println("wrote " + report.write(out));
        }
        return 0;
    }

    /** MNIST, its training set cut to the first {@code trainLimit} examples when given. */
    private LoadedDataset loadMnist(Integer trainLimit) {
        DatasetRequest request = mnistRequest(trainLimit);
        return EqpCli.of(spec).load(() -> request);
    }

    private DatasetRequest mnistRequest(Integer trainLimit) {
        DatasetRequest.Builder request = DatasetRequest.builder().spec("mnist").seed(1).dataDir(dataDir);
        if (trainLimit != null) {
            request.trainLimit(trainLimit);
        }
        return request.build();
    }
}
