package org.eqp.examples.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eqp.topology.Block;
import org.eqp.topology.SmallWorld;
import org.eqp.topology.Topology;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Compares three ways to compute the feedback of one relaxation step, {@code pre = s W} over every connection between
 * non-input units (the input's share is a constant drive, computed once per batch, and left out), for batch 20:
 * <ul>
 *   <li><b>blocks</b>: one dense (masked) matrix per pair of connected layers, two gemms per block (what
 *       {@link org.eqp.dynamics.Relaxation} does);</li>
 *   <li><b>dense N x N</b>: all non-input units in one symmetric matrix, one gemm [batch, N] x [N, N];</li>
 *   <li><b>sparse list</b>: a plain-Java loop over the list of existing connections, each adding w * s_u to unit v's
 *       column and w * s_v to unit u's.</li>
 * </ul>
 * Values are random; the times are medians of repeated rounds of 200 steps after a warm-up, in microseconds per step.
 */
public final class FeedbackLayoutBenchmark {
    private static final int BATCH = 20;
    private static final int STEPS = 200;

    /** A topology to measure. */
    public record Case(String name, Topology topology) {
    }

    /** Microseconds per step of each layout. */
    public record Result(Case benchCase, long nonInputConnections, double blocksMicros, double denseMicros,
                         double sparseMicros) {
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
        int[] offset = new int[t.numLayers() + 1];
        for (int l = 1; l < t.numLayers(); l++) {
            offset[l + 1] = offset[l] + t.size(l);
        }
        int n = offset[t.numLayers()];
        INDArray[] state = new INDArray[t.numLayers()];
        INDArray[] pre = new INDArray[t.numLayers()];
        for (int l = 1; l < t.numLayers(); l++) {
            state[l] = Nd4j.rand(DataType.FLOAT, BATCH, t.size(l)).dup('f');
            pre[l] = Nd4j.zeros(DataType.FLOAT, BATCH, t.size(l)).dup('f');
        }
        List<Runnable> blockProducts = new ArrayList<>();
        float[] full = new float[n * n];
        List<int[]> pairs = new ArrayList<>();
        List<Float> weights = new ArrayList<>();
        for (Block b : t.blocks()) {
            if (b.fromInput()) {
                continue;
            }
            INDArray w = Nd4j.rand(DataType.FLOAT, t.size(b.from()), t.size(b.to())).dup('f');
            INDArray lower = state[b.from()];
            INDArray upper = state[b.to()];
            INDArray intoUpper = pre[b.to()];
            INDArray intoLower = pre[b.from()];
            blockProducts.add(() -> Nd4j.gemm(lower, w, intoUpper, false, false, 1.0, 1.0));
            if (!b.intralayer()) {
                blockProducts.add(() -> Nd4j.gemm(upper, w, intoLower, false, true, 1.0, 1.0));
            }
            for (int i = 0; i < t.size(b.from()); i++) {
                for (int j = 0; j < t.size(b.to()); j++) {
                    if (b.dense() || b.mask().connected(i, j)) {
                        int u = offset[b.from()] + i;
                        int v = offset[b.to()] + j;
                        full[v * n + u] = w.getFloat(i, j);
                        full[u * n + v] = w.getFloat(i, j);
                        if (!b.intralayer() || i < j) {
                            pairs.add(new int[] {u, v});
                            weights.add(w.getFloat(i, j));
                        }
                    }
                }
            }
        }
        INDArray allStates = Nd4j.rand(DataType.FLOAT, BATCH, n).dup('f');
        INDArray allPre = Nd4j.zeros(DataType.FLOAT, BATCH, n).dup('f');
        INDArray fullW = Nd4j.create(full, new long[] {n, n}, 'f');
        Runnable dense = () -> Nd4j.gemm(allStates, fullW, allPre, false, false, 1.0, 0.0);
        SparseList sparse = new SparseList(pairs, weights, n);
        Runnable blocks = () -> blockProducts.forEach(Runnable::run);

        double[] tb = new double[rounds];
        double[] td = new double[rounds];
        double[] ts = new double[rounds];
        for (int r = -1; r < rounds; r++) {
            double b = time(blocks);
            double d = time(dense);
            double s = time(sparse::step);
            if (r >= 0) {
                tb[r] = b;
                td[r] = d;
                ts[r] = s;
            }
        }
        return new Result(c, pairs.size(), RelaxationBenchmark.median(tb), RelaxationBenchmark.median(td),
                RelaxationBenchmark.median(ts));
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

        SparseList(List<int[]> pairs, List<Float> weights, int n) {
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
        out.printf(Locale.ROOT, "%-24s %12s %12s %14s %14s%n", "feedback of one step", "connections", "blocks (us)",
                "dense NxN (us)", "sparse (us)");
        for (Case c : cases) {
            Result r = run(c);
            results.add(r);
            out.printf(Locale.ROOT, "%-24s %12d %12.1f %14.1f %14.1f%n", c.name(), r.nonInputConnections(),
                    r.blocksMicros(), r.denseMicros(), r.sparseMicros());
        }
        return results;
    }
}
