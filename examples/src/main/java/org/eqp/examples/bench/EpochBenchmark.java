package org.eqp.examples.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.baseline.BackpropMlp;
import org.eqp.data.LoadedDataset;
import org.eqp.data.ShufflingDataSetIterator;
import org.eqp.dl4j.updater.ViewPreservingUpdater;
import org.eqp.examples.run.EpRunConfig;
import org.eqp.examples.run.EpVersusBackprop;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One training epoch of the quickstart EP network ({@link EpRunConfig#quickstart}: 784-500-10, eps 0.5, beta 1 with
 * random sign, 20 free / 4 nudged steps, batch 20, SGD 0.1 / 0.05) against the DL4J backprop MLP of the same shape
 * ({@link EpVersusBackprop#baselineConfig}), as DL4J builds it and with the updater fix EP networks get
 * ({@link ViewPreservingUpdater}), in the same process, one after the other on the same data order:
 * <ul>
 *   <li>the seconds of {@code MultiLayerNetwork.fit} over one shuffled epoch of a new network, no listeners, after a
 *       warm-up epoch on the first {@value #WARM_UP_EXAMPLES} examples with a network thrown away (JIT and native
 *       buffers): the median of a few rounds in which the networks take turns;</li>
 *   <li>the seconds of {@code evaluate} on the test set (batches of 500), and the test error it gives.</li>
 * </ul>
 * The EP relaxation uses the JVM's {@link org.eqp.dynamics.StepTeam} threads; DL4J's backprop uses ND4J's
 * ({@code OMP_NUM_THREADS}).
 */
public final class EpochBenchmark {
    /** Examples of the warm-up epoch before each timed one. */
    public static final int WARM_UP_EXAMPLES = 2_000;
    private static final int EVAL_BATCH = 500;

    /**
     * The networks' fit seconds (median of {@code rounds}), evaluation seconds and test errors, on {@code examples}
     * training examples: EP, DL4J's
     * backprop as it comes, and the same backprop with the updater fix EP networks get
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
     * Measures the networks on {@code data} (MNIST or any dataset the quickstart network fits) and prints them: each
     * network's fit time is the median of {@code rounds} epochs, the networks taking turns within each round so that
     * the machine's changing load falls on all of them alike; evaluation and test error are the last round's.
     */
    public static Result run(LoadedDataset data, long seed, int rounds, PrintStream out) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1; got " + rounds);
        }
        EpRunConfig config = EpRunConfig.quickstart(1);
        List<Supplier<MultiLayerNetwork>> networks = List.of(
                () -> config.buildNetwork(data.numFeatures(), data.numOutputs()),
                () -> BackpropMlp.build(EpVersusBackprop.baselineConfig(config, data)),
                () -> ViewPreservingUpdater.install(BackpropMlp.build(EpVersusBackprop.baselineConfig(config, data))));
        double[][] fits = new double[networks.size()][rounds];
        Timing[] last = new Timing[networks.size()];
        for (Supplier<MultiLayerNetwork> build : networks) {
            warmUp(build, data, config, seed);
        }
        for (int r = 0; r < rounds; r++) {
            for (int n = 0; n < networks.size(); n++) {
                last[n] = measure(networks.get(n), data, config, seed);
                fits[n][r] = last[n].fitSeconds();
            }
        }
        Timing[] t = new Timing[networks.size()];
        for (int n = 0; n < t.length; n++) {
            t[n] = new Timing(median(fits[n]), last[n].evalSeconds(), last[n].testError());
        }
        Result result = new Result(data.train().numExamples(), rounds, t[0], t[1], t[2]);
        out.printf(Locale.ROOT, "%-34s %10s %10s %12s%n", "one epoch, " + result.examples() + " examples",
                "fit (s)", "eval (s)", "test err %");
        print(out, "EP 784-500-10 (20/4)", t[0]);
        print(out, "backprop MLP, same shape", t[1]);
        print(out, "  the same, view-preserving updater", t[2]);
        out.printf(Locale.ROOT, "EP epoch / backprop epoch (fit, median of %d): %.3f (%.3f against backprop with the "
                + "same updater fix)%n", rounds, result.epOverBackpropEpoch(), result.epOverBackpropSameUpdater());
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

    /** One epoch on the first {@value #WARM_UP_EXAMPLES} examples with a network thrown away (JIT, native buffers). */
    private static void warmUp(Supplier<MultiLayerNetwork> build, LoadedDataset data, EpRunConfig config, long seed) {
        int warmUp = Math.min(WARM_UP_EXAMPLES, data.train().numExamples());
        build.get().fit(new ShufflingDataSetIterator((DataSet) data.train().getRange(0, warmUp), config.batch(), seed,
                true));
    }

    private static Timing measure(Supplier<MultiLayerNetwork> build, LoadedDataset data, EpRunConfig config,
                                  long seed) {
        MultiLayerNetwork net = build.get();
        long t0 = System.nanoTime();
        net.fit(new ShufflingDataSetIterator(data.train(), config.batch(), seed, true));
        double fit = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        Evaluation evaluation = net.evaluate(new ShufflingDataSetIterator(data.test(), EVAL_BATCH, seed, false));
        double eval = (System.nanoTime() - t1) / 1e9;
        return new Timing(fit, eval, 1 - evaluation.accuracy());
    }
}
