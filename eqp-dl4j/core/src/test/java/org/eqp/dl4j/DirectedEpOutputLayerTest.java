package org.eqp.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.eqp.directed.DirectedRule;
import org.eqp.dl4j.conf.DirectedEpOutputLayer;
import org.eqp.dl4j.layers.DirectedEpOutputLayerImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

/** DEEP and vector-field EP as a DL4J output layer. */
class DirectedEpOutputLayerTest {
    private static final DataSet AND = new DataSet(Nd4j.create(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}}),
            Nd4j.create(new float[][] {{0}, {0}, {0}, {1}}));

    private static MultiLayerConfiguration conf(DirectedRule rule, org.nd4j.linalg.learning.config.IUpdater updater,
                                                double lambda) {
        return new NeuralNetConfiguration.Builder().seed(3).updater(updater).list()
                .layer(new DirectedEpOutputLayer.Builder().nIn(2).nOut(1).hidden(5).rule(rule).freeSteps(300)
                        .nudgedSteps(300).pruning(lambda, 5).build()).build();
    }

    @Test
    void deepLearnsAndThroughFitWithSgd() {
        // given the authors' DEEP net (5 hidden units, beta 10) with Sgd(100), the authors' rate
        MultiLayerNetwork net = new MultiLayerNetwork(conf(DirectedRule.DEEP, new Sgd(100), 0));
        net.init();
        // when fitted on the four AND patterns for 100 epochs
        for (int epoch = 0; epoch < 100; epoch++) {
            net.fit(AND);
        }
        // then every pattern is on the right side of 0.5
        INDArray out = net.output(AND.getFeatures());
        for (int r = 0; r < 4; r++) {
            assertEquals(AND.getLabels().getDouble(r, 0), out.getDouble(r, 0) >= 0.5 ? 1.0 : 0.0, 0.0, "pattern " + r
                    + ": " + out);
        }
    }

    @Test
    void prunedEdgesStayAtZeroUnderAdamAndSurviveSerialization(@TempDir Path dir) throws Exception {
        MultiLayerConfiguration conf = conf(DirectedRule.VECTOR_FIELD, new Adam(0.01), 0.05);
        assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()));
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        for (int epoch = 0; epoch < 10; epoch++) {
            net.fit(AND);
        }
        INDArray w = net.getLayer(0).getParam("W");
        INDArray m = net.getLayer(0).getParam("M");
        int n = (int) w.rows();
        int pruned = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (m.getDouble(i, j) == 0) {
                    assertEquals(0.0, w.getDouble(i, j), 0.0, "no weight without an edge: " + i + " -> " + j);
                    pruned += (j >= 3 && i != j) ? 1 : 0;
                }
            }
        }
        assertTrue(pruned > 0, "lambda 0.05 pruned some of the 48 edges");
        assertEquals(48 - pruned, ((DirectedEpOutputLayerImpl) net.getLayer(0)).network().graph().edgeCount());
        File file = dir.resolve("deep.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(net.params(), restored.params());
        assertEquals(net.output(AND.getFeatures()), restored.output(AND.getFeatures()));
    }

    @Test
    void worksAsTheHeadOfAComputationGraph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(4).updater(new Sgd(100))
                .graphBuilder().addInputs("in")
                .addLayer("deep", new DirectedEpOutputLayer.Builder().nIn(2).nOut(1).hidden(5).freeSteps(300)
                        .nudgedSteps(300).build(), "in")
                .setOutputs("deep").build();
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        for (int epoch = 0; epoch < 100; epoch++) {
            graph.fit(AND);
        }
        INDArray out = graph.outputSingle(AND.getFeatures());
        assertTrue(out.getDouble(3, 0) >= 0.5 && out.getDouble(0, 0) < 0.5, out.toString());
    }

    @Test
    void aGivenGraphIsKeptThroughJsonAndTraining() {
        // given a feed-forward-only graph over 2 inputs + bias, 2 hidden, 1 output: inputs and bias -> hidden -> output
        boolean[][] edges = new boolean[6][6];
        for (int i = 0; i < 3; i++) {
            edges[i][3] = true;
            edges[i][4] = true;
        }
        edges[3][5] = true;
        edges[4][5] = true;
        edges[2][5] = true;
        org.eqp.directed.DirectedGraph graph = org.eqp.directed.DirectedGraph.of(2, 2, 1, true, edges);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).updater(new Sgd(1)).list()
                .layer(new DirectedEpOutputLayer.Builder().graph(graph).freeSteps(50).nudgedSteps(20).build()).build();
        assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()));
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        // when trained a little
        for (int epoch = 0; epoch < 3; epoch++) {
            net.fit(AND);
        }
        // then it still has exactly the given edges, and weights only there
        DirectedEpOutputLayerImpl layer = (DirectedEpOutputLayerImpl) net.getLayer(0);
        assertEquals(graph, layer.network().graph());
        INDArray w = layer.getParam("W");
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                assertEquals(edges[i][j], w.getDouble(i, j) != 0, "weight " + i + " -> " + j);
            }
        }
    }
}
