package org.eqp.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.eqp.dynamics.NetworkParams;
import org.eqp.dynamics.Relaxation;
import org.eqp.dynamics.SquaredErrorNudge;
import org.eqp.learning.EpSettings;
import org.eqp.learning.EquilibriumPropagation;
import org.eqp.learning.FreeEquilibrium;
import org.eqp.learning.NudgedEquilibrium;
import org.eqp.topology.Topology;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The hand-fused float32 path (Relaxation's Euler step, EquilibriumPropagation's update) against the same energy
 * written in SameDiff and differentiated by autodiff, and against the double reference HopfieldEnergy.
 */
class SameDiffAgreesWithFusedPathTest extends EnergyTestSupport {
    private static final int BATCH = 3;
    private final Topology topology = Topology.layered(4, 5, 3, 2);
    private final Random random = new Random(3);
    private final SameDiffHopfieldEnergy sameDiff = new SameDiffHopfieldEnergy(topology);
    private final HopfieldEnergy reference = new HopfieldEnergy(topology);

    @Test
    void autodiffStateGradientEqualsReferenceAndMinusTheRelaxationVelocity() {
        for (int trial = 0; trial < 2; trial++) { // two parameter sets: the graph must pick up new values
            // given a random network and states strictly inside (0, 1)
            NetworkParams params = randomParams(topology, random, 1.0, -0.2, 0.2);
            INDArray x = uniform(random, BATCH, 4, 0, 1);
            INDArray[] states = new INDArray[topology.numLayers()];
            for (int l = 1; l < states.length; l++) {
                states[l] = uniform(random, BATCH, topology.size(l), 0.2, 0.8).castTo(DataType.DOUBLE);
            }
            double eps = 0.02;
            Relaxation relaxation = new Relaxation(topology, BATCH);
            relaxation.clampInput(x, params);
            setStates(relaxation, states);

            // when
            INDArray[] autodiff = sameDiff.stateGradient(x, states, params);
            INDArray[] analytic = reference.stateGradient(x, states, params);
            relaxation.run(1, eps, 0, null);
            INDArray[] next = copyStates(relaxation);

            // then the step did not reach a bound (so no clamp acted) and all three agree
            double[] nextRange = range(next);
            assertTrue(nextRange[0] > 0 && nextRange[1] < 1, "a unit reached a bound: " + nextRange[0] + ".." + nextRange[1]);
            assertEquals(reference.energy(x, states, params), sameDiff.energy(x, states, params), 1e-10);
            for (int l = 1; l < topology.numLayers(); l++) {
                INDArray minusVelocity = states[l].sub(next[l]).divi(eps);
                double scale = analytic[l].norm2Number().doubleValue();
                double autodiffVsReference = autodiff[l].sub(analytic[l]).norm2Number().doubleValue() / scale;
                double fusedVsReference = minusVelocity.sub(analytic[l]).norm2Number().doubleValue() / scale;
                System.out.printf("layer %d: |dE/ds| = %.3f, SameDiff vs reference %.2e, -velocity vs reference %.2e%n",
                        l, scale, autodiffVsReference, fusedVsReference);
                assertTrue(autodiffVsReference < 1e-12, "SameDiff dE/ds_" + l + " relative error " + autodiffVsReference);
                assertTrue(fusedVsReference < 1e-4, "-(s_next - s)/eps for layer " + l + " relative error " + fusedVsReference);
            }
        }
    }

    @Test
    void autodiffParameterGradientEqualsReference() {
        // given
        NetworkParams params = randomParams(topology, random, 1.0, -0.2, 0.2);
        INDArray x = uniform(random, BATCH, 4, 0, 1);
        INDArray[] states = new INDArray[topology.numLayers()];
        for (int l = 1; l < states.length; l++) {
            states[l] = uniform(random, BATCH, topology.size(l), 0.05, 0.95).castTo(DataType.DOUBLE);
        }
        // when
        double error = relativeError(flatten(sameDiff.parameterGradient(x, states, params)),
                flatten(reference.parameterGradient(x, states)));
        // then
        assertTrue(error < 1e-12, "relative error " + error);
    }

    @Test
    void autodiffEpParameterGradientEqualsTheEngineUpdate() {
        // given a network whose free and nudged equilibria lie strictly inside (0, 1)
        NetworkParams params = randomParams(topology, random, 0.3, 0.4, 0.6);
        INDArray x = uniform(random, BATCH, 4, 0, 1);
        INDArray y = uniform(random, BATCH, 2, 0.1, 0.9);
        double beta = 0.5;
        EpSettings settings = new EpSettings(0.2, beta, 300, 300, false, false, 0, false);
        EquilibriumPropagation engine = new EquilibriumPropagation(topology, settings, new SquaredErrorNudge(1), 1);
        // the engine's own relaxation, replayed to read s^beta (EquilibriumPropagation exposes s^0 only)
        Relaxation replay = new Relaxation(topology, BATCH);
        SquaredErrorNudge nudge = new SquaredErrorNudge(1);

        // when the engine runs free and nudged phases and writes its gradient
        FreeEquilibrium engineFree = engine.freePhase(x, params, false);
        NudgedEquilibrium engineNudged = engineFree.nudge(y, 0);
        double usedBeta = engineNudged.signedBeta();
        NetworkParams engineGradient = zerosLike(topology);
        engineNudged.writeGradients(engineGradient);
        // and the same phases are replayed to obtain s^0 and s^beta
        replay.clampInput(x.dup('f'), params);
        replay.resetStates();
        replay.run(settings.freeIterations(), settings.eps(), 0, null);
        INDArray[] free = copyStates(replay);
        nudge.prepare(y.dup('f'), usedBeta);
        replay.run(settings.nudgedIterations(), settings.eps(), 0, nudge);
        INDArray[] nudged = copyStates(replay);
        NetworkParams autodiff = sameDiff.epParameterGradient(x, free, nudged, usedBeta, params);

        // then the replay reproduced the engine's s^0, both equilibria are interior, and the gradients are equal
        for (int l = 1; l < topology.numLayers(); l++) {
            assertEquals(0.0, engineFree.state(l).castTo(DataType.DOUBLE).sub(free[l]).amaxNumber().doubleValue(), 0.0);
        }
        double[] freeRange = range(free);
        double[] nudgedRange = range(nudged);
        System.out.printf("states: free in [%.3f, %.3f], nudged in [%.3f, %.3f]%n", freeRange[0], freeRange[1],
                nudgedRange[0], nudgedRange[1]);
        assertTrue(freeRange[0] > 0.01 && freeRange[1] < 0.99, "free states " + freeRange[0] + ".." + freeRange[1]);
        assertTrue(nudgedRange[0] > 0.01 && nudgedRange[1] < 0.99, "nudged states " + nudgedRange[0] + ".." + nudgedRange[1]);
        double error = relativeError(flatten(engineGradient), flatten(autodiff));
        System.out.printf("EP gradient, engine vs SameDiff: relative error %.2e (beta %.2f)%n", error, usedBeta);
        assertTrue(error < 1e-4, "relative error " + error);
    }
}
