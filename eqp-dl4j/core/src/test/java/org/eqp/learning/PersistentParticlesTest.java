package org.eqp.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eqp.dynamics.NetworkParams;
import org.eqp.dynamics.SquaredErrorNudge;
import org.eqp.topology.Topology;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Persistent particles belong to examples, not to batch positions. */
class PersistentParticlesTest {
    private static final Topology TOPOLOGY = Topology.layered(5, 7, 3);

    private static NetworkParams params() {
        Nd4j.getRandom().setSeed(12);
        INDArray w0 = Nd4j.rand(DataType.FLOAT, 5, 7).subi(0.3);
        INDArray w1 = Nd4j.rand(DataType.FLOAT, 7, 3).subi(0.3);
        return new NetworkParams(TOPOLOGY, new INDArray[] {w0, w1},
                new INDArray[] {null, Nd4j.zeros(DataType.FLOAT, 1, 7), Nd4j.zeros(DataType.FLOAT, 1, 3)});
    }

    private static EquilibriumPropagation engine(boolean persistent) {
        return engine(persistent, ParticleStore.DEFAULT_CAPACITY);
    }

    private static EquilibriumPropagation engine(boolean persistent, int capacity) {
        // 2 free steps: far from equilibrium, so where a phase starts shows in where it ends
        return new EquilibriumPropagation(TOPOLOGY, new EpSettings(0.2, 1, 2, 1, false, persistent, 0, false),
                new SquaredErrorNudge(1), 1, capacity);
    }

    private static INDArray rows(INDArray batch, int... order) {
        return Nd4j.pullRows(batch, 1, order);
    }

    @Test
    void particlesFollowTheirExamplesWhenTheBatchIsShuffled() {
        // given three examples and a network
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 5);
        NetworkParams params = params();
        // when one engine sees them twice in the same order, another sees them shuffled the second time
        EquilibriumPropagation inOrder = engine(true);
        inOrder.freePhase(x, params, true);
        INDArray second = inOrder.freePhase(x, params, true).outputs().dup();
        EquilibriumPropagation shuffled = engine(true);
        shuffled.freePhase(x, params, true);
        INDArray secondShuffled = shuffled.freePhase(rows(x, 2, 0, 1), params, true).outputs().dup();
        // then each example continued from its own particle
        assertTrue(rows(second, 2, 0, 1).equalsWithEps(secondShuffled, 1e-7));
        assertEquals(3, shuffled.particles().size());
    }

    @Test
    void particlesChangeTheStartOnlyWhenEnabled() {
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 5);
        NetworkParams params = params();
        EquilibriumPropagation withParticles = engine(true);
        INDArray first = withParticles.freePhase(x, params, true).outputs().dup();
        INDArray continued = withParticles.freePhase(x, params, true).outputs().dup();
        EquilibriumPropagation without = engine(false);
        without.freePhase(x, params, true);
        INDArray restarted = without.freePhase(x, params, true).outputs().dup();

        assertFalse(first.equalsWithEps(continued, 1e-6), "the second phase continued from the first's end");
        assertTrue(first.equalsWithEps(restarted, 1e-7), "without particles every phase starts from zero");
        assertEquals(0, without.particles().size());
    }

    @Test
    void inferenceNeverTouchesParticles() {
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 5);
        EquilibriumPropagation engine = engine(true);
        INDArray a = engine.freePhase(x, params(), false).outputs().dup();
        INDArray b = engine.freePhase(x, params(), false).outputs().dup();
        assertTrue(a.equalsWithEps(b, 0));
        assertEquals(0, engine.particles().size());
    }

    @Test
    void aFullStoreEvictsTheLeastRecentlyUsedParticle() {
        // given a store with room for two, and examples a, b, c
        Nd4j.getRandom().setSeed(6);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 5);
        long[] key = ParticleStore.keysOf(x);
        EquilibriumPropagation engine = engine(true, 2);
        NetworkParams params = params();
        // when a and b are stored, a is used again, then c arrives
        engine.freePhase(rows(x, 0, 1), params, true);
        engine.freePhase(rows(x, 0), params, true);
        engine.freePhase(rows(x, 2), params, true);
        // then b, used longest ago, made room for c, and the snapshot lists the least recently used first
        assertEquals(1, engine.particles().evictions());
        assertArrayEquals(new long[] {key[0], key[2]}, engine.particles().snapshot().keys());
        // and a store with room for one restores only the most recent of them
        ParticleStore one = new ParticleStore(TOPOLOGY, 1);
        one.restore(engine.particles().snapshot());
        assertArrayEquals(new long[] {key[2]}, one.snapshot().keys());
    }

    @Test
    void keysGivenByTheCallerReplaceTheInputsOwn() {
        // given two inputs of the same example as layers below computed them before and after an update
        Nd4j.getRandom().setSeed(7);
        INDArray features = Nd4j.rand(DataType.FLOAT, 1, 9);
        INDArray before = Nd4j.rand(DataType.FLOAT, 1, 5);
        INDArray after = before.add(0.01);
        long[] key = ParticleStore.keysOf(features);
        EquilibriumPropagation engine = engine(true);
        // when each goes through a free phase keyed by the example's features
        engine.freePhase(before, params(), key);
        engine.freePhase(after, params(), key);
        // then the example has one particle, under its features' key
        assertArrayEquals(key, engine.particles().snapshot().keys());
        // and the input's own rows give the same key as keysOf of the same matrix
        EquilibriumPropagation own = engine(true);
        own.freePhase(features.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5)).dup(), params(), true);
        assertArrayEquals(ParticleStore.keysOf(features.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5)).dup()), own.particles().snapshot().keys());
    }

    @Test
    void aStoreWithoutRoomIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ParticleStore(TOPOLOGY, 0));
        assertTrue(e.getMessage().contains("at least 1") && e.getMessage().contains("Turn persistent particles off"),
                e.getMessage());
    }
}
