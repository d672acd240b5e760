package org.eqp.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.eqp.topology.spec.SmallWorldIntralayer;
import java.util.List;
import org.eqp.topology.ConnectionMask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

/** An EP layer with a small-world topology (journal, preprint with intralayer connections, or user-given), through DL4J. */
class SmallWorldLayerTest {

    /** The layer's connectivity, each on a 6-8-8-3 net. */
    enum Kind {
        JOURNAL, PREPRINT, CUSTOM;

        EpOutputLayer.Builder apply(EpOutputLayer.Builder b) {
            return switch (this) {
                case JOURNAL -> b.nIn(6).nOut(3).hidden(8, 8).smallWorld(0.3).topologySeed(4);
                case PREPRINT -> b.nIn(6).nOut(3).hidden(8, 8).smallWorldIntralayer(40).topologySeed(4);
                // hand-made: layered, plus input-to-output and a ring within the first hidden layer
                case CUSTOM -> b.connections(Topology.of(new int[] {6, 8, 8, 3}, List.of(new Block(0, 1),
                        new Block(1, 2), new Block(2, 3), new Block(0, 3, ConnectionMask.of(diagonal(6, 3))),
                        new Block(1, 1, ring(8)))));
            };
        }
    }

    private static boolean[][] diagonal(int rows, int columns) {
        boolean[][] m = new boolean[rows][columns];
        for (int i = 0; i < Math.min(rows, columns); i++) {
            m[i][i] = true;
        }
        return m;
    }

    private static ConnectionMask ring(int n) {
        boolean[][] m = new boolean[n][n];
        for (int i = 0; i < n; i++) {
            m[i][(i + 1) % n] = true;
            m[(i + 1) % n][i] = true;
        }
        return ConnectionMask.of(m);
    }

    private static MultiLayerConfiguration conf(Kind kind) {
        return new NeuralNetConfiguration.Builder().seed(11).updater(new Adam(0.01)).list()
                .layer(kind.apply(new EpOutputLayer.Builder()).freeIterations(40).nudgedIterations(6).build()).build();
    }

    private static MultiLayerNetwork net(Kind kind) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf(kind));
        net.init();
        return net;
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void weightsExistOnlyWhereConnectionsDoBeforeAndAfterTraining(Kind kind) {
        MultiLayerNetwork net = net(kind);
        Topology topology = ((EpOutputLayer) net.getLayerWiseConfigurations().getConf(0).getLayer()).topology();
        assertTrue(topology.blocks().stream().anyMatch(b -> !b.adjacent()), "skip or intralayer blocks exist");
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
            long stored = topology.connectionCount(b) * (b.intralayer() ? 2 : 1);
            assertEquals(stored, nonZero, "every connection of block " + k + " has a weight");
            if (b.intralayer()) {
                assertEquals(w, w.transpose(), "one weight per pair within layer " + b.from());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void learnsAndSurvivesJsonAndModelSerializer(Kind kind, @TempDir Path dir) throws Exception {
        assertEquals(conf(kind), MultiLayerConfiguration.fromJson(conf(kind).toJson()));
        assertEquals(conf(kind), MultiLayerConfiguration.fromYaml(conf(kind).toYaml()));
        MultiLayerNetwork net = net(kind);
        DataSet train = TinyProblems.blobs(150, 6, 3, 41);
        DataSet test = TinyProblems.blobs(150, 6, 3, 42);
        for (int epoch = 0; epoch < 20; epoch++) {
            net.fit(new ListDataSetIterator<>(train.asList(), 10));
        }
        double error = 1 - net.evaluate(new ListDataSetIterator<>(test.asList(), 50)).accuracy();
        assertTrue(error < 0.1, kind + " error " + error);
        File file = dir.resolve("sw.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(net.output(test.getFeatures()), restored.output(test.getFeatures()));
        assertEquals(net.params(), restored.params());
    }

    @Test
    void preprintSkipWeightsStartWithinThePreprintsScale() {
        MultiLayerNetwork net = net(Kind.PREPRINT);
        Topology topology = ((EpOutputLayer) net.getLayerWiseConfigurations().getConf(0).getLayer()).topology();
        for (int k = 0; k < topology.blocks().size(); k++) {
            if (!topology.blocks().get(k).adjacent()) {
                double max = net.getLayer(0).getParam("W" + k).amaxNumber().doubleValue();
                assertTrue(max > 0 && max <= SmallWorldIntralayer.PREPRINT_SKIP_INIT_SCALE, "block " + k + ": " + max);
            }
        }
    }

    @Test
    void aCustomTopologyMustMatchTheLayerSizes() {
        EpOutputLayer layer = Kind.CUSTOM.apply(new EpOutputLayer.Builder()).build();
        layer.setNIn(5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, layer::topology);
        assertTrue(e.getMessage().contains("made for layer sizes [6, 8, 8, 3] but the layer has [5, 8, 8, 3]"),
                e.getMessage());
    }
}
