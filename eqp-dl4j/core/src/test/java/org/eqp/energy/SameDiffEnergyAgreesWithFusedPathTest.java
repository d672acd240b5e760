package org.eqp.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.eqp.dynamics.NetworkParams;
import org.eqp.dynamics.SquaredErrorNudge;
import org.eqp.learning.EpSettings;
import org.eqp.learning.EquilibriumPropagation;
import org.eqp.learning.FreeEquilibrium;
import org.eqp.learning.NudgedEquilibrium;
import org.eqp.topology.Topology;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Hopfield energy composed with {@link EnergyGraph} and relaxed and trained through autodiff
 * ({@link EnergyPropagation}) against the hand-fused float path ({@link EquilibriumPropagation}) on the same network,
 * input, targets and settings: the same free states and the same EP gradients of the parameters and the input, to
 * float tolerance. The settings put
 * units on the bounds (eps 0.5, beta 1: the nudge sets the outputs to the targets), so the clamp conventions are
 * covered too.
 */
class SameDiffEnergyAgreesWithFusedPathTest extends EnergyTestSupport {
    private static final Topology TOPOLOGY = Topology.layered(4, 5, 3, 2);
    private static final int BATCH = 3;

    @ParameterizedTest(name = "symmetric nudging {0}")
    @ValueSource(booleans = {false, true})
    void hopfieldEnergyThroughSameDiffGivesTheFusedStatesAndGradients(boolean symmetric) {
        // given a 4-5-3-2 network, an input batch, targets, and the same energy composed in SameDiff
        Random random = new Random(11);
        NetworkParams params = randomParams(TOPOLOGY, random, 1.0, -0.3, 0.3);
        INDArray x = uniform(random, BATCH, 4, 0, 1);
        INDArray y = uniform(random, BATCH, 2, 0, 1);
        EpSettings settings = new EpSettings(0.5, 1.0, 12, 4, false, false, 0, symmetric);
        SameDiffEnergy energy = hopfield(params);

        // when both relax and estimate the gradient
        EquilibriumPropagation fused = new EquilibriumPropagation(TOPOLOGY, settings, new SquaredErrorNudge(1), 1);
        FreeEquilibrium free = fused.freePhase(x, params, false);
        INDArray fusedFreeOutputs = free.outputs().dup();
        NetworkParams fusedGradient = zerosLike(TOPOLOGY);
        NudgedEquilibrium nudged = free.nudge(y, 0);
        nudged.writeGradients(fusedGradient);
        INDArray fusedInputGradient = Nd4j.zeros(DataType.FLOAT, BATCH, 4).dup('f');
        nudged.writeInputGradient(fusedInputGradient);
        EnergyPropagation.Step step = new EnergyPropagation(energy, settings, new SquaredErrorNudge(1), 1)
                .trainingStep(x, y, 0);

        // then the free outputs and every gradient agree to float tolerance
        double outputDifference = step.freeOutputs().sub(fusedFreeOutputs).amaxNumber().doubleValue();
        double gradientDifference = 0;
        double gradientScale = 0;
        for (int k = 0; k < TOPOLOGY.blocks().size(); k++) {
            gradientDifference = Math.max(gradientDifference,
                    step.gradients().get("W" + k).sub(fusedGradient.weight(k)).amaxNumber().doubleValue());
            gradientScale = Math.max(gradientScale, fusedGradient.weight(k).amaxNumber().doubleValue());
        }
        for (int l = 1; l < TOPOLOGY.numLayers(); l++) {
            INDArray bias = step.gradients().get("b" + stateName(l)).reshape(1, TOPOLOGY.size(l));
            gradientDifference = Math.max(gradientDifference, bias.sub(fusedGradient.bias(l)).amaxNumber().doubleValue());
        }
        double inputGradientDifference = step.inputGradient().sub(fusedInputGradient).amaxNumber().doubleValue();
        System.out.printf("SameDiff vs fused: free outputs max |diff| %.2e, gradients max |diff| %.2e (scale %.3f), "
                + "dL/dx max |diff| %.2e (scale %.3f)%n", outputDifference, gradientDifference, gradientScale,
                inputGradientDifference, fusedInputGradient.amaxNumber().doubleValue());
        assertTrue(gradientScale > 0.05, "the step must produce a gradient: " + gradientScale);
        assertEquals(0, outputDifference, 1e-5);
        assertEquals(0, gradientDifference, 1e-4 * gradientScale);
        assertEquals(0, inputGradientDifference, 1e-4 * fusedInputGradient.amaxNumber().doubleValue());
    }

    /** The Hopfield energy of {@code TOPOLOGY} with the given parameters in its variables. */
    private static SameDiffEnergy hopfield(NetworkParams params) {
        EnergyGraph graph = new EnergyGraph(DataType.FLOAT, 1);
        SDVariable below = graph.input(TOPOLOGY.size(0));
        for (int l = 1; l < TOPOLOGY.numLayers(); l++) {
            SDVariable state = graph.state(stateName(l), TOPOLOGY.size(l));
            graph.dense(below, state);
            below = state;
        }
        SameDiffEnergy energy = graph.build();
        for (int k = 0; k < TOPOLOGY.blocks().size(); k++) {
            energy.graph().getVariable("W" + k).getArr().assign(params.weight(k));
        }
        for (int l = 1; l < TOPOLOGY.numLayers(); l++) {
            energy.graph().getVariable("b" + stateName(l)).getArr().assign(params.bias(l));
        }
        return energy;
    }

    private static String stateName(int layer) {
        return "s" + layer;
    }
}
