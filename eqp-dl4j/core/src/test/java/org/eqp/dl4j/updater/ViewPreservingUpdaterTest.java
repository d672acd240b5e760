package org.eqp.dl4j.updater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.testing.TinyProblems;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link ViewPreservingUpdater} and {@link ViewPreservingGraphUpdater} are DL4J's updaters on their standard path: the
 * same parameters and updater state, bit for bit, as the stock updaters, on EP and on backprop networks and graphs,
 * with stateless and stateful updaters.
 */
class ViewPreservingUpdaterTest {
    private static final List<DataSet> BATCHES = TinyProblems.blobs(40, 6, 3, 5).asList();

    /** 6-8-3 EP with per-block updaters (several updater blocks), Adam (state that must carry over). */
    private static MultiLayerNetwork ep() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .updater(new Adam(0.01)).list().layer(new EpOutputLayer.Builder().nIn(6).nOut(3).hidden(8)
                        .blockUpdaters(new Adam(0.02), new Adam(0.01)).freeIterations(8).nudgedIterations(2)
                        .build())
                .build());
        net.init();
        return net;
    }

    /** 6-8-3 sigmoid MLP with L1 and L2 (applied before the updater) and weight decay (after it). */
    private static MultiLayerNetwork backprop() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .updater(new Sgd(0.1)).l1(1e-3).l2(1e-2).weightDecay(1e-2).list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(8).activation(Activation.SIGMOID).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(8).nOut(3)
                        .activation(Activation.SIGMOID).build())
                .build());
        net.init();
        return net;
    }

    private static void assertSameTraining(Supplier<MultiLayerNetwork> build) {
        MultiLayerNetwork stock = build.get();
        MultiLayerNetwork fixed = ViewPreservingUpdater.install(build.get());
        for (int epoch = 0; epoch < 3; epoch++) {
            stock.fit(new ListDataSetIterator<>(BATCHES, 10));
            fixed.fit(new ListDataSetIterator<>(BATCHES, 10));
        }
        assertInstanceOf(ViewPreservingUpdater.class, fixed.getUpdater());
        assertTrue(((ViewPreservingUpdater) fixed.getUpdater()).getUpdaterBlocks().stream()
                .allMatch(PreshapedUpdaterBlock.class::isInstance), "every block updates without reshaping");
        assertArrayEquals(stock.params().toFloatVector(), fixed.params().toFloatVector());
        if (stock.getUpdater().getStateViewArray() != null) {
            assertArrayEquals(stock.getUpdater().getStateViewArray().toFloatVector(),
                    fixed.getUpdater().getStateViewArray().toFloatVector());
        }
    }

    @Test
    void anEpNetworkWithAdamAndPerLayerRatesTrainsBitIdenticallyToTheStockUpdater() {
        assertSameTraining(ViewPreservingUpdaterTest::ep);
    }

    @Test
    void aBackpropNetworkTrainsBitIdenticallyToTheStockUpdater() {
        assertSameTraining(ViewPreservingUpdaterTest::backprop);
    }

    @Test
    void installingMidwayContinuesTheStockUpdatersState() {
        MultiLayerNetwork straight = ep();
        MultiLayerNetwork switched = ep();
        straight.fit(new ListDataSetIterator<>(BATCHES, 10));
        switched.fit(new ListDataSetIterator<>(BATCHES, 10));
        ViewPreservingUpdater.install(switched);
        straight.fit(new ListDataSetIterator<>(BATCHES, 10));
        switched.fit(new ListDataSetIterator<>(BATCHES, 10));
        assertArrayEquals(straight.params().toFloatVector(), switched.params().toFloatVector());
    }

    @Test
    void theNetworksOwnGradientIsRecognisedAndAnotherArrayIsNot() {
        MultiLayerNetwork net = ep();
        DataSet batch = BATCHES.get(0);
        net.setInput(batch.getFeatures());
        net.setLabels(batch.getLabels());
        net.computeGradientAndScore();
        assertTrue(OwnGradientArray.isBackedBy(net.gradient().gradient(), net.getFlattenedGradients()),
                "DefaultGradient.gradient() is a reshaped view of the network's gradient array");
        assertFalse(OwnGradientArray.isBackedBy(net.gradient().gradient().dup(), net.getFlattenedGradients()));
        assertFalse(OwnGradientArray.isBackedBy(Nd4j.createFromArray(1f, 2f), net.getFlattenedGradients()));
    }

    /** in -> dense (6 -> 5) -> EP head with Adam, as a graph. */
    private static ComputationGraph graph() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(4)
                .updater(new Adam(0.01)).graphBuilder().addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.SIGMOID).build(), "in")
                .addLayer("ep", new EpOutputLayer.Builder().nIn(5).nOut(3).hidden(8).freeIterations(8)
                        .nudgedIterations(2).build(), "dense")
                .setOutputs("ep").build());
        graph.init();
        return graph;
    }

    @Test
    void aGraphWithAnEpHeadTrainsBitIdenticallyToTheStockGraphUpdater() {
        ComputationGraph stock = graph();
        ComputationGraph fixed = ViewPreservingGraphUpdater.install(graph());
        for (int epoch = 0; epoch < 3; epoch++) {
            stock.fit(new ListDataSetIterator<>(BATCHES, 10));
            fixed.fit(new ListDataSetIterator<>(BATCHES, 10));
        }
        assertInstanceOf(ViewPreservingGraphUpdater.class, fixed.getUpdater());
        assertTrue(((ViewPreservingGraphUpdater) fixed.getUpdater()).getUpdaterBlocks().stream()
                .allMatch(PreshapedUpdaterBlock.class::isInstance), "every block updates without reshaping");
        assertArrayEquals(stock.params().toFloatVector(), fixed.params().toFloatVector());
        assertArrayEquals(stock.getUpdater().getStateViewArray().toFloatVector(),
                fixed.getUpdater().getStateViewArray().toFloatVector());
        // and the graph's gradient is recognised as its own, so the standard path ran
        DataSet batch = BATCHES.get(0);
        fixed.setInputs(batch.getFeatures());
        fixed.setLabels(batch.getLabels());
        fixed.computeGradientAndScore();
        assertTrue(OwnGradientArray.isBackedBy(fixed.gradient().gradient(), fixed.getUpdater()
                .getFlattenedGradientsView()));
    }
}
