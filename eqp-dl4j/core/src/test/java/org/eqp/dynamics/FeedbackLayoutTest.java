package org.eqp.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.stream.Stream;
import org.eqp.topology.SmallWorld;
import org.eqp.topology.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FeedbackLayoutTest {

    private static final int[] NARROW = {784, 100, 100, 100, 100, 100, 10};
    private static final int[] WIDE = {784, 500, 500, 500, 10};

    @Test
    void underBlasDeepNarrowSmallWorldNetsGoDenseAndWideOnesStayInBlocks() {
        assertEquals(FeedbackLayout.DENSE, FeedbackLayout.choose(SmallWorld.replace(NARROW, 0.1, 1).topology(), 20, false));
        assertEquals(FeedbackLayout.BLOCKS, FeedbackLayout.choose(Topology.layered(NARROW), 20, false));
        assertEquals(FeedbackLayout.BLOCKS, FeedbackLayout.choose(SmallWorld.replace(WIDE, 0.1, 1).topology(), 20, false));
        assertEquals(FeedbackLayout.BLOCKS, FeedbackLayout.choose(Topology.layered(784, 500, 10), 20, false));
    }

    @Test
    void withTheVectorApiEveryMeasuredNetUsesVectorBlocks() {
        // ./eqp bench --layouts: the Vector API blocks were fastest on all five measured nets
        for (Topology t : new Topology[] {Topology.layered(NARROW), SmallWorld.replace(NARROW, 0.1, 1).topology(),
                Topology.layered(WIDE), SmallWorld.replace(WIDE, 0.1, 1).topology()}) {
            assertEquals(FeedbackLayout.VECTOR_BLOCKS, FeedbackLayout.choose(t, 20, true));
        }
    }

    @Test
    void theTestJvmHasTheVectorApi() {
        // the surefire argLine passes --add-modules jdk.incubator.vector; without it the next test would prove nothing
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "the tests' JVM lacks --add-modules jdk.incubator.vector (see the surefire argLine)");
        // and the relaxation uses it wherever a vector holds at least 8 floats (AVX2 and wider) unless told not to;
        // on 128-bit SIMD (4 floats: SSE, NEON) the BLAS layouts are faster, so there it rightly stays off
        assumeTrue(Boolean.parseBoolean(System.getProperty("eqp.vector", "true")), "-Deqp.vector=false forces BLAS");
        assumeTrue(VectorKernel.LANES >= 8, "this machine's vectors hold " + VectorKernel.LANES + " floats (128-bit "
                + "SIMD): the Vector API layout is meant to stay off here");
        assertTrue(FeedbackLayout.vectorAvailable());
    }

    static Stream<Arguments> networks() {
        Topology intralayer = SmallWorld.intralayerReplace(new int[] {7, 6, 5, 4, 3}, 20, 2).topology();
        // layers of 70 and 130 units take the kernel's four-vector tiles as well as its one-vector tail
        Topology wider = SmallWorld.replace(new int[] {12, 70, 130, 5}, 0.2, 3).topology();
        return Stream.of(Arguments.of(intralayer, 4), Arguments.of(intralayer, 5), Arguments.of(wider, 6));
    }

    @ParameterizedTest
    @MethodSource("networks")
    void everyLayoutRelaxesToTheSameStates(Topology topology, int batch) {
        // given a network with skip (and intralayer) connections, a batch size and random weights
        Nd4j.getRandom().setSeed(3);
        INDArray[] weights = new INDArray[topology.blocks().size()];
        INDArray[] biases = new INDArray[topology.numLayers()];
        for (int k = 0; k < weights.length; k++) {
            var b = topology.blocks().get(k);
            double scale = 2 / Math.sqrt(topology.size(b.from()) + topology.size(b.to())); // keeps the dynamics contracting
            INDArray w = Nd4j.rand(DataType.FLOAT, topology.size(b.from()), topology.size(b.to())).subi(0.5).muli(scale)
                    .dup('f');
            if (b.intralayer()) {
                w = w.add(w.transpose()).dup('f');
            }
            if (!b.dense()) {
                FloatView.of(w).multiplyElementwise(b.mask().toFortranOrderFloats());
            }
            weights[k] = w;
        }
        for (int l = 1; l < biases.length; l++) {
            biases[l] = Nd4j.rand(DataType.FLOAT, 1, topology.size(l)).muli(0.2);
        }
        NetworkParams params = new NetworkParams(topology, weights, biases);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, topology.size(0));
        // when the same relaxation runs with the feedback in BLAS blocks, as one dense product and in Vector API blocks
        Relaxation blocks = new Relaxation(topology, batch, FeedbackLayout.BLOCKS);
        Relaxation dense = new Relaxation(topology, batch, FeedbackLayout.DENSE);
        Relaxation vector = new Relaxation(topology, batch, FeedbackLayout.VECTOR_BLOCKS);
        for (Relaxation r : new Relaxation[] {blocks, dense, vector}) {
            r.clampInput(x, params);
            r.resetStates();
            r.run(60, 0.5, 0, null);
        }
        // then every layer's states agree up to float rounding, and they moved away from zero
        for (int l = 1; l < topology.numLayers(); l++) {
            for (Relaxation other : new Relaxation[] {dense, vector}) {
                assertTrue(blocks.state(l).equalsWithEps(other.state(l), 1e-5), other.layout() + ", layer " + l + ": "
                        + blocks.state(l) + " vs " + other.state(l));
            }
            assertTrue(blocks.state(l).sumNumber().doubleValue() > 0, "layer " + l + " relaxed");
        }
    }
}
