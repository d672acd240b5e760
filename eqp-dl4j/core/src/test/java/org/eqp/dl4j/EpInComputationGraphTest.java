package org.eqp.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.activations.Activation;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.testing.TinyProblems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;

/** The EP layer as the output of a ComputationGraph: fed by two merged inputs, or by a backprop layer. */
class EpInComputationGraphTest {

    @Test
    void trainsOnMergedInputsAndSurvivesSerialization(@TempDir Path dir) throws Exception {
        trainAndRoundTrip(new EpOutputLayer.Builder().nIn(6).nOut(3).hidden(8), dir);
    }

    @Test
    void aSmallWorldEpHeadWorksInAGraphToo(@TempDir Path dir) throws Exception {
        trainAndRoundTrip(new EpOutputLayer.Builder().nIn(6).nOut(3).hidden(8, 8).smallWorld(0.2).topologySeed(2)
                .freeIterations(40).nudgedIterations(6), dir);
    }

    @Test
    void thePreprintsIntralayerTopologyWorksInAGraphToo(@TempDir Path dir) throws Exception {
        trainAndRoundTrip(new EpOutputLayer.Builder().nIn(6).nOut(3).hidden(8, 8).smallWorldIntralayer(30)
                .topologySeed(2).freeIterations(40).nudgedIterations(6), dir);
    }

    @Test
    void aBackpropDenseLayerUnderASmallWorldEpHeadTrainsThroughGraphFit() {
        // given a graph input -> backprop DenseLayer (6 -> 5) -> small-world EP head
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(4).updater(new Sgd(0.1))
                .graphBuilder().addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.SIGMOID).build(), "in")
                .addLayer("ep", new EpOutputLayer.Builder().nIn(5).nOut(3).hidden(8, 8).smallWorldAdd(0.2)
                        .topologySeed(3).freeIterations(40).nudgedIterations(6).build(), "dense")
                .setOutputs("ep").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        INDArray denseBefore = graph.getLayer("dense").params().dup();
        DataSet train = TinyProblems.blobs(150, 6, 3, 23);
        // when fitted with a DataSetIterator
        graph.fit(new ListDataSetIterator<>(train.asList(), 10), 40);
        // then EP's input gradient reached the dense layer, and the graph classifies the training blobs
        assertNotEquals(denseBefore, graph.getLayer("dense").params());
        double error = 1 - accuracy(graph.outputSingle(train.getFeatures()), train.getLabels());
        assertTrue(error < 0.15, "hybrid graph error " + error);
    }

    private static void trainAndRoundTrip(EpOutputLayer.Builder epHead, Path dir) throws Exception {
        // given a graph: two inputs (features 0-2 and 3-5) merged into an EP head
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).updater(new Sgd(0.1))
                .graphBuilder().addInputs("left", "right")
                .addVertex("merged", new MergeVertex(), "left", "right")
                .addLayer("ep", epHead.build(), "merged")
                .setOutputs("ep").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        DataSet train = TinyProblems.blobs(150, 6, 3, 21);
        DataSet test = TinyProblems.blobs(150, 6, 3, 22);
        // when fitted for some epochs
        for (int epoch = 0; epoch < 30; epoch++) {
            for (DataSet batch : train.batchBy(10)) {
                graph.fit(split(batch));
            }
        }
        // then it classifies the held-out blobs
        INDArray out = graph.outputSingle(split(test).getFeatures());
        double error = 1 - accuracy(out, test.getLabels());
        assertTrue(error < 0.1, "graph error " + error);
        // and JSON and ModelSerializer round trips are exact
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
        File file = dir.resolve("graph.zip").toFile();
        ModelSerializer.writeModel(graph, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
        assertEquals(graph.params(), restored.params());
        assertEquals(graph.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        assertEquals(out, restored.outputSingle(split(test).getFeatures()));
    }

    private static MultiDataSet split(DataSet d) {
        INDArray x = d.getFeatures();
        return new MultiDataSet(new INDArray[] {x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3)).dup(),
                x.get(NDArrayIndex.all(), NDArrayIndex.interval(3, 6)).dup()}, new INDArray[] {d.getLabels()});
    }

    private static double accuracy(INDArray out, INDArray labels) {
        int[] p = out.argMax(1).toIntVector();
        int[] y = labels.argMax(1).toIntVector();
        int ok = 0;
        for (int i = 0; i < p.length; i++) {
            ok += p[i] == y[i] ? 1 : 0;
        }
        return ok / (double) p.length;
    }
}
