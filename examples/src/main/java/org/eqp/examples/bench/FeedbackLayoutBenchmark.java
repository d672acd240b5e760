package org.eqp.examples.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eqp.dynamics.FeedbackLayout;
import org.eqp.dynamics.NetworkParams;
import org.eqp.dynamics.Relaxation;
import org.eqp.topology.Block;
import org.eqp.topology.SmallWorld;
import org.eqp.topology.Topology;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Compares the ways to compute the feedback of a relaxation step, {@code pre = s W} over every connection between
 * non-input units (the input's share is a constant drive, computed once per batch), for batch 20:
 * <ul>
 *   <li><b>blocks</b>, <b>dense N x N</b> and <b>vector blocks</b>: whole Euler steps of
 *       {@link org.eqp.dynamics.Relaxation} in each {@link FeedbackLayout} (per-block BLAS gemms; one BLAS gemm with all
 *       non-input units in a symmetric matrix; the per-block products in the Java Vector API, when the JVM has
 *       {@code jdk.incubator.vector}). The steps share the same fused elementwise pass, so they differ by the
 *       feedback alone.</li>
 *   <li><b>sparse list</b>, feedback only: a plain-Java loop over the list of existing connections, each adding
 *       w * s_u to unit v's column and w * s_v to unit u's; it lost everywhere and is not a layout.</li>
 * </ul>
 * Values are random; the times are medians of repeated rounds of 200 steps after a warm-up, in microseconds per step.
 */
public final class FeedbackLayoutBenchmark {
    private static final int BATCH = 20;
    private static final int STEPS = 200;

    /** A topology to measure. */
    public record Case(String name, Topology topology) {
    }

    /** Microseconds per step of each layout (NaN: vector blocks not available), and of the sparse list's feedback. */
    public record Result(Case benchCase, long nonInputConnections, double blocksMicros, double denseMicros,
                         double vectorMicros, double sparseMicros) {
    }

    /** The seed's nets: 784-500x3-10 and 784-100x5-10, layered and small-world. */
    public static List<Case> defaultCases() {
        int[] deep = {784, 500, 500, 500, 10};
        int[] narrow = {784, 100, 100, 100, 100, 100, 10};
        return List.of(new Case("784-500x3-10 layered", Topology.layered(deep)),
                new Case("784-500x3-10 SW p=.1", SmallWorld.replace(deep, 0.1, 1).topology()),
                new Case("784-100x5-10 layered", Topology.layered(narrow)),
                new Case("784-100x5-10 SW p=.01", SmallWorld.replace(narrow, 0.01, 1).topology()),
                new Case("784-100x5-10 SW p=.1", SmallWorld.replace(narrow, 0.1, 1).topology()));
    }

    private final int rounds;

    public FeedbackLayoutBenchmark(int rounds) {
        this.rounds = rounds;
    }

    public Result run(Case c) {
        Topology t = c.topology();
        Nd4j.getRandom().setSeed(1);
        NetworkParams params = RelaxationBenchmark.randomParams(t);
        INDArray x = Nd4j.rand(DataType.FLOAT, BATCH, t.size(0));
        Runnable blocks = steps(t, FeedbackLayout.BLOCKS, x, params);
        Runnable dense = steps(t, FeedbackLayout.DENSE, x, params);
        Runnable vector = FeedbackLayout.vectorAvailable() ? steps(t, FeedbackLayout.VECTOR_BLOCKS, x, params) : null;
        SparseList sparse = SparseList.of(t);

        double[] tb = new double[rounds];
        double[] td = new double[rounds];
        double[] tv = new double[rounds];
        double[] ts = new double[rounds];
        for (int r = -1; r < rounds; r++) {
            double b = time(blocks);
            double d = time(dense);
            double v = vector == null ? Double.NaN : time(vector);
            double s = time(sparse::step);
            if (r >= 0) {
                tb[r] = b;
                td[r] = d;
                tv[r] = v;
                ts[r] = s;
            }
        }
        return new Result(c, sparse.connections(), RelaxationBenchmark.median(tb), RelaxationBenchmark.median(td),
                RelaxationBenchmark.median(tv), RelaxationBenchmark.median(ts));
    }

    /** One relaxation step of {@code topology} in {@code layout}, from the states the previous call left. */
    private static Runnable steps(Topology topology, FeedbackLayout layout, INDArray x, NetworkParams params) {
        Relaxation relaxation = new Relaxation(topology, BATCH, layout);
        relaxation.clampInput(x, params);
        return () -> relaxation.run(1, 0.5, 0, null);
    }

    private static double time(Runnable step) {
        long t0 = System.nanoTime();
        for (int s = 0; s < STEPS; s++) {
            step.run();
        }
        return (System.nanoTime() - t0) / 1e3 / STEPS;
    }

    /** Connections as parallel arrays; states and feedback as plain 'f'-order float arrays [batch, N]. */
    private static final class SparseList {
        private final int[] u;
        private final int[] v;
        private final float[] w;
        private final float[] states;
        private final float[] pre;

        /** Every connection between non-input units of {@code t}, with random weights. */
        static SparseList of(Topology t) {
            int[] offset = new int[t.numLayers() + 1];
            for (int l = 1; l < t.numLayers(); l++) {
                offset[l + 1] = offset[l] + t.size(l);
            }
            java.util.Random random = new java.util.Random(1);
            List<int[]> pairs = new ArrayList<>();
            List<Float> weights = new ArrayList<>();
            for (Block b : t.blocks()) {
                if (b.fromInput()) {
                    continue;
                }
                for (int i = 0; i < t.size(b.from()); i++) {
                    for (int j = 0; j < t.size(b.to()); j++) {
                        if ((b.dense() || b.mask().connected(i, j)) && (!b.intralayer() || i < j)) {
                            pairs.add(new int[] {offset[b.from()] + i, offset[b.to()] + j});
                            weights.add(random.nextFloat());
                        }
                    }
                }
            }
            return new SparseList(pairs, weights, offset[t.numLayers()]);
        }

        int connections() {
            return w.length;
        }

        private SparseList(List<int[]> pairs, List<Float> weights, int n) {
            u = pairs.stream().mapToInt(p -> p[0]).toArray();
            v = pairs.stream().mapToInt(p -> p[1]).toArray();
            w = new float[weights.size()];
            for (int i = 0; i < w.length; i++) {
                w[i] = weights.get(i);
            }
            states = new float[BATCH * n];
            pre = new float[BATCH * n];
            java.util.Random random = new java.util.Random(1);
            for (int i = 0; i < states.length; i++) {
                states[i] = random.nextFloat();
            }
        }

        void step() {
            java.util.Arrays.fill(pre, 0f);
            for (int k = 0; k < w.length; k++) {
                int cu = u[k] * BATCH;
                int cv = v[k] * BATCH;
                float wk = w[k];
                for (int r = 0; r < BATCH; r++) {
                    pre[cv + r] += wk * states[cu + r];
                    pre[cu + r] += wk * states[cv + r];
                }
            }
        }
    }

    /** Prints one line per case and returns the results. */
    public List<Result> runAll(List<Case> cases, PrintStream out) {
        List<Result> results = new ArrayList<>();
        out.printf(Locale.ROOT, "%-24s %12s %12s %14s %14s %14s %9s%n", "us per step", "connections", "blocks",
                "dense NxN", "vector blocks", "sparse (fb)", "chosen");
        for (Case c : cases) {
            Result r = run(c);
            results.add(r);
            out.printf(Locale.ROOT, "%-24s %12d %12.1f %14.1f %14.1f %14.1f %9s%n", c.name(), r.nonInputConnections(),
                    r.blocksMicros(), r.denseMicros(), r.vectorMicros(), r.sparseMicros(),
                    FeedbackLayout.choose(c.topology(), BATCH).name().toLowerCase(Locale.ROOT));
        }
        return results;
    }
}
