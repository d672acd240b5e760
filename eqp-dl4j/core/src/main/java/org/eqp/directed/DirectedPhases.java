package org.eqp.directed;

import java.util.SplittableRandom;

/**
 * The correction source of directed EP: the two phases on a batch and the weight correction they give, for fixed
 * weights. Per example, a free phase of M_0 Euler steps of the rule's dynamics (eq. 1 for DEEP, beta = 0) from
 * non-input states drawn uniform in [0, initialSpread], then a nudged phase of M_beta steps continuing from s^0 while
 * the correction is accumulated ({@link DirectedCorrection}: eq. 2 for DEEP). Updating the weights with the
 * correction, the l1 term and the pruning of eq. 3 are not done here: the DL4J layer {@code DirectedEpOutputLayer}
 * hands the correction to DL4J's updater and applies {@link BoltzmannPruning} after the update.
 *
 * <p>Shapes: N = {@code network.graph().size()} units, inputs (the bias unit included) first; a batch is
 * {@code xs [examples][data inputs]} (without the bias unit) and {@code ys [examples][outputs]} in [0, 1].
 */
public final class DirectedPhases {
    private final DirectedNetwork network;
    private final DirectedSettings settings;
    private final DirectedRelaxation relaxation;

    /** Captures the network's current weights (the leak factors of eq. 1 stay fixed during both phases). */
    public DirectedPhases(DirectedNetwork network, DirectedSettings settings) {
        this.network = network;
        this.settings = settings;
        this.relaxation = new DirectedRelaxation(network, settings.rule(), settings.dt());
    }

    /**
     * What one batch's phases produced.
     *
     * @param correction the mean correction over the examples, before any learning rate: {@code dW_ij} at
     *                   {@code i * N + j}, zero where the graph has no edge ([N * N])
     * @param free       every example's free equilibrium s^0 ([examples][N])
     * @param nudged     every example's nudged equilibrium s^beta ([examples][N])
     */
    public record Batch(double[] correction, double[][] free, double[][] nudged) {
    }

    /**
     * The free equilibria s^0 of the examples, [examples][N], each relaxed from its own initial states.
     *
     * @param random draws the initial states, example after example, unit after unit
     */
    public double[][] free(double[][] xs, SplittableRandom random) {
        double[][] states = new double[xs.length][];
        for (int e = 0; e < xs.length; e++) {
            states[e] = freePhase(xs[e], random);
        }
        return states;
    }

    /**
     * The free and nudged phases of a batch and its mean correction, without changing the weights.
     *
     * @param random draws the initial states as in {@link #free}
     * @throws IllegalArgumentException for an empty batch, a target count or width that does not fit, or a target
     *                                  outside [0, 1]
     */
    public Batch run(double[][] xs, double[][] ys, SplittableRandom random) {
        requireBatch(xs, ys);
        DirectedCorrection correction = new DirectedCorrection(settings.rule(), network.graph(), settings.beta());
        double[][] free = new double[xs.length][];
        double[][] nudged = new double[xs.length][];
        for (int e = 0; e < xs.length; e++) {
            double[] s = freePhase(xs[e], random);
            free[e] = s.clone();
            correction.begin(s);
            for (int m = 0; m < settings.nudgedSteps(); m++) {
                relaxation.step(s, settings.beta(), ys[e]);
                correction.step(s);
            }
            correction.end(s);
            nudged[e] = s;
        }
        return new Batch(correction.mean(), free, nudged);
    }

    private double[] freePhase(double[] x, SplittableRandom random) {
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
