package org.eqp.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.eqp.topology.SmallWorld;
import org.eqp.topology.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

@ExtendWith(SplitEveryStep.class)
class StepTeamTest {
    @Test
    void aRelaxationSplitOverAnyNumberOfThreadsGivesTheSameFloatsAsOneThread() {
        assumeTrue(FeedbackLayout.vectorAvailable(), "the steps are split only in the Vector API layout");
        // given a small-world net whose layers cut into several granules, a batch that needs padding, random weights
        Topology topology = SmallWorld.replace(new int[] {12, 70, 130, 40, 5}, 0.2, 3).topology();
        NetworkParams params = randomParams(topology);
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 12);
        INDArray targets = Nd4j.zeros(DataType.FLOAT, 6, 5).putScalar(0, 1, 1.0).dup('f');
        // when it relaxes free then nudged (measuring every step, with a tolerance) on 1, 2 and 3 threads
        float[][][] results = new float[3][][];
        RelaxationResult[] nudgedResults = new RelaxationResult[3];
        for (int threads = 1; threads <= 3; threads++) {
            StepTeam.setThreads(threads);
            Relaxation relaxation = new Relaxation(topology, 6);
            assertEquals(FeedbackLayout.VECTOR_BLOCKS, relaxation.layout());
            relaxation.clampInput(x, params);
            relaxation.resetStates();
            relaxation.run(30, 0.5, 0, null);
            SquaredErrorNudge nudge = new SquaredErrorNudge(1.0);
            nudge.prepare(targets, 0.5);
            nudgedResults[threads - 1] = relaxation.run(8, 0.5, 1e-7, nudge);
            results[threads - 1] = new float[topology.numLayers()][];
            for (int l = 1; l < topology.numLayers(); l++) {
                results[threads - 1][l] = relaxation.state(l).dup().data().asFloat();
            }
        }
        // then every state, the step count and the step statistics are bit-identical
        for (int t = 1; t < 3; t++) {
            for (int l = 1; l < topology.numLayers(); l++) {
                assertArrayEquals(results[0][l], results[t][l], (t + 1) + " threads, layer " + l);
            }
            assertEquals(nudgedResults[0], nudgedResults[t], (t + 1) + " threads");
        }
        assertTrue(results[0][1][0] + results[0][2][0] > 0, "the states moved");
    }

    @Test
    void aThreadCountBelowOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StepTeam.setThreads(0));
        assertEquals("the relaxation needs at least 1 thread; got 0", e.getMessage());
    }

    @Test
    void aBusyTeamIsNotHandedToASecondCaller() {
        // given a team of two threads held by one relaxation
        StepTeam.setThreads(2);
        StepTeam first = StepTeam.tryAcquire();
        try {
            // then a second caller runs alone, and gets the team once it is released
            assertTrue(first != null);
            assertEquals(null, StepTeam.tryAcquire());
        } finally {
            first.release();
        }
        StepTeam again = StepTeam.tryAcquire();
        assertTrue(again == first);
        again.release();
    }

    static NetworkParams randomParams(Topology topology) {
        Nd4j.getRandom().setSeed(3);
        INDArray[] weights = new INDArray[topology.blocks().size()];
        INDArray[] biases = new INDArray[topology.numLayers()];
        for (int k = 0; k < weights.length; k++) {
            var b = topology.blocks().get(k);
            double scale = 2 / Math.sqrt(topology.size(b.from()) + topology.size(b.to()));
            INDArray w = Nd4j.rand(DataType.FLOAT, topology.size(b.from()), topology.size(b.to())).subi(0.5).muli(scale)
                    .dup('f');
            if (!b.dense()) {
                FloatView.of(w).multiplyElementwise(b.mask().toFortranOrderFloats());
            }
            weights[k] = w;
        }
        for (int l = 1; l < biases.length; l++) {
            biases[l] = Nd4j.rand(DataType.FLOAT, 1, topology.size(l)).muli(0.2);
        }
        return new NetworkParams(topology, weights, biases);
    }
}
