package org.eqp.examples.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.dynamics.FeedbackLayout;
import org.eqp.dynamics.NetworkParams;
import org.eqp.dynamics.Relaxation;
import org.eqp.dynamics.StepTeam;
import org.eqp.topology.Block;
import org.eqp.topology.SmallWorld;
import org.eqp.topology.Topology;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Measures the relaxation against its own matrix products, in one run:
 * <ul>
 *   <li>the time of one Euler step of {@link Relaxation} in the layout {@link FeedbackLayout#choose} picks (products +
 *       fused elementwise pass), on one thread and split over two ({@link StepTeam}), rounds interleaved;</li>
 *   <li>the time of the same step's products alone as BLAS gemms (same shapes, same arrays): the floor of the BLAS
 *       layouts; with the Vector API layout the step can beat it;</li>
 *   <li>the ratio of the one-thread step to the gemms, and the two-thread speed-up;</li>
 *   <li>training throughput of the full DL4J EP layer ({@code MultiLayerNetwork.fit}, free + nudged phase + update)
 *       in examples/second, and the implied seconds per 60,000-example epoch.</li>
 * </ul>
 * Times are medians over repeated rounds after a warm-up; data and weights are random (timing does not depend on
 * values).
 */
public final class RelaxationBenchmark {

    /** One benchmark case: layer sizes, batch size, the free/nudged iteration counts, small-world p (0 = layered). */
    public record Case(String name, int[] sizes, int batch, int free, int nudged, double smallWorldP) {
        /**
         * A case at batch 20 from the command line's words.
         *
         * @param sizes layer sizes from input to output joined by '-', at least one hidden layer, e.g. 784-500-10
         * @throws IllegalArgumentException naming what is wrong and the expected form
         */
        public static Case of(String sizes, int free, int nudged, double p) {
            int[] layers;
            try {
                layers = java.util.Arrays.stream(sizes.split("-", -1)).mapToInt(Integer::parseInt).toArray();
            } catch (NumberFormatException e) {
                layers = new int[0];
            }
            if (layers.length < 3 || java.util.Arrays.stream(layers).anyMatch(n -> n < 1)) {
                throw new IllegalArgumentException("--network takes layer sizes from input to output joined by '-', "
                        + "each at least 1, with at least one hidden layer (e.g. 784-500-10); got '" + sizes + "'");
            }
            if (free < 1 || nudged < 1) {
                throw new IllegalArgumentException("iteration counts must be at least 1; got --free " + free
                        + ", --nudged " + nudged);
            }
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("the small-world probability p must lie in [0, 1]; got " + p);
            }
            String name = sizes + " (" + free + "/" + nudged + ")" + (p > 0 ? " p=" + p : "");
            return new Case(name, layers, 20, free, nudged, p);
        }

        Topology topology() {
            return smallWorldP > 0 ? SmallWorld.replace(sizes, smallWorldP, 1).topology() : Topology.layered(sizes);
        }
    }

    /** What was measured for one case. */
    public record Result(Case benchCase, double stepMicros, double twoThreadStepMicros, double gemmMicros,
                         double examplesPerSecond) {
        /** The one-thread step's time over its gemms'. */
        public double ratio() {
            return stepMicros / gemmMicros;
        }

        /** How many times faster a step runs on two threads than on one. */
        public double twoThreadSpeedup() {
            return stepMicros / twoThreadStepMicros;
        }

        public double secondsPerEpoch(int examples) {
            return examples / examplesPerSecond;
        }
    }

    /**
     * The seed's deep net at 500/8 (layered and small-world p = 0.1) and the quickstart net at 20/4.
     */
    public static List<Case> defaultCases() {
        int[] deep = {784, 500, 500, 500, 10};
        int[] narrow = {784, 100, 100, 100, 100, 100, 10};
        return List.of(new Case("784-500x3-10 (500/8)", deep, 20, 500, 8, 0),
                new Case("... small-world p=.1", deep, 20, 500, 8, 0.1),
                new Case("784-100x5-10 (1000/12)", narrow, 20, 1000, 12, 0),
                new Case("... small-world p=.1", narrow, 20, 1000, 12, 0.1),
                new Case("784-500-10 (20/4)", new int[] {784, 500, 10}, 20, 20, 4, 0));
    }

    private final int rounds;

    public RelaxationBenchmark(int rounds) {
        this.rounds = rounds;
    }

    public Result run(Case c) {
        Topology topology = c.topology();
        Nd4j.getRandom().setSeed(1);
        NetworkParams params = randomParams(topology);
        INDArray x = Nd4j.rand(DataType.FLOAT, c.batch(), c.sizes()[0]);
        Relaxation relaxation = new Relaxation(topology, c.batch());
        relaxation.clampInput(x, params);
        GemmsOfOneStep gemms = new GemmsOfOneStep(topology, params, relaxation);

        int steps = 200;
        double[] stepTimes = new double[rounds];
        double[] twoThreadTimes = new double[rounds];
        double[] gemmTimes = new double[rounds];
        int threadsBefore = StepTeam.threads();
        try {
            for (int round = -2; round < rounds; round++) { // two warm-up rounds
                StepTeam.setThreads(1);
                double one = microsPerStep(relaxation, steps);
                StepTeam.setThreads(2);
                double two = microsPerStep(relaxation, steps);
                long t0 = System.nanoTime();
                gemms.run(steps);
                double gemm = (System.nanoTime() - t0) / 1e3 / steps;
                if (round >= 0) {
                    stepTimes[round] = one;
                    twoThreadTimes[round] = two;
                    gemmTimes[round] = gemm;
                }
            }
        } finally {
            StepTeam.setThreads(threadsBefore);
        }
        return new Result(c, median(stepTimes), median(twoThreadTimes), median(gemmTimes), trainingThroughput(c));
    }

    private static double microsPerStep(Relaxation relaxation, int steps) {
        long t0 = System.nanoTime();
        relaxation.run(steps, 0.5, 0, null);
        return (System.nanoTime() - t0) / 1e3 / steps;
    }

    private double trainingThroughput(Case c) {
        int[] hidden = java.util.Arrays.copyOfRange(c.sizes(), 1, c.sizes().length - 1);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).updater(new Sgd(0.01))
                .list().layer(new EpOutputLayer.Builder().nIn(c.sizes()[0]).nOut(c.sizes()[c.sizes().length - 1])
                        .hidden(hidden).freeIterations(c.free()).nudgedIterations(c.nudged())
                        .smallWorld(c.smallWorldP()).topologySeed(1).build()).build());
        net.init();
        int nOut = c.sizes()[c.sizes().length - 1];
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            INDArray labels = Nd4j.zeros(DataType.FLOAT, c.batch(), nOut);
            for (int r = 0; r < c.batch(); r++) {
                labels.putScalar(r, (r + i) % nOut, 1.0);
            }
            batches.add(new DataSet(Nd4j.rand(DataType.FLOAT, c.batch(), c.sizes()[0]), labels));
        }
        // enough batches for ~1 s per round at the expected speed
        long probe = System.nanoTime();
        net.fit(batches.get(0));
        double secondsPerBatch = Math.max(1e-4, (System.nanoTime() - probe) / 1e9);
        int perRound = (int) Math.max(3, Math.min(400, 1.0 / secondsPerBatch));
        double[] rates = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int b = 0; b < perRound; b++) {
                net.fit(batches.get(b % batches.size()));
            }
            rates[r] = perRound * c.batch() / ((System.nanoTime() - t0) / 1e9);
        }
        return median(rates);
    }

    /** Glorot-uniform weights (masks ignored: timing does not depend on values) and zero biases. */
    static NetworkParams randomParams(Topology topology) {
        INDArray[] weights = new INDArray[topology.blocks().size()];
        INDArray[] biases = new INDArray[topology.numLayers()];
        for (int k = 0; k < weights.length; k++) {
            Block b = topology.blocks().get(k);
            double a = Math.sqrt(6.0 / (topology.size(b.from()) + topology.size(b.to())));
            weights[k] = Nd4j.rand(DataType.FLOAT, topology.size(b.from()), topology.size(b.to())).muli(2 * a).subi(a)
                    .dup('f');
        }
        for (int l = 1; l < biases.length; l++) {
            biases[l] = Nd4j.zeros(DataType.FLOAT, 1, topology.size(l));
        }
        return new NetworkParams(topology, weights, biases);
    }

    /** The matrix products one relaxation step performs, on arrays of the same shapes, and nothing else. */
    private static final class GemmsOfOneStep {
        private final List<Runnable> products = new ArrayList<>();

        GemmsOfOneStep(Topology topology, NetworkParams params, Relaxation relaxation) {
            if (relaxation.layout() == FeedbackLayout.DENSE) {
                int n = topology.numStateUnits();
                INDArray states = Nd4j.rand(DataType.FLOAT, relaxation.batchSize(), n).dup('f');
                INDArray w = Nd4j.rand(DataType.FLOAT, n, n).dup('f');
                INDArray out = Nd4j.zeros(DataType.FLOAT, relaxation.batchSize(), n).dup('f');
                products.add(() -> Nd4j.gemm(states, w, out, false, false, 1.0, 0.0));
                return;
            }
            for (int k = 0; k < topology.blocks().size(); k++) {
                Block b = topology.blocks().get(k);
                if (b.fromInput()) {
                    continue;
                }
                INDArray w = params.weight(k);
                INDArray lower = relaxation.state(b.from());
                INDArray upper = relaxation.state(b.to());
                INDArray intoUpper = Nd4j.zeros(DataType.FLOAT, upper.shape()).dup('f');
                INDArray intoLower = Nd4j.zeros(DataType.FLOAT, lower.shape()).dup('f');
                products.add(() -> Nd4j.gemm(lower, w, intoUpper, false, false, 1.0, 0.0));
                if (!b.intralayer()) {
                    products.add(() -> Nd4j.gemm(upper, w, intoLower, false, true, 1.0, 0.0));
                }
            }
        }

        void run(int steps) {
            for (int s = 0; s < steps; s++) {
                for (Runnable p : products) {
                    p.run();
                }
            }
        }
    }

    /** The median of the values (the mean of the middle two for an even count). */
    static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Prints one line per case and returns the results. */
    public List<Result> runAll(List<Case> cases, PrintStream out) {
        List<Result> results = new ArrayList<>();
        out.printf(Locale.ROOT, "%-24s %13s %10s %10s %8s %10s %7s %11s %13s%n", "case", "layout", "step (us)",
                "2 thr (us)", "speedup", "BLAS (us)", "ratio", "train ex/s", "s / 60k epoch");
        for (Case c : cases) {
            Result r = run(c);
            results.add(r);
            out.printf(Locale.ROOT, "%-24s %13s %10.1f %10.1f %8.2f %10.1f %7.3g %11.1f %13.1f%n", c.name(),
                    FeedbackLayout.choose(c.topology(), c.batch()).name().toLowerCase(Locale.ROOT), r.stepMicros(),
                    r.twoThreadStepMicros(), r.twoThreadSpeedup(), r.gemmMicros(), r.ratio(), r.examplesPerSecond(),
                    r.secondsPerEpoch(60_000));
        }
        return results;
    }
}
