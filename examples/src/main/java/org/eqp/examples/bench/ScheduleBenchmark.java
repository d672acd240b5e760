package org.eqp.examples.bench;

import java.io.PrintStream;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.data.LoadedDataset;
import org.eqp.data.ShufflingDataSetIterator;
import org.eqp.examples.reproduce.Fig2Runs;
import org.eqp.examples.run.EpRunConfig;
import org.eqp.examples.run.RelaxationSchedule;
import org.eqp.learning.EpSettings;
import org.eqp.topology.spec.Layered;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The relaxation schedules on MNIST 784-500x3-10 with per-layer rates .128 / .032 / .008 / .002 (Gammell et al. 2021,
 * figure 2's per-layer network), batch 20: one epoch on the first K training examples with the seed's 500 free / 8
 * nudged synchronous steps, then with {@link RelaxationSchedule#FAST}, from the same initial weights and data order;
 * the seconds of {@code fit} and the test error each reached on the first {@value #TEST_EXAMPLES} test examples. A
 * short run: the errors say whether the fast schedule keeps up at this length, and README "Measured" holds the
 * full-epoch comparison.
 */
public final class ScheduleBenchmark {
    /** Test examples each schedule is evaluated on. */
    public static final int TEST_EXAMPLES = 1_000;
    private static final int[] HIDDEN = {500, 500, 500};
    private static final double[] RATES = {0.128, 0.032, 0.008, 0.002};

    /** One schedule's fit seconds and test error. */
    public record Timing(double fitSeconds, double testError) {
    }

    /** Both schedules on {@code examples} training examples. */
    public record Result(int examples, Timing seed, Timing fast) {
        /** The seed schedule's fit time over the fast one's. */
        public double fastScheduleSpeedup() {
            return seed.fitSeconds() / fast.fitSeconds();
        }
    }

    private ScheduleBenchmark() {
    }

    /** Trains both schedules for one epoch on {@code data} (cut by the caller) and prints them. */
    public static Result run(LoadedDataset data, PrintStream out) {
        EpSettings seedSchedule = Fig2Runs.seedSettings(500, 8, false);
        Timing seed = measure(data, seedSchedule, RATES);
        Timing fast = measure(data, RelaxationSchedule.FAST.settings(seedSchedule),
                RelaxationSchedule.FAST.rates(RATES));
        Result result = new Result(data.train().numExamples(), seed, fast);
        out.printf(Locale.ROOT, "%-46s %10s %12s%n", "784-500x3-10, one epoch of " + result.examples() + " examples",
                "fit (s)", "test err %");
        out.printf(Locale.ROOT, "%-46s %10.2f %12.2f%n", "seed schedule: synchronous 500/8, eps .5, beta 1",
                seed.fitSeconds(), 100 * seed.testError());
        out.printf(Locale.ROOT, "%-46s %10.2f %12.2f%n", "fast schedule: alternating 30/6, eps 1, beta .5",
                fast.fitSeconds(), 100 * fast.testError());
        out.printf(Locale.ROOT, "fast schedule speed-up: %.1fx%n", result.fastScheduleSpeedup());
        return result;
    }

    private static Timing measure(LoadedDataset data, EpSettings settings, double[] rates) {
        EpRunConfig config = new EpRunConfig(HIDDEN, settings, rates, 1, 20, 1, new Layered());
        MultiLayerNetwork net = config.buildNetwork(data.numFeatures(), data.numOutputs());
        long t0 = System.nanoTime();
        net.fit(new ShufflingDataSetIterator(data.train(), config.batch(), config.seed(), true));
        double fit = (System.nanoTime() - t0) / 1e9;
        DataSet test = (DataSet) data.test().getRange(0, Math.min(TEST_EXAMPLES, data.test().numExamples()));
        Evaluation evaluation = net.evaluate(new ShufflingDataSetIterator(test, 100, config.seed(), false));
        return new Timing(fit, 1 - evaluation.accuracy());
    }
}
