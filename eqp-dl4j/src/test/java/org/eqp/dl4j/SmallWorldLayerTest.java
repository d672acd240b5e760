package org.eqp.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.testing.TinyProblems;
import org.eqp.topology.Block;
import org.eqp.topology.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

/** An EP layer with a small-world topology, through DL4J. */
class SmallWorldLayerTest {

    private static MultiLayerConfiguration conf() {
        return new NeuralNetConfiguration.Builder().seed(11).updater(new Adam(0.01)).list()
                .layer(new EpOutputLayer.Builder().nIn(6).nOut(3).hidden(8, 8).smallWorld(0.3).topologySeed(4)
                        .freeIterations(40).nudgedIterations(6).build()).build();
    }

    private static MultiLayerNetwork net() {
        MultiLayerNetwork net = new MultiLayerNetwork(conf());
        net.init();
        return net;
    }

    @Test
    void weightsExistOnlyWhereConnectionsDoBeforeAndAfterTraining() {
        MultiLayerNetwork net = net();
        Topology topology = ((EpOutputLayer) net.getLayerWiseConfigurations().getConf(0).getLayer()).topology();
        assertTrue(topology.blocks().stream().anyMatch(b -> !b.adjacent()), "p = 0.3 adds skip blocks");
        assertMaskHolds(net, topology);
        DataSet train = TinyProblems.blobs(60, 6, 3, 40);
        for (int epoch = 0; epoch < 5; epoch++) {
            net.fit(new ListDataSetIterator<>(train.asList(), 10));
        }
        assertMaskHolds(net, topology);
    }

    private static void assertMaskHolds(MultiLayerNetwork net, Topology topology) {
        for (int k = 0; k < topology.blocks().size(); k++) {
            Block b = topology.blocks().get(k);
            INDArray w = net.getLayer(0).getParam("W" + k);
            int nonZero = 0;
            for (int i = 0; i < w.rows(); i++) {
                for (int j = 0; j < w.columns(); j++) {
                    boolean connected = b.dense() || b.mask().connected(i, j);
                    if (!connected) {
                        assertTrue(w.getFloat(i, j) == 0f, "no weight where no connection: block " + k + " (" + i + "," + j
                                + ") holds " + w.getFloat(i, j));
                    } else if (w.getFloat(i, j) != 0f) {
                        nonZero++;
                    }
                }
            }
            assertEquals(topology.connectionCount(b), nonZero, "every connection of block " + k + " has a weight");
        }
    }

    @Test
    void learnsAndSurvivesJsonAndModelSerializer(@TempDir Path dir) throws Exception {
        assertEquals(conf(), MultiLayerConfiguration.fromJson(conf().toJson()));
        MultiLayerNetwork net = net();
        DataSet train = TinyProblems.blobs(150, 6, 3, 41);
        DataSet test = TinyProblems.blobs(150, 6, 3, 42);
        for (int epoch = 0; epoch < 20; epoch++) {
            net.fit(new ListDataSetIterator<>(train.asList(), 10));
        }
        double error = 1 - net.evaluate(new ListDataSetIterator<>(test.asList(), 50)).accuracy();
        assertTrue(error < 0.1, "small-world error " + error);
        File file = dir.resolve("sw.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(net.output(test.getFeatures()), restored.output(test.getFeatures()));
    }
}
