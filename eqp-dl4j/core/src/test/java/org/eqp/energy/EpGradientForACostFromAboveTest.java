package org.eqp.energy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.eqp.dynamics.LinearCostNudge;
import org.eqp.dynamics.NetworkParams;
import org.eqp.learning.EpSettings;
import org.eqp.learning.EquilibriumPropagation;
import org.eqp.learning.FreeEquilibrium;
import org.eqp.learning.NudgedEquilibrium;
import org.eqp.topology.Block;
import org.eqp.topology.ConnectionMask;
import org.eqp.topology.Topology;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An EP block inside a larger network gets no labels but delta = dL/ds_out from the layers above. Nudged by the linear
 * cost C = sum_i &lt;delta_i, s_out,i&gt; ({@link LinearCostNudge}), EP's estimates are the gradients of
 * L(theta, x) = C(s_out^0(theta, x)) with respect to the parameters and to the clamped input (Scellier and Bengio
 * 2017, Theorem 1, for this cost). Checked against central finite differences through the float32 equilibrium.
 */
class EpGradientForACostFromAboveTest extends EnergyTestSupport {
    private static final double EPS = 0.05;
    private static final int ITERATIONS = 2000;
    private static final double H = 1e-2;
    private static final double BETA = 0.005;

    static List<Topology> topologies() {
        // layered 4-3-2, and the same with a layer-skipping block input -> output (a small-world network's shape)
        return List.of(Topology.layered(4, 3, 2), Topology.of(new int[] {4, 3, 2}, List.of(new Block(0, 1),
                new Block(1, 2), new Block(0, 2, ConnectionMask.of(new boolean[][] {
                        {true, false}, {false, true}, {true, true}, {false, false}})))));
    }

    @ParameterizedTest
    @MethodSource("topologies")
    void epGivesTheParameterAndInputGradientsOfTheLossAbove(Topology topology) {
        // given a network, a batch of 2 inputs and the gradient delta that the layers above send for its outputs
        Random random = new Random(11);
        NetworkParams params = randomParams(topology, random, 0.3, 0.4, 0.6);
        INDArray x = uniform(random, 2, 4, 0.2, 0.8);
        INDArray delta = uniform(random, 2, 2, -1, 1);
        EquilibriumPropagation engine = new EquilibriumPropagation(topology,
                new EpSettings(EPS, BETA, ITERATIONS, ITERATIONS, false, false, 0, false), new LinearCostNudge(), 1);
        FreeEquilibrium free = engine.freePhase(x, params, false);
        assertTrue(free.relaxation().maxChange() < 1e-6, "free phase not converged: " + free.relaxation());
        for (int l = 1; l <= topology.outputLayer(); l++) {
            double min = free.state(l).minNumber().doubleValue();
            double max = free.state(l).maxNumber().doubleValue();
            assertTrue(min > 0.02 && max < 0.98, "layer " + l + " touches a bound (" + min + ".." + max + "): the "
                    + "hard sigmoid's kink would make the loss non-differentiable there");
        }

        // when EP estimates the gradients from one nudged phase
        NudgedEquilibrium nudged = engine.freePhase(x, params, false).nudge(delta, 0);
        NetworkParams parameterGradient = zerosLike(topology);
        nudged.writeGradients(parameterGradient);
        INDArray inputGradient = Nd4j.create(DataType.FLOAT, new long[] {2, 4}, 'f');
        nudged.writeInputGradient(inputGradient);

        // then they agree with finite differences of L through the free equilibrium
        java.util.function.DoubleSupplier loss = () -> engine.freePhase(x, params, false).outputs()
                .castTo(DataType.DOUBLE).mul(delta.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
        assertClose("dL/dtheta", flatten(parameterGradient), flatten(finiteDifferenceGradient(params, loss, H)));
        INDArray inputDifferences = Nd4j.zeros(DataType.DOUBLE, 2, 4);
        differentiate(x, inputDifferences, null, false, loss, H);
        assertClose("dL/dx", inputGradient.castTo(DataType.DOUBLE).dup('c').data().asDouble(),
                inputDifferences.dup('c').data().asDouble());
    }

    private static void assertClose(String what, double[] ep, double[] finiteDifferences) {
        double cosine = cosine(ep, finiteDifferences);
        double error = relativeError(ep, finiteDifferences);
        System.out.printf("%s: cosine %.5f, relative error %.4f%n", what, cosine, error);
        assertTrue(cosine >= 0.99, what + ": cosine " + cosine);
        assertTrue(error <= 0.05, what + ": relative error " + error);
    }
}
