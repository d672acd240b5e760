package org.eqp.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.nio.ReadOnlyBufferException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.dl4j.layers.EpLayerStats;
import org.eqp.testing.TinyProblems;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

/** What an EP layer shows listeners about its last training step. */
class EpLayerStatsTest {

    @Test
    void theLastTrainingStepsFreeEquilibriumIsAReadOnlyViewUntilTheNextRelaxationOfItsSize() {
        // given a 6-8-3 EP net, an untouched copy, and one batch of 10
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).updater(new Sgd(0.1))
                .list().layer(new EpOutputLayer.Builder().nIn(6).nOut(3).hidden(8).build()).build());
        net.init();
        MultiLayerNetwork before = net.clone();
        DataSet batch = TinyProblems.blobs(10, 6, 3, 4);
        EpLayerStats stats = (EpLayerStats) net.getLayer(0);
        assertThrows(IllegalStateException.class, () -> stats.freeState(1), "no training step yet");
        // when the batch is fitted
        net.fit(batch);
        // then the stats describe that step: the topology, the batch, and the free equilibrium before the update
        assertArrayEquals(new int[] {6, 8, 3}, stats.topology().layerSizes());
        assertEquals(10, stats.lastStepStats().batchSize());
        FloatBuffer outputs = stats.freeState(2);
        INDArray expected = before.output(batch.getFeatures()); // the free phase from zero states, [10, 3]
        assertEquals(30, outputs.limit());
        for (int r = 0; r < 10; r++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(expected.getFloat(r, j), outputs.get(j * 10 + r), "example " + r + ", unit " + j);
            }
        }
        assertTrue(outputs.isReadOnly());
        assertThrows(ReadOnlyBufferException.class, () -> outputs.put(0, 1f));
        assertEquals(80, stats.freeState(1).limit());
        // and once output() relaxes another batch of 10, the view refuses rather than show that batch
        net.output(batch.getFeatures());
        IllegalStateException gone = assertThrows(IllegalStateException.class, () -> stats.freeState(1));
        assertTrue(gone.getMessage().contains("onGradientCalculation"), gone.getMessage());
    }
}
