package org.eqp.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossL2;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/** The fused squared-error nudge is the generic loss-function nudge, only faster. */
class NudgeForceTest {
    private static final INDArray TARGETS = Nd4j.create(new float[] {1, 0, 0, 0, 1, 0}, new long[] {2, 3}, 'f');

    private static INDArray outputs() {
        return Nd4j.create(new float[] {0.2f, 0.9f, 0.4f, 0.5f, 0.1f, 0.7f}, new long[] {2, 3}, 'f');
    }

    private static INDArray nudged(NudgeForce nudge) {
        INDArray s = outputs();
        nudge.prepare(TARGETS, 0.3);
        nudge.apply(s, 0.5);
        return s;
    }

    @Test
    void fusedSquaredErrorMatchesTheLossFunctionsGradient() {
        for (ILossFunction loss : new ILossFunction[] {new LossL2(), new LossMSE()}) {
            double scale = loss instanceof LossMSE ? 1.0 / 3 : 1.0;
            INDArray fused = nudged(new SquaredErrorNudge(scale));
            INDArray generic = nudged(new LossFunctionNudge(loss, new ActivationIdentity()));
            assertTrue(fused.equalsWithEps(generic, 1e-6), loss + ": " + fused + " vs " + generic);
        }
    }

    @Test
    void theSeedsNudgeOnATinyExample() {
        // s_y <- clamp(s_y + 2 * eps * beta * (y - s_y)) with eps 0.5, beta 0.3: s + 0.3 (y - s)
        INDArray s = nudged(new SquaredErrorNudge(1));
        assertEquals(0.2f + 0.3f * 0.8f, s.getFloat(0, 0), 1e-6);
        assertEquals(0.4f - 0.3f * 0.4f, s.getFloat(0, 1), 1e-6);
        assertEquals(DataType.FLOAT, s.dataType());
    }

    @Test
    void aFullNudgeClampsTheOutputsToTheTargets() {
        INDArray s = outputs();
        NudgeForce nudge = new SquaredErrorNudge(1);
        nudge.prepare(TARGETS, 1.0);
        nudge.apply(s, 0.5);
        assertEquals(TARGETS, s);
    }

    @Test
    void aLinearCostMovesEachOutputAgainstItsGradientFromAboveAndClamps() {
        // given outputs 0.2, 0.9 and the gradients from above 0.5, -0.5 (eps 0.5, beta 0.4: a step of 0.2 * delta)
        INDArray s = Nd4j.create(new float[] {0.2f, 0.9f}, new long[] {1, 2}, 'f');
        LinearCostNudge nudge = new LinearCostNudge();
        nudge.prepare(Nd4j.create(new float[] {0.5f, -0.5f}, new long[] {1, 2}, 'f'), 0.4);
        // when it nudges once
        nudge.apply(s, 0.5);
        // then 0.2 - 0.1 = 0.1 and 0.9 + 0.1 = 1.0 (at the bound), and its targets need not lie in [0, 1]
        assertEquals(0.1f, s.getFloat(0), 1e-7f);
        assertEquals(1.0f, s.getFloat(1), 0f);
        assertTrue(!nudge.boundedTargets() && new SquaredErrorNudge(1).boundedTargets());
    }
}
