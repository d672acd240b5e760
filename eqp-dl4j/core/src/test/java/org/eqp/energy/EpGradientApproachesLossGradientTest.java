package org.eqp.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.eqp.dynamics.NetworkParams;
import org.eqp.dynamics.NudgeForce;
import org.eqp.dynamics.SoftmaxReadout;
import org.eqp.dynamics.SquaredErrorNudge;
import org.eqp.learning.EpSettings;
import org.eqp.learning.EquilibriumPropagation;
import org.eqp.learning.FreeEquilibrium;
import org.eqp.learning.NudgedEquilibrium;
import org.eqp.learning.RandomBetaSign;
import org.eqp.topology.Topology;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eqp.topology.Block;
import org.eqp.topology.ConnectionMask;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Scellier and Bengio 2017, Theorem 1: as beta -&gt; 0 (from either side), EP's update tends to the gradient of the loss
 * L(theta) = C(y, s_out^0(theta)) at the free equilibrium. The true gradient is taken by central finite differences
 * of L, re-relaxing the float32 engine after perturbing each parameter (both stored entries of an intralayer pair
 * weight together). Two costs: the squared error ||y - s_y||^2 on the output units, and the cross-entropy of a
 * softmax readout of them kept out of the energy (Laborieux et al. 2021), C = -sum_k y_k log softmax(s_y R + c)_k.
 */
class EpGradientApproachesLossGradientTest extends EnergyTestSupport {
    private static final double EPS = 0.05;
    private static final int ITERATIONS = 2000;
    private static final double H = 1e-2;
    private static final double[] BETAS = {0.5, 0.1, 0.02, 0.005};
    /**
     * From -0.1 down: at -0.5 the nudge pushes the outputs away from the target hard enough to reach the bounds of
     * [0, 1], outside the linear regime in which the estimate's error is first order in beta.
     */
    private static final double[] NEGATIVE_BETAS = {0.1, 0.02, 0.005};

    private Topology topology;
    private NetworkParams params;
    private INDArray x;
    private INDArray y;
    /** The readout R [2, 2] and c [1, 2] of the cross-entropy cost, null for the squared error. */
    private INDArray readoutWeights;
    private INDArray readoutBias;

    /**
     * Each network with the scale of its random weights (times the Glorot bound; the small-world one's units receive
     * more connections, so smaller weights keep its free equilibrium inside (0, 1)), with and without the readout.
     */
    static Stream<Arguments> networksAndCosts() {
        Map<Topology, Double> weightFactors = new LinkedHashMap<>();
        weightFactors.put(Topology.layered(4, 3, 2), 0.5);
        weightFactors.put(Topology.of(new int[] {4, 3, 2},
                List.of(new Block(0, 1), new Block(1, 1, ConnectionMask.allPairsWithin(3)), new Block(1, 2))), 0.5);
        weightFactors.put(smallWorld(), 0.3);
        return weightFactors.entrySet().stream().flatMap(t -> Stream.of(Arguments.of(t.getKey(), false, t.getValue()),
                Arguments.of(t.getKey(), true, t.getValue())));
    }

    /**
     * A small-world 4-3-3-2 network as the generators make them: adjacent blocks with connections moved away (masked),
     * and masked blocks skipping one and two layers, input to output included.
     */
    static Topology smallWorld() {
        return Topology.of(new int[] {4, 3, 3, 2}, List.of(
                new Block(0, 1, mask(4, 3, 0, 0, 3, 2)), new Block(1, 2), new Block(2, 3, mask(3, 2, 0, 1)),
                new Block(0, 2, only(4, 3, 0, 0, 3, 2)), new Block(1, 3, only(3, 2, 0, 1)),
                new Block(0, 3, only(4, 2, 1, 1))));
    }

    /** A rows x columns block with every connection but the (row, column) pairs listed. */
    private static ConnectionMask mask(int rows, int columns, int... removed) {
        boolean[][] connected = new boolean[rows][columns];
        for (boolean[] row : connected) {
            java.util.Arrays.fill(row, true);
        }
        for (int k = 0; k < removed.length; k += 2) {
            connected[removed[k]][removed[k + 1]] = false;
        }
        return ConnectionMask.of(connected);
    }

    /** A rows x columns block with only the (row, column) pairs listed. */
    private static ConnectionMask only(int rows, int columns, int... pairs) {
        boolean[][] connected = new boolean[rows][columns];
        for (int k = 0; k < pairs.length; k += 2) {
            connected[pairs[k]][pairs[k + 1]] = true;
        }
        return ConnectionMask.of(connected);
    }

    @ParameterizedTest(name = "{0}, softmax readout {1}")
    @MethodSource("networksAndCosts")
    void epUpdateConvergesToTheFiniteDifferenceLossGradientAsBetaShrinks(Topology network, boolean softmaxReadout, double weightFactor) {
        double[] lossGradient = givenNetworkCostAndLossGradient(network, softmaxReadout, weightFactor);

        // when EP estimates it for decreasing beta
        double[] errors = new double[BETAS.length];
        for (int i = 0; i < BETAS.length; i++) {
            errors[i] = estimateError(BETAS[i], false, lossGradient);
        }

        // then the error shrinks with beta and is small at the smallest beta (the bias is first order in beta:
        // about 2 * beta here, since C has no 1/2 and the couplings are weak)
        for (int i = 1; i < BETAS.length; i++) {
            assertTrue(errors[i] < errors[i - 1], "error did not decrease from beta " + BETAS[i - 1] + " to " + BETAS[i]
                    + ": " + errors[i - 1] + " -> " + errors[i]);
        }
        assertTrue(errors[BETAS.length - 1] < 0.02, "relative error at beta " + BETAS[BETAS.length - 1] + ": "
                + errors[BETAS.length - 1]);
    }

    @ParameterizedTest(name = "{0}, softmax readout {1}")
    @MethodSource("networksAndCosts")
    void symmetricNudgingCancelsTheFirstOrderBias(Topology network, boolean softmaxReadout, double weightFactor) {
        double[] lossGradient = givenNetworkCostAndLossGradient(network, softmaxReadout, weightFactor);

        // when EP estimates it symmetrically (nudged at -beta and +beta, divided by 2 beta) at beta 0.1 and 0.02, and
        // one-sided at beta 0.02
        double[] symmetric = {estimateError(0.1, true, lossGradient), estimateError(0.02, true, lossGradient)};
        double oneSided = estimateError(0.02, false, lossGradient);

        // then the symmetric error falls like beta^2 (25-fold from beta 0.1 to 0.02; asserted: more than 10-fold,
        // where a first-order error falls 5-fold), and at beta 0.02 it is below a fifth of the one-sided error
        assertTrue(symmetric[1] < symmetric[0] / 10, "symmetric error from beta 0.1 to 0.02: " + symmetric[0] + " -> "
                + symmetric[1]);
        assertTrue(symmetric[1] < oneSided / 5, "symmetric " + symmetric[1] + " vs one-sided " + oneSided);
    }

    @ParameterizedTest(name = "{0}, softmax readout {1}")
    @MethodSource("networksAndCosts")
    void aRandomSignThatNegatesBetaEstimatesTheSameGradient(Topology network, boolean softmaxReadout, double weightFactor) {
        double[] lossGradient = givenNetworkCostAndLossGradient(network, softmaxReadout, weightFactor);
        // when EP estimates it with random sign on, at a draw that negates beta, for beta -0.1, -0.02, -0.005
        long negative = firstDraw(true);
        double[] errors = new double[NEGATIVE_BETAS.length];
        for (int i = 0; i < NEGATIVE_BETAS.length; i++) {
            NudgedEquilibrium nudged = randomSignEngine(NEGATIVE_BETAS[i]).freePhase(x, params, false)
                    .nudge(y, negative);
            assertEquals(-NEGATIVE_BETAS[i], nudged.signedBeta(), 0.0, "draw " + negative + " negates beta");
            errors[i] = relativeError(gradient(nudged), lossGradient);
            System.out.printf("beta %.3f: |EP - dL/dtheta| / |dL/dtheta| = %.5f%n", -NEGATIVE_BETAS[i], errors[i]);
        }
        // then, as from +beta, the error shrinks with beta and is small at the smallest
        for (int i = 1; i < NEGATIVE_BETAS.length; i++) {
            assertTrue(errors[i] < errors[i - 1], "error did not decrease from beta -" + NEGATIVE_BETAS[i - 1]
                    + " to -" + NEGATIVE_BETAS[i] + ": " + errors[i - 1] + " -> " + errors[i]);
        }
        int last = NEGATIVE_BETAS.length - 1;
        assertTrue(errors[last] < 0.02, "relative error at beta -" + NEGATIVE_BETAS[last] + ": " + errors[last]);
        // and at beta 0.1 the mean of the -beta and +beta estimates is the symmetric estimate,
        // ((g(s^b) - g(s^0)) / b + (g(s^-b) - g(s^0)) / -b) / 2 = (g(s^b) - g(s^-b)) / 2b, up to float rounding
        double[] minus = gradient(randomSignEngine(0.1).freePhase(x, params, false).nudge(y, negative));
        double[] plus = gradient(randomSignEngine(0.1).freePhase(x, params, false).nudge(y, firstDraw(false)));
        double[] symmetric = gradient(engine(0.1, true).freePhase(x, params, false).nudge(y, 0));
        double[] mean = new double[minus.length];
        for (int k = 0; k < mean.length; k++) {
            mean[k] = (minus[k] + plus[k]) / 2;
        }
        System.out.printf("mean of the estimates at -0.1 and +0.1 against the symmetric one: %.2g%n",
                relativeError(mean, symmetric));
        assertTrue(relativeError(mean, symmetric) < 1e-6, "mean of -beta and +beta vs symmetric: "
                + relativeError(mean, symmetric));
    }

    /** The first draw of the engines' random sign (seed 1) that negates beta, or that keeps it. */
    private static long firstDraw(boolean negates) {
        RandomBetaSign sign = new RandomBetaSign(1);
        long t = 0;
        while (sign.negative(t) != negates) {
            t++;
        }
        return t;
    }

    private double[] gradient(NudgedEquilibrium nudged) {
        NetworkParams gradient = zerosLike(topology);
        nudged.writeGradients(gradient);
        return flatten(gradient);
    }

    /**
     * Given a network (4-3-2 layered or with its hidden units connected to each other, or the 4-3-3-2 small-world
     * one with masked and layer-skipping blocks) and its cost: squared error
     * against targets in [0, 1], or cross-entropy of a random softmax readout against a one-hot label; returns the
     * loss gradient by finite differences, at a free equilibrium strictly inside (0, 1).
     */
    private double[] givenNetworkCostAndLossGradient(Topology network, boolean softmaxReadout, double weightFactor) {
        topology = network;
        Random random = new Random(7);
        params = randomParams(topology, random, weightFactor, 0.4, 0.6);
        x = uniform(random, 1, 4, 0, 1);
        if (softmaxReadout) {
            y = Nd4j.create(new float[] {0, 1}, new long[] {1, 2}, 'f');
            readoutWeights = uniform(random, 2, 2, -2, 2);
            readoutBias = uniform(random, 1, 2, -0.5, 0.5);
        } else {
            y = uniform(random, 1, 2, 0, 1);
        }
        EquilibriumPropagation engine = engine(BETAS[0], false);
        FreeEquilibrium free = engine.freePhase(x, params, false);
        double[] freeRange = {1, 0};
        for (int l = 1; l < topology.numLayers(); l++) {
            freeRange[0] = Math.min(freeRange[0], free.state(l).minNumber().doubleValue());
            freeRange[1] = Math.max(freeRange[1], free.state(l).maxNumber().doubleValue());
        }
        assertTrue(freeRange[0] > 0.05 && freeRange[1] < 0.95, "free equilibrium touches a bound: "
                + freeRange[0] + ".." + freeRange[1]);
        assertTrue(free.relaxation().maxChange() < 1e-6, "free phase not converged: " + free.relaxation());
        return flatten(finiteDifferenceGradient(params, () -> loss(engine), H));
    }

    /** |EP estimate - dL/dtheta| / |dL/dtheta| at this beta. */
    private double estimateError(double beta, boolean symmetric, double[] lossGradient) {
        NetworkParams gradient = zerosLike(topology);
        engine(beta, symmetric).freePhase(x, params, false).nudge(y, 0).writeGradients(gradient);
        double error = relativeError(flatten(gradient), lossGradient);
        System.out.printf("beta %.3f%s: |EP - dL/dtheta| / |dL/dtheta| = %.5f%n", beta, symmetric ? " symmetric" : "",
                error);
        return error;
    }

    private EquilibriumPropagation engine(double beta, boolean symmetric) {
        return engine(new EpSettings(EPS, beta, ITERATIONS, ITERATIONS, false, false, 0, symmetric));
    }

    /** One-sided, beta negated by the draws {@link RandomBetaSign} (seed 1) says. */
    private EquilibriumPropagation randomSignEngine(double beta) {
        return engine(new EpSettings(EPS, beta, ITERATIONS, ITERATIONS, true, false, 0, false));
    }

    private EquilibriumPropagation engine(EpSettings settings) {
        NudgeForce nudge = new SquaredErrorNudge(1);
        if (readoutWeights != null) {
            SoftmaxReadout readout = new SoftmaxReadout(2, 2, null);
            readout.bind(readoutWeights, readoutBias);
            nudge = readout;
        }
        return new EquilibriumPropagation(topology, settings, nudge, 1);
    }

    private double loss(EquilibriumPropagation engine) {
        INDArray outputs = engine.freePhase(x, params, false).outputs();
        if (readoutWeights == null) {
            return HopfieldEnergy.cost(y, outputs);
        }
        INDArray logits = outputs.castTo(DataType.DOUBLE).mmul(readoutWeights.castTo(DataType.DOUBLE))
                .addRowVector(readoutBias.castTo(DataType.DOUBLE));
        INDArray logSoftmax = Transforms.log(Transforms.softmax(logits, true), false);
        return -logSoftmax.mul(y.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
    }
}
