package org.eqp.directed;

import java.util.SplittableRandom;

/**
 * Trains a {@link DirectedNetwork} with DEEP or vector-field EP, one weight update per batch: for each example a free
 * phase of M_0 Euler steps from its initial states, then a nudged phase of M_beta steps continuing from s^0 while the
 * correction is accumulated ({@link DirectedCorrection}); then {@code W += alpha * mean correction}, the l1 step, and
 * Boltzmann pruning (eq. 3). Seeded: initial states and pruning draws come from one generator, so a seed gives one run.
 */
public final class DirectedTrainer {
    private final DirectedNetwork network;
    private final DirectedSettings settings;
    private final SplittableRandom random;

    public DirectedTrainer(DirectedNetwork network, DirectedSettings settings, long seed) {
        this.network = network;
        this.settings = settings;
        this.random = new SplittableRandom(seed);
    }

    public DirectedNetwork network() {
        return network;
    }

    public DirectedSettings settings() {
        return settings;
    }

    /** The outputs at the free equilibrium of each example, [examples][outputs]. */
    public double[][] outputs(double[][] xs) {
        DirectedRelaxation relaxation = new DirectedRelaxation(network, settings.rule(), settings.dt());
        DirectedGraph g = network.graph();
        double[][] out = new double[xs.length][];
        for (int e = 0; e < xs.length; e++) {
            double[] s = freePhase(relaxation, xs[e]);
            out[e] = java.util.Arrays.copyOfRange(s, g.firstOutput(), g.size());
        }
        return out;
    }

    /**
     * What one batch's phases produced: the mean correction (before the learning rate; {@code dW_ij} at
     * {@code i * N + j}) and every example's free and nudged equilibria [examples][N].
     */
    public record BatchCorrection(double[] correction, double[][] free, double[][] nudged) {
    }

    /** One update on a batch (xs [examples][inputs], ys [examples][outputs] in [0, 1]). */
    public void fit(double[][] xs, double[][] ys) {
        double[] delta = correction(xs, ys).correction();
        for (int k = 0; k < delta.length; k++) {
            delta[k] *= settings.learningRate();
        }
        network.add(delta);
        if (settings.l1() > 0) {
            network.shrink(settings.l1());
        }
        prune();
    }

    /** The free and nudged phases of a batch and its correction, without changing the weights. */
    public BatchCorrection correction(double[][] xs, double[][] ys) {
        requireBatch(xs, ys);
        DirectedRelaxation relaxation = new DirectedRelaxation(network, settings.rule(), settings.dt());
        DirectedCorrection correction = new DirectedCorrection(settings.rule(), network.graph(), settings.beta());
        double[][] free = new double[xs.length][];
        double[][] nudged = new double[xs.length][];
        for (int e = 0; e < xs.length; e++) {
            double[] s = freePhase(relaxation, xs[e]);
            free[e] = s.clone();
            correction.begin(s);
            for (int m = 0; m < settings.nudgedSteps(); m++) {
                relaxation.step(s, settings.beta(), ys[e]);
                correction.step(s);
            }
            correction.end(s);
            nudged[e] = s;
        }
        return new BatchCorrection(correction.mean(), free, nudged);
    }

    /** Boltzmann pruning of the current weights (eq. 3); returns the edges removed (bits {@code i * N + j}). */
    public java.util.BitSet prune() {
        java.util.BitSet removed = BoltzmannPruning.draw(network, settings.pruneBelow(), settings.temperature(), random);
        network.prune(removed);
        return removed;
    }

    /** Mean over examples of C = 1/2 ||y - s_out^0||^2. */
    public double cost(double[][] xs, double[][] ys) {
        requireBatch(xs, ys);
        double[][] out = outputs(xs);
        double sum = 0;
        for (int e = 0; e < xs.length; e++) {
            for (int o = 0; o < out[e].length; o++) {
                double d = out[e][o] - ys[e][o];
                sum += 0.5 * d * d;
            }
        }
        return sum / xs.length;
    }

    /**
     * Examples classified wrongly at the free equilibrium: one output thresholded at 0.5, several by argmax.
     */
    public int classificationErrors(double[][] xs, double[][] ys) {
        requireBatch(xs, ys);
        double[][] out = outputs(xs);
        int errors = 0;
        for (int e = 0; e < xs.length; e++) {
            errors += predictedClass(out[e]) == predictedClass(ys[e]) ? 0 : 1;
        }
        return errors;
    }

    private static int predictedClass(double[] values) {
        if (values.length == 1) {
            return values[0] >= 0.5 ? 1 : 0;
        }
        int best = 0;
        for (int c = 1; c < values.length; c++) {
            if (values[c] > values[best]) {
                best = c;
            }
        }
        return best;
    }

    private double[] freePhase(DirectedRelaxation relaxation, double[] x) {
        double[] s = relaxation.initialState(x);
        for (int j = network.graph().inputs(); j < s.length; j++) {
            s[j] = settings.initialSpread() * random.nextDouble();
        }
        for (int m = 0; m < settings.freeSteps(); m++) {
            relaxation.step(s, 0, null);
        }
        return s;
    }

    private void requireBatch(double[][] xs, double[][] ys) {
        if (xs.length == 0 || xs.length != ys.length) {
            throw new IllegalArgumentException("a batch needs as many targets as inputs, at least one; got " + xs.length
                    + " inputs and " + ys.length + " targets");
        }
        for (double[] y : ys) {
            if (y.length != network.graph().outputs()) {
                throw new IllegalArgumentException("each target needs " + network.graph().outputs() + " values; got "
                        + y.length);
            }
            for (double v : y) {
                if (!(v >= 0 && v <= 1)) {
                    throw new IllegalArgumentException("targets must lie in [0, 1] (the states' range); got " + v);
                }
            }
        }
    }
}
