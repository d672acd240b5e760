package org.eqp.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eqp.topology.SmallWorld;
import org.eqp.topology.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

@ExtendWith(SplitEveryStep.class)
class AlternatingUpdatesTest {
    @Test
    void alternatingStepsReachTheSynchronousEquilibriumInFewerSteps() {
        // given a layered net of three hidden layers with random contracting weights and a clamped input
        Topology topology = Topology.layered(new int[] {12, 40, 40, 40, 5});
        NetworkParams params = StepTeamTest.randomParams(topology);
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 12);
        // when it relaxes far (2,000 steps) synchronously at the seed's eps 0.5 and alternating at eps 1 (each half-step
        // then minimizes the energy over its layers exactly), and 12 steps each way
        float[][] synchronous = relax(topology, params, x, 2000, 0.5, false);
        float[][] alternating = relax(topology, params, x, 2000, 1.0, true);
        float[][] synchronousShort = relax(topology, params, x, 12, 0.5, false);
        float[][] alternatingShort = relax(topology, params, x, 12, 1.0, true);
        // then both reach the same equilibrium, and after 12 steps the alternating one is far closer to it
        for (int l = 1; l < topology.numLayers(); l++) {
            assertArrayEquals(synchronous[l], alternating[l], 1e-5f, "layer " + l);
        }
        double syncGap = gap(synchronousShort, synchronous);
        double altGap = gap(alternatingShort, synchronous);
        assertTrue(altGap < syncGap / 10, "after 12 steps: alternating " + altGap + " vs synchronous " + syncGap);
    }

    @Test
    void alternatingStepsSplitOverThreadsGiveTheSameFloatsAsOneThread() {
        // given a small-world net (skips join layers of the same parity) and a nudge
        Topology topology = SmallWorld.replace(new int[] {12, 70, 130, 40, 5}, 0.2, 3).topology();
        NetworkParams params = StepTeamTest.randomParams(topology);
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 12);
        // when it relaxes alternating on one and on two threads
        StepTeam.setThreads(1);
        float[][] one = relax(topology, params, x, 25, 0.5, true);
        StepTeam.setThreads(2);
        float[][] two = relax(topology, params, x, 25, 0.5, true);
        // then the states are bit-identical
        for (int l = 1; l < topology.numLayers(); l++) {
            assertArrayEquals(one[l], two[l], "layer " + l);
        }
    }

    private static float[][] relax(Topology topology, NetworkParams params, INDArray x, int steps, double eps,
                                   boolean alternating) {
        Relaxation relaxation = new Relaxation(topology, (int) x.size(0));
        relaxation.clampInput(x, params);
        relaxation.resetStates();
        relaxation.run(steps, eps, 0, null, alternating);
        float[][] states = new float[topology.numLayers()][];
        for (int l = 1; l < topology.numLayers(); l++) {
            states[l] = relaxation.state(l).dup().data().asFloat();
        }
        return states;
    }

    /** Largest |a - b| over all layers. */
    private static double gap(float[][] a, float[][] b) {
        double max = 0;
        for (int l = 1; l < a.length; l++) {
            for (int i = 0; i < a[l].length; i++) {
                max = Math.max(max, Math.abs(a[l][i] - b[l][i]));
            }
        }
        return max;
    }
}
