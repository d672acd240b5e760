package org.eqp.examples.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import org.eqp.data.DatasetRequest;
import org.eqp.dl4j.updater.ViewPreservingUpdater;
import org.eqp.examples.run.EpRunConfig;
import org.eqp.examples.run.EpVersusBackprop;

/**
 * One training epoch of the quickstart EP network ({@link EpRunConfig#quickstart}: 784-500-10, eps 0.5, beta 1 with
 * random sign, 20 free / 4 nudged steps, batch 20, SGD 0.1 / 0.05) against the DL4J backprop MLP of the same shape
 * ({@link EpVersusBackprop#baselineConfig}), as DL4J builds it and with the updater fix EP networks get
 * ({@link ViewPreservingUpdater}), on the same data order. Each measurement runs in a JVM of its own
 * ({@link EpochFork}: warm-up epochs, then the timed one); the networks take turns over a few rounds so that the
 * machine's changing load falls on all of them alike, and each network's fit time is the median of its rounds.
 * The EP relaxation uses the JVM's {@link org.eqp.dynamics.StepTeam} threads; DL4J's backprop uses ND4J's
 * ({@code OMP_NUM_THREADS}).
 */
public final class EpochBenchmark {
    /**
     * The networks' fit seconds (median of {@code rounds}), evaluation seconds and test errors, on {@code examples}
     * training examples: EP, DL4J's backprop as it comes, and the same backprop with the updater fix EP networks get
     * ({@link ViewPreservingUpdater}).
     */
    public record Result(int examples, int rounds, Timing ep, Timing backprop, Timing backpropViewPreserving) {
        /** EP's epoch time over DL4J's stock backprop's (fit only): the target ratio. */
        public double epOverBackpropEpoch() {
            return ep.fitSeconds() / backprop.fitSeconds();
        }

        /** EP's epoch time over backprop's with the same updater fix (fit only). */
        public double epOverBackpropSameUpdater() {
            return ep.fitSeconds() / backpropViewPreserving.fitSeconds();
        }
    }

    /** One network's measurements. */
    public record Timing(double fitSeconds, double evalSeconds, double testError) {
    }

    private EpochBenchmark() {
    }

    /**
     * Measures the networks on the dataset {@code request} names (MNIST or any dataset the quickstart network fits;
     * each fork loads it) and prints them: each network's fit time is the median of {@code rounds} epochs, its
     * evaluation time and test error the last round's.
     *
     * @param examples the training examples the request gives, for the report
     */
    public static Result run(DatasetRequest request, int examples, long seed, int rounds, PrintStream out) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1; got " + rounds);
        }
        EpochFork.Network[] networks = EpochFork.Network.values();
        double[][] fits = new double[networks.length][rounds];
        Timing[] last = new Timing[networks.length];
        for (int r = 0; r < rounds; r++) {
            for (int n = 0; n < networks.length; n++) {
                last[n] = EpochFork.measure(networks[n], request, seed);
                fits[n][r] = last[n].fitSeconds();
            }
        }
        Timing[] t = new Timing[networks.length];
        for (int n = 0; n < t.length; n++) {
            t[n] = new Timing(median(fits[n]), last[n].evalSeconds(), last[n].testError());
        }
        Result result = new Result(examples, rounds, t[0], t[1], t[2]);
        out.printf(Locale.ROOT, "%-34s %10s %10s %12s%n", "one epoch, " + result.examples() + " examples",
                "fit (s)", "eval (s)", "test err %");
        print(out, "EP 784-500-10 (20/4)", t[0]);
        print(out, "backprop MLP, same shape", t[1]);
        print(out, "  the same, view-preserving updater", t[2]);
        out.printf(Locale.ROOT, "EP epoch / backprop epoch (fit, median of %d, a JVM per epoch): %.3f (%.3f against "
                + "backprop with the same updater fix)%n", rounds, result.epOverBackpropEpoch(),
                result.epOverBackpropSameUpdater());
        return result;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    private static void print(PrintStream out, String name, Timing t) {
        out.printf(Locale.ROOT, "%-34s %10.2f %10.2f %12.2f%n", name, t.fitSeconds(), t.evalSeconds(),
                100 * t.testError());
    }

}
