package org.eqp.energy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.eqp.dynamics.NetworkParams;
import org.eqp.dynamics.Relaxation;
import org.eqp.dynamics.RelaxationResult;
import org.eqp.topology.Topology;
import org.eqp.topology.SmallWorld;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The float32 relaxation is a descent on the Hopfield energy for a small step. */
class FreePhaseEnergyDescentTest extends EnergyTestSupport {
    private static final double EPS = 0.05;
    private static final int STEPS = 1000;

    static java.util.List<Topology> topologies() {
        return java.util.List.of(Topology.layered(5, 4, 3, 2),
                SmallWorld.intralayerReplace(new int[] {5, 4, 3, 2}, 6, 3).topology());
    }

    @ParameterizedTest
    @MethodSource("topologies")
    void energyNeverIncreasesAlongTheFreePhaseAndTheRelaxationConverges(Topology topology) {
        // given a 5-4-3-2 network (layered; or with intralayer and skip connections) with Glorot-scale weights, small
        // biases and a batch of 3 inputs in [0, 1)
        Random random = new Random(5);
        NetworkParams params = randomParams(topology, random, 1.0, -0.1, 0.1);
        INDArray x = uniform(random, 3, 5, 0, 1);
        HopfieldEnergy energy = new HopfieldEnergy(topology);
        Relaxation relaxation = new Relaxation(topology, 3);
        relaxation.clampInput(x, params);
        relaxation.resetStates();

        // when the free phase runs one Euler step at a time
        double initial = energy.energy(x, copyStates(relaxation), params);
        double previous = initial;
        double worstIncrease = Double.NEGATIVE_INFINITY;
        RelaxationResult last = null;
        for (int t = 0; t < STEPS; t++) {
            last = relaxation.run(1, EPS, 0, null);
            double current = energy.energy(x, copyStates(relaxation), params);
            worstIncrease = Math.max(worstIncrease, (current - previous) / Math.max(1.0, Math.abs(previous)));
            previous = current;
        }

        // then E is non-increasing at every step (up to float rounding) and decreased overall
        System.out.printf("energy descent: E %.6f -> %.6f, worst relative step change %.3e, last residual %.3e, max move %.3e%n",
                initial, previous, worstIncrease, last.residual(), last.maxChange());
        assertTrue(worstIncrease <= 1e-5, "energy increased by " + worstIncrease + " (relative) in one step");
        assertTrue(previous < initial - 1e-3, "energy did not decrease: " + initial + " -> " + previous);
        // and the relaxation has converged: the last step's RMS velocity and largest move are small
        assertTrue(last.residual() < 1e-4, "RMS velocity after " + STEPS + " steps: " + last.residual());
        assertTrue(last.maxChange() < 1e-5, "largest move in the last step: " + last.maxChange());
    }
}
