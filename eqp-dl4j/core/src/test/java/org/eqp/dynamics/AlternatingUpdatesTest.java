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
    void aGroupNeverHoldsTwoConnectedLayers() {
        // given a layered net of four non-input layers, and the same with skips 1-3 and 2-4 (same parity) and 1-4
        int[] sizes = {6, 5, 5, 5, 3};
        java.util.List<org.eqp.topology.Block> chain = new java.util.ArrayList<>(Topology.layered(sizes).blocks());
        java.util.List<org.eqp.topology.Block> skips = new java.util.ArrayList<>(chain);
        skips.addAll(java.util.List.of(new org.eqp.topology.Block(1, 3), new org.eqp.topology.Block(2, 4),
                new org.eqp.topology.Block(1, 4)));
        // when their alternating groups are formed
        boolean[][] layered = Relaxation.unconnectedGroups(Topology.of(sizes, chain));
        boolean[][] skipped = Relaxation.unconnectedGroups(Topology.of(sizes, skips));
        // then the layered net updates its odd layers, then its even ones
        assertArrayEquals(new boolean[][] {{false, true, false, true, false}, {false, false, true, false, true}},
                layered);
        // and the skips split them: 1 | 2 | 3 | 4 (each layer touches all the ones before it)
        assertArrayEquals(new boolean[][] {{false, true, false, false, false}, {false, false, true, false, false},
                {false, false, false, true, false}, {false, false, false, false, true}}, skipped);
    }

    @Test
    void aSkipJoiningLayersOfOneParityIsReadAfterTheEarlierLayerMoved() {
        // given one unit per layer, input 0 -> 1 -> 2 -> 3 with zero weights and a skip 1-3 of weight -1.5, biases
        // 0.8 on layers 1 and 3, zero input and states
        int[] sizes = {1, 1, 1, 1};
        java.util.List<org.eqp.topology.Block> blocks = new java.util.ArrayList<>(Topology.layered(sizes).blocks());
        blocks.add(new org.eqp.topology.Block(1, 3));
        Topology topology = Topology.of(sizes, blocks);
        INDArray[] weights = new INDArray[blocks.size()];
        for (int k = 0; k < weights.length; k++) {
            weights[k] = Nd4j.zeros(DataType.FLOAT, 1, 1).dup('f');
        }
        weights[blocks.size() - 1].putScalar(0, -1.5f);
        INDArray[] biases = {null, Nd4j.scalar(0.8f).reshape(1, 1), Nd4j.zeros(DataType.FLOAT, 1, 1),
                Nd4j.scalar(0.8f).reshape(1, 1)};
        NetworkParams params = new NetworkParams(topology, weights, biases);
        // when it takes one alternating step at eps 1
        float[][] s = relax(topology, params, Nd4j.zeros(DataType.FLOAT, 1, 1), 1, 1.0, true);
        // then layer 1 rises to its bias, and layer 3, updated after it, sees it: clamp(0.8 - 1.5 * 0.8) = 0 (updating
        // 1 and 3 together would set both to 0.8 and raise the energy from 0 to 0.32)
        assertArrayEquals(new float[] {0.8f}, s[1], 1e-6f);
        assertArrayEquals(new float[] {0f}, s[2], 1e-6f);
        assertArrayEquals(new float[] {0f}, s[3], 1e-6f);
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
