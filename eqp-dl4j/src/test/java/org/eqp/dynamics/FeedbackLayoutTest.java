package org.eqp.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eqp.topology.SmallWorld;
import org.eqp.topology.Topology;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FeedbackLayoutTest {

    @Test
    void deepNarrowSmallWorldNetsGoDenseAndWideOnesStayInBlocks() {
        int[] narrow = {784, 100, 100, 100, 100, 100, 10};
        int[] wide = {784, 500, 500, 500, 10};
        assertEquals(FeedbackLayout.DENSE, FeedbackLayout.choose(SmallWorld.replace(narrow, 0.1, 1).topology(), 20));
        assertEquals(FeedbackLayout.BLOCKS, FeedbackLayout.choose(Topology.layered(narrow), 20));
        assertEquals(FeedbackLayout.BLOCKS, FeedbackLayout.choose(SmallWorld.replace(wide, 0.1, 1).topology(), 20));
        assertEquals(FeedbackLayout.BLOCKS, FeedbackLayout.choose(Topology.layered(784, 500, 10), 20));
    }

    @Test
    void bothLayoutsRelaxToTheSameStates() {
        // given a 7-6-5-4-3 network with skip and intralayer connections and random weights
        Topology topology = SmallWorld.intralayerReplace(new int[] {7, 6, 5, 4, 3}, 20, 2).topology();
        Nd4j.getRandom().setSeed(3);
        INDArray[] weights = new INDArray[topology.blocks().size()];
        INDArray[] biases = new INDArray[topology.numLayers()];
        for (int k = 0; k < weights.length; k++) {
            var b = topology.blocks().get(k);
            INDArray w = Nd4j.rand(DataType.FLOAT, topology.size(b.from()), topology.size(b.to())).subi(0.5).dup('f');
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
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 7);
        // when the same relaxation runs with the feedback in blocks and as one dense product
        Relaxation blocks = new Relaxation(topology, 4, FeedbackLayout.BLOCKS);
        Relaxation dense = new Relaxation(topology, 4, FeedbackLayout.DENSE);
        for (Relaxation r : new Relaxation[] {blocks, dense}) {
            r.clampInput(x, params);
            r.resetStates();
            r.run(60, 0.5, 0, null);
        }
        // then every layer's states agree up to float rounding, and they moved away from zero
        for (int l = 1; l < topology.numLayers(); l++) {
            assertTrue(blocks.state(l).equalsWithEps(dense.state(l), 1e-5), "layer " + l + ": " + blocks.state(l)
                    + " vs " + dense.state(l));
            assertTrue(blocks.state(l).sumNumber().doubleValue() > 0, "layer " + l + " relaxed");
        }
    }
}
