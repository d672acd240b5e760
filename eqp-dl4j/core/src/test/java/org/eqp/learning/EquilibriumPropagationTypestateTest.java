package org.eqp.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eqp.dynamics.NetworkParams;
import org.eqp.dynamics.SquaredErrorNudge;
import org.eqp.topology.Topology;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Free phase, then one nudged phase, then the gradients: any other order fails with a message naming the fix. */
class EquilibriumPropagationTypestateTest {
    private static final Topology TOPOLOGY = Topology.layered(4, 5, 2);
    private static final long SEED = 9;

    private static EquilibriumPropagation engine(boolean randomSign) {
        return new EquilibriumPropagation(TOPOLOGY, new EpSettings(0.5, 0.5, 10, 4, randomSign, false, 0, false),
                new SquaredErrorNudge(1), SEED);
    }

    private static NetworkParams params() {
        Nd4j.getRandom().setSeed(1);
        return new NetworkParams(TOPOLOGY,
                new INDArray[] {Nd4j.rand(DataType.FLOAT, 4, 5).subi(0.5), Nd4j.rand(DataType.FLOAT, 5, 2).subi(0.5)},
                new INDArray[] {null, Nd4j.zeros(DataType.FLOAT, 1, 5), Nd4j.zeros(DataType.FLOAT, 1, 2)});
    }

    private static NetworkParams zeros() {
        return new NetworkParams(TOPOLOGY,
                new INDArray[] {Nd4j.zeros(DataType.FLOAT, 4, 5).dup('f'), Nd4j.zeros(DataType.FLOAT, 5, 2).dup('f')},
                new INDArray[] {null, Nd4j.zeros(DataType.FLOAT, 1, 5), Nd4j.zeros(DataType.FLOAT, 1, 2)});
    }

    private static INDArray batch(int rows) {
        return Nd4j.rand(DataType.FLOAT, rows, 4);
    }

    private static INDArray labels(int rows) {
        return Nd4j.zeros(DataType.FLOAT, rows, 2).putiColumnVector(Nd4j.ones(DataType.FLOAT, rows, 1));
    }

    @Test
    void aFreeEquilibriumCanBeNudgedOnlyOnce() {
        // given a nudged free equilibrium
        FreeEquilibrium free = engine(false).freePhase(batch(3), params(), false);
        free.nudge(labels(3), 0);
        // when it is nudged again
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> free.nudge(labels(3), 1));
        // then the message names the fix
        assertTrue(e.getMessage().contains("run freePhase again"), e.getMessage());
    }

    @Test
    void aNudgedEquilibriumRefusesToWriteOnceAFreePhaseOfItsSizeHasRun() {
        // given the nudged equilibrium of a batch of 3
        EquilibriumPropagation ep = engine(false);
        NetworkParams params = params();
        NudgedEquilibrium nudged = ep.freePhase(batch(3), params, false).nudge(labels(3), 0);
        // when another batch of 3 is relaxed freely
        ep.freePhase(batch(3), params, false);
        // then the old nudged equilibrium is gone, for every output it writes
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> nudged.writeGradients(zeros()));
        assertTrue(e.getMessage().contains("before the next freePhase"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> nudged.writeInputGradient(Nd4j.zeros(DataType.FLOAT, 3, 4)));
        assertThrows(IllegalStateException.class, nudged::signedBeta);
    }

    @Test
    void handlesAreReusedPerBatchSizeAndCountTheirFreePhases() {
        // given an engine
        EquilibriumPropagation ep = engine(false);
        NetworkParams params = params();
        // when batches of 3, 3 and 2 examples are relaxed and nudged
        FreeEquilibrium first = ep.freePhase(batch(3), params, false);
        long sequence = first.sequence();
        NudgedEquilibrium firstNudged = first.nudge(labels(3), 0);
        FreeEquilibrium second = ep.freePhase(batch(3), params, false);
        FreeEquilibrium other = ep.freePhase(batch(2), params, false);
        // then one pair of handles serves each batch size, and the sequence tells the batches apart
        assertSame(first, second);
        assertSame(firstNudged, second.nudge(labels(3), 1));
        assertNotSame(first, other);
        assertEquals(sequence + 1, second.sequence());
    }

    @Test
    void drawTOfTheRandomSignNegatesBetaAsRandomBetaSignSays() {
        // given an engine with random sign and the stateless sign of its seed
        EquilibriumPropagation ep = engine(true);
        RandomBetaSign sign = new RandomBetaSign(SEED);
        NetworkParams params = params();
        INDArray x = batch(2);
        int negative = 0;
        for (long t = 0; t < 20; t++) {
            // when nudged phase t runs
            double beta = ep.freePhase(x, params, false).nudge(labels(2), t).signedBeta();
            // then beta has the sign of draw t
            assertEquals(sign.negative(t) ? -0.5 : 0.5, beta, "draw " + t);
            negative += beta < 0 ? 1 : 0;
        }
        assertTrue(negative > 0 && negative < 20, "both signs occur in 20 draws");
        // and without random sign beta keeps its sign whatever the draw index
        assertEquals(0.5, engine(false).freePhase(x, params, false).nudge(labels(2), 3).signedBeta());
    }
}
