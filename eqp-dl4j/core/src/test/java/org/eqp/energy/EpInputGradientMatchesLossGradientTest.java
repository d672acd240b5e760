package org.eqp.energy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.eqp.dynamics.NetworkParams;
import org.eqp.dynamics.SquaredErrorNudge;
import org.eqp.learning.EpSettings;
import org.eqp.learning.EquilibriumPropagation;
import org.eqp.learning.FreeEquilibrium;
import org.eqp.topology.Topology;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * EP's estimate of dL/dx, the epsilon an EP layer hands to the layer below, against the true gradient of the loss
 * L(x) = sum over the batch of C(y, s_out^0(x)) at the free equilibrium (Scellier and Bengio 2017, Theorem 1, with the
 * clamped input x in the role of a parameter: dE/dx = -W rho(s_1)). The true gradient is taken by central finite
 * differences, re-relaxing the float32 engine after perturbing each input entry. Row i of the estimate is dC_i/dx_i,
 * per example and not divided by the batch size, as DL4J expects an output layer's epsilon.
 */
class EpInputGradientMatchesLossGradientTest extends EnergyTestSupport {
    private static final double EPS = 0.5;
    private static final int ITERATIONS = 200;
    private static final double H = 1e-2;
    private static final double BETA = 1e-3;

    private final Topology topology = Topology.layered(4, 3, 2);

    /**
     * weightFactor 0.3: every unit strictly inside (0, 1); 1.5: hidden units pinned at 0 and at 1 and an output pinned
     * at 0 (rho' = 0 there in the true gradient), the output's target above it.
     */
    @ParameterizedTest(name = "weights {0} x Glorot, beta {1}")
    @CsvSource({"0.3, 1", "0.3, -1", "1.5, 1", "1.5, -1"})
    void inputGradientMatchesFiniteDifferencesAtSmallBeta(double weightFactor, int sign) {
        // given a 4-3-2 network, two examples, and dL/dx by finite differences at the free equilibrium
        Random random = new Random(7);
        NetworkParams params = randomParams(topology, random, weightFactor, 0.4, 0.6);
        INDArray x = uniform(random, 2, 4, 0, 1);
        INDArray y = uniform(random, 2, 2, 0, 1);
        EquilibriumPropagation engine = engine(sign * BETA);
        FreeEquilibrium free = engine.freePhase(x, params, false);
        assertTrue(free.relaxation().maxChange() < 1e-6, "free phase not converged: " + free.relaxation());
        assertTrue(weightFactor < 1 == (pinnedUnits(free) == 0), pinnedUnits(free) + " units on a bound");
        double[] lossGradient = finiteDifferenceInputGradient(engine, params, x, y);

        // when EP estimates it from one nudged phase of signed beta
        INDArray estimate = Nd4j.zeros(DataType.FLOAT, 2, 4).dup('f');
        engine.freePhase(x, params, false).nudge(y, 0).writeInputGradient(estimate);
        double[] ep = estimate.castTo(DataType.DOUBLE).dup('c').data().asDouble();

        // then it has the direction and the scale of the true gradient
        double cosine = cosine(ep, lossGradient);
        double error = relativeError(ep, lossGradient);
        System.out.printf("weights %.1f, beta %+.3f: cosine %.5f, |EP - dL/dx| / |dL/dx| = %.4f%n", weightFactor,
                sign * BETA, cosine, error);
        assertTrue(cosine >= 0.99, "cosine " + cosine);
        assertTrue(error <= 0.05, "relative error " + error);
    }

    private EquilibriumPropagation engine(double beta) {
        EpSettings settings = new EpSettings(EPS, beta, ITERATIONS, ITERATIONS, false, false, 0, false);
        return new EquilibriumPropagation(topology, settings, new SquaredErrorNudge(1), 1);
    }

    private int pinnedUnits(FreeEquilibrium free) {
        int pinned = 0;
        for (int l = 1; l < topology.numLayers(); l++) {
            for (double s : free.state(l).castTo(DataType.DOUBLE).dup('c').data().asDouble()) {
                pinned += s <= 0 || s >= 1 ? 1 : 0;
            }
        }
        return pinned;
    }

    /** dL/dx entry by entry (row-major), L = sum_batch ||y - s_out^0||^2, by central differences. */
    private static double[] finiteDifferenceInputGradient(EquilibriumPropagation engine, NetworkParams params,
                                                          INDArray x, INDArray y) {
        INDArray gradient = Nd4j.zeros(DataType.DOUBLE, x.size(0), x.size(1));
        differentiate(x, gradient, null, false,
                () -> HopfieldEnergy.cost(y, engine.freePhase(x, params, false).outputs()), H);
        return gradient.dup('c').data().asDouble();
    }
}
