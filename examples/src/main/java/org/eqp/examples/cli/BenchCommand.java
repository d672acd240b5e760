package org.eqp.examples.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.eqp.examples.bench.EnergyBenchmark;
import org.eqp.examples.bench.FeedbackLayoutBenchmark;
import org.eqp.examples.bench.RelaxationBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./eqp bench}: relaxation step vs its gemms, and training throughput (see {@link RelaxationBenchmark}). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time one relaxation step against its matrix products alone, and EP training throughput, "
                + "for 784-500x3-10 at 500/8 iterations and 784-500-10 at 20/4 (batch 20).")
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

    @Override
    public Integer call() throws Exception {
        if (rounds < 1) {
            throw new UserInputException("--rounds must be at least 1; got " + rounds);
        }
        if (network != null && (layouts || energies)) {
            throw new UserInputException("--network times one network of the default benchmark; drop --layouts or "
                    + "--energies");
        }
        List<RelaxationBenchmark.Case> cases = network == null ? RelaxationBenchmark.defaultCases()
                : List.of(UserInputException.check(() -> RelaxationBenchmark.Case.of(network, free, nudged, p)));
        System.out.println("OMP_NUM_THREADS=" + System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"));
        if (energies) {
            new EnergyBenchmark(rounds).run(System.out);
        } else if (layouts) {
            new FeedbackLayoutBenchmark(rounds).runAll(FeedbackLayoutBenchmark.defaultCases(), System.out);
        } else {
            new RelaxationBenchmark(rounds).runAll(cases, System.out);
        }
        return 0;
    }
}
