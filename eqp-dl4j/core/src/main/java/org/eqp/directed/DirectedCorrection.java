package org.eqp.directed;

/**
 * Accumulates the weight correction of a batch from the examples' nudged trajectories, on the graph's edges (zero
 * elsewhere), {@code dW_ij} at {@code i * N + j}, averaged over the examples:
 * <ul>
 *   <li>DEEP (Farinha et al. 2020, eq. 2): {@code (1/M_beta) sum_{m=1..M_beta} s_i(m) (s_j(m) - s_j(m-1))}, the
 *       time-integral of s_i ds_j/dt with backward differences;</li>
 *   <li>vector-field EP (Scellier et al. 2018): {@code (1/beta) s_i^0 (s_j^beta - s_j^0)}.</li>
 * </ul>
 * DEEP's correction is not divided by beta, as in the authors' code (its rate absorbs the nudge strength).
 * Use: per example {@link #begin} with s^0, {@link #step} after every nudged step, {@link #end} with s^beta.
 */
public final class DirectedCorrection {
    private final DirectedRule rule;
    private final DirectedGraph graph;
    private final double beta;
    /** Sum over the ended examples of their corrections. */
    private final double[] sum;
    /** DEEP: this example's running sum of s_i(m) (s_j(m) - s_j(m-1)). */
    private final double[] example;
    private double[] previous;
    private double[] free;
    private int steps;
    private int examples;

    public DirectedCorrection(DirectedRule rule, DirectedGraph graph, double beta) {
        this.rule = rule;
        this.graph = graph;
        this.beta = beta;
        this.sum = new double[graph.size() * graph.size()];
        this.example = new double[sum.length];
    }

    /** The correction of one nudged trajectory s(M_0) = s^0, ..., s(M_0 + M_beta) = s^beta (at least two states). */
    public static double[] of(DirectedRule rule, DirectedGraph graph, double beta, double[][] trajectory) {
        if (trajectory.length < 2) {
            throw new IllegalArgumentException("a nudged trajectory needs at least s^0 and one nudged step");
        }
        DirectedCorrection c = new DirectedCorrection(rule, graph, beta);
        c.begin(trajectory[0]);
        for (int m = 1; m < trajectory.length; m++) {
            c.step(trajectory[m]);
        }
        c.end(trajectory[trajectory.length - 1]);
        return c.mean();
    }

    /** Starts an example at its free equilibrium s^0 (copied). */
    public void begin(double[] free) {
        this.free = free.clone();
        this.previous = free.clone();
        this.steps = 0;
        java.util.Arrays.fill(example, 0);
    }

    /**
     * Records the state after one nudged step (DEEP integrates along the way over the relaxing units; the clamped
     * inputs' share telescopes to {@code x_i (s_j^beta - s_j^0)} and is added in {@link #end}).
     */
    public void step(double[] now) {
        if (rule == DirectedRule.DEEP) {
            int n = graph.size();
            for (int i = graph.inputs(); i < n; i++) {
                if (now[i] == 0) {
                    continue;
                }
                for (int j = graph.inputs(); j < n; j++) {
                    if (graph.edge(i, j)) {
                        example[i * n + j] += now[i] * (now[j] - previous[j]);
                    }
                }
            }
            System.arraycopy(now, 0, previous, 0, now.length);
        }
        steps++;
    }

    /** Ends the example at its nudged equilibrium s^beta. */
    public void end(double[] nudged) {
        int n = graph.size();
        if (rule == DirectedRule.DEEP) {
            if (steps == 0) {
                throw new IllegalStateException("DEEP's correction needs at least one nudged step");
            }
            for (int i = 0; i < graph.inputs(); i++) {
                if (free[i] == 0) {
                    continue;
                }
                for (int j = graph.inputs(); j < n; j++) {
                    if (graph.edge(i, j)) {
                        example[i * n + j] += free[i] * (nudged[j] - free[j]);
                    }
                }
            }
            for (int k = 0; k < sum.length; k++) {
                sum[k] += example[k] / steps;
            }
        } else {
            for (int i = 0; i < n; i++) {
                for (int j = graph.inputs(); j < n; j++) {
                    if (graph.edge(i, j)) {
                        sum[i * n + j] += free[i] * (nudged[j] - free[j]) / beta;
                    }
                }
            }
        }
        examples++;
    }

    /** The mean correction over the examples ended so far. */
    public double[] mean() {
        double[] mean = sum.clone();
        for (int k = 0; k < mean.length; k++) {
            mean[k] /= Math.max(1, examples);
        }
        return mean;
    }
}
