package org.eqp.directed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** DEEP and vector-field EP on directed graphs (Farinha et al. 2020). */
class DirectedEpTest {
    private static final double[][] AND_X = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    private static final double[][] AND_Y = {{0}, {0}, {0}, {1}};

    @Test
    void withoutInputsTheDeepDynamicsConserveTheSumOfFiringRates() {
        // given a complete directed graph of 6 units with no input or bias unit (Proposition 1), random weights,
        // and states well inside (0, 1)
        DirectedGraph graph = DirectedGraph.complete(0, 5, 1, false);
        DirectedNetwork network = DirectedNetwork.random(graph, 0.05, 3);
        DirectedRelaxation relaxation = new DirectedRelaxation(network, DirectedRule.DEEP, 0.05);
        double[] s = {0.4, 0.55, 0.6, 0.45, 0.5, 0.52};
        double before = java.util.Arrays.stream(s).sum();
        // when 30 free Euler steps run (beta = 0)
        for (int m = 0; m < 30; m++) {
            relaxation.step(s, 0, null);
        }
        // then no bound was reached, the states moved, and their sum is unchanged
        for (double v : s) {
            assertTrue(v > 0 && v < 1, "state reached a bound: " + v);
        }
        assertTrue(Math.abs(s[0] - 0.4) > 1e-6, "the states moved");
        assertEquals(before, java.util.Arrays.stream(s).sum(), 1e-12);
    }

    @Test
    void theVectorFieldDynamicsDoNotConserveIt() {
        DirectedGraph graph = DirectedGraph.complete(0, 5, 1, false);
        DirectedRelaxation relaxation = new DirectedRelaxation(DirectedNetwork.random(graph, 0.05, 3),
                DirectedRule.VECTOR_FIELD, 0.05);
        double[] s = {0.4, 0.55, 0.6, 0.45, 0.5, 0.52};
        relaxation.step(s, 0, null);
        assertTrue(Math.abs(java.util.Arrays.stream(s).sum() - 3.02) > 1e-3, "the leak -s_j pulls every state down");
    }

    @Test
    void theLearningRulesOnAHandComputedThreeUnitTrajectory() {
        // given input 0, hidden 1, output 2, every allowed edge, and a nudged trajectory of two steps
        DirectedGraph graph = DirectedGraph.complete(1, 1, 1, false);
        double[][] trajectory = {{1, 0.2, 0.5}, {1, 0.3, 0.6}, {1, 0.35, 0.8}};
        // then DEEP integrates s_i(m) (s_j(m) - s_j(m-1)) over the two steps and halves it (eq. 2)
        double[] deep = DirectedCorrection.of(DirectedRule.DEEP, graph, 0.5, trajectory);
        assertEquals(0.5 * (1 * 0.1 + 1 * 0.05), deep[0 * 3 + 1], 1e-15);
        assertEquals(0.5 * (1 * 0.1 + 1 * 0.2), deep[0 * 3 + 2], 1e-15);
        assertEquals(0.5 * (0.3 * 0.1 + 0.35 * 0.2), deep[1 * 3 + 2], 1e-15);
        assertEquals(0.5 * (0.6 * 0.1 + 0.8 * 0.05), deep[2 * 3 + 1], 1e-15);
        // and vector-field EP takes s_i^0 (s_j^beta - s_j^0) / beta
        double[] vf = DirectedCorrection.of(DirectedRule.VECTOR_FIELD, graph, 0.5, trajectory);
        assertEquals(1 * 0.15 / 0.5, vf[0 * 3 + 1], 1e-15);
        assertEquals(1 * 0.3 / 0.5, vf[0 * 3 + 2], 1e-15);
        assertEquals(0.2 * 0.3 / 0.5, vf[1 * 3 + 2], 1e-15);
        assertEquals(0.5 * 0.15 / 0.5, vf[2 * 3 + 1], 1e-15);
        // and nothing on absent edges (into the input, self-loops)
        for (int k : new int[] {0, 1 * 3, 2 * 3, 1 * 3 + 1, 2 * 3 + 2}) {
            assertEquals(0.0, deep[k], 0.0);
            assertEquals(0.0, vf[k], 0.0);
        }
    }

    @Test
    void pruningTakesOnlyWeightsBelowLambdaWithTheBoltzmannProbability() {
        // given unit 2 with inputs from 0 (|W| = 0.001) and 1 (|W| = 0.5), and unit 1 with one input (0.002)
        DirectedGraph graph = DirectedGraph.complete(1, 1, 1, false);
        double[] w = new double[9];
        w[0 * 3 + 2] = 0.001;
        w[1 * 3 + 2] = -0.5;
        w[0 * 3 + 1] = -0.002;
        w[2 * 3 + 1] = 0.3;
        DirectedNetwork network = new DirectedNetwork(graph, w);
        // when drawn many times with lambda 0.01 and T 0.1
        int draws = 20000;
        int removed02 = 0;
        SplittableRandom random = new SplittableRandom(5);
        for (int t = 0; t < draws; t++) {
            BitSet r = BoltzmannPruning.draw(network, 0.01, 0.1, random);
            assertTrue(!r.get(1 * 3 + 2) && !r.get(2 * 3 + 1), "weights above lambda are never pruned");
            removed02 += r.get(0 * 3 + 2) ? 1 : 0;
        }
        // then edge 0 -> 2 goes with p = e^(-0.01) / (e^(-0.01) + e^(-5) + e^0), the sum over all three units
        double p = Math.exp(-0.01) / (Math.exp(-0.01) + Math.exp(-5) + 1);
        assertEquals(p, removed02 / (double) draws, 4 * Math.sqrt(p * (1 - p) / draws));
    }

    @Test
    void theNudgedPhaseStartsFromTheFreeEquilibriumAndPullsTheOutputsTowardTheirTargets() {
        // given a random DEEP network over 2 inputs + bias, 5 hidden, 1 output, states drawn from U[0, 0.1]
        DirectedGraph graph = DirectedGraph.complete(2, 5, 1, true);
        DirectedPhases phases = new DirectedPhases(DirectedNetwork.random(graph, 0.05, 4),
                new DirectedSettings(DirectedRule.DEEP, 0.05, 200, 100, 10, 0, 5, 0.1, false));
        // when the free phase alone and both phases run on the AND patterns with the same draws
        double[][] free = phases.free(AND_X, new SplittableRandom(9));
        DirectedPhases.Batch batch = phases.run(AND_X, AND_Y, new SplittableRandom(9));
        // then the free equilibria agree, and the nudge brought every output that missed its target closer to it
        int out = graph.firstOutput();
        int missed = 0;
        for (int e = 0; e < AND_X.length; e++) {
            assertArrayEquals(free[e], batch.free()[e], 0.0, "example " + e);
            double before = Math.abs(free[e][out] - AND_Y[e][0]);
            double after = Math.abs(batch.nudged()[e][out] - AND_Y[e][0]);
            assertTrue(before == 0 ? after == 0 : after < before, "example " + e + ": " + before + " -> " + after);
            missed += before > 0 ? 1 : 0;
        }
        assertTrue(missed > 0, "an untrained network misses some target");
        // and the correction is zero off the graph's edges
        for (int j = 0; j < graph.inputs(); j++) {
            assertEquals(0.0, batch.correction()[out * graph.size() + j], 0.0, "no edge into input " + j);
        }
    }

    @Test
    void badParametersAreRejectedWithTheirNames() {
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class,
                () -> new DirectedSettings(DirectedRule.DEEP, 0.05, 10, 10, 1, 0.01, 0, 0, false));
        assertTrue(t.getMessage().contains("temperature T"), t.getMessage());
        IllegalArgumentException lambda = assertThrows(IllegalArgumentException.class,
                () -> new DirectedSettings(DirectedRule.DEEP, 0.05, 10, 10, 1, -0.01, 5, 0, false));
        assertTrue(lambda.getMessage().contains("lambda"), lambda.getMessage());
        IllegalArgumentException dt = assertThrows(IllegalArgumentException.class,
                () -> new DirectedSettings(DirectedRule.DEEP, 0, 10, 10, 1, 0.01, 5, 0, false));
        assertTrue(dt.getMessage().contains("dt"), dt.getMessage());
        IllegalArgumentException beta = assertThrows(IllegalArgumentException.class,
                () -> new DirectedSettings(DirectedRule.DEEP, 0.05, 10, 10, 0, 0.01, 5, 0, false));
        assertTrue(beta.getMessage().contains("beta"), beta.getMessage());
        IllegalArgumentException regrowWithoutPruning = assertThrows(IllegalArgumentException.class,
                () -> new DirectedSettings(DirectedRule.DEEP, 0.05, 10, 10, 1, 0, 5, 0, true));
        assertTrue(regrowWithoutPruning.getMessage().contains("lambda 0 prunes nothing"),
                regrowWithoutPruning.getMessage());
        IllegalArgumentException intoInput = assertThrows(IllegalArgumentException.class,
                () -> DirectedGraph.of(1, 0, 1, false, new boolean[][] {{false, true}, {true, false}}));
        assertTrue(intoInput.getMessage().contains("into an input"), intoInput.getMessage());
        DirectedPhases phases = new DirectedPhases(DirectedNetwork.random(DirectedGraph.complete(2, 5, 1, true), 0.05, 1),
                DirectedSettings.paper(DirectedRule.DEEP, true));
        IllegalArgumentException target = assertThrows(IllegalArgumentException.class,
                () -> phases.run(AND_X, new double[][] {{0}, {0}, {0}, {2}}, new SplittableRandom(1)));
        assertTrue(target.getMessage().contains("[0, 1]"), target.getMessage());
    }

    @Test
    void propositionTwoNamesTheUnitsWhoseLeakDominatesTheirInputs() {
        // given input 0, hidden 1, output 2: unit 1 leaks 0.5 (edge 1 -> 2) and receives 0.2 from unit 2;
        // unit 2 leaks 0.2 (edge 2 -> 1) and receives 0.5 from unit 1
        DirectedGraph graph = DirectedGraph.complete(1, 1, 1, false);
        double[] w = new double[9];
        w[0 * 3 + 1] = 3; // from the input: not counted
        w[1 * 3 + 2] = 0.5;
        w[2 * 3 + 1] = 0.2;
        StabilityReport report = StabilityReport.of(new DirectedNetwork(graph, w));
        // then unit 1 meets the conditions (leak 0.5 > 0, inputs 0.2 < 0.5); unit 2 does not (leak 0.2, inputs 0.5)
        StabilityReport.Unit hidden = report.units().get(0);
        assertEquals(1, hidden.unit());
        assertEquals(0.5, hidden.outgoingSum(), 0.0);
        assertEquals(0.2, hidden.incomingAbsSum(), 0.0);
        assertTrue(hidden.satisfied());
        StabilityReport.Unit output = report.units().get(1);
        assertEquals(0.2, output.outgoingSum(), 0.0);
        assertEquals(0.5, output.incomingAbsSum(), 0.0);
        assertTrue(!output.satisfied() && !report.allSatisfied());
    }
}
