package org.eqp.dl4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.data.DatasetRequest;
import org.eqp.data.Datasets;
import org.eqp.data.LoadedDataset;
import org.eqp.data.ShufflingDataSetIterator;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.dl4j.listener.EpTrainingListener;
import org.eqp.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Sgd;

/** Statistical end-to-end check: the quickstart network learns MNIST from the 1,000-example fixture. */
class EpMnistFixtureTest {

    @Test
    void quickstartNetworkBeatsChanceClearlyInAFewEpochs() {
        // given the 784-500-10 quickstart network and 1,000 MNIST training / 500 test examples
        LoadedDataset mnist = Datasets.load(DatasetRequest.builder().spec("mnist")
                .dataDir(Fixtures.file("mnist-subset")).build());
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).updater(new Sgd(0.05))
                .list().layer(new EpOutputLayer.Builder().nIn(784).nOut(10).hidden(500)
                        .blockUpdaters(new Sgd(0.1), new Sgd(0.05)).build()).build());
        net.init();
        ShufflingDataSetIterator test = new ShufflingDataSetIterator(mnist.test(), 250, 1, false);
        double before = EpTrainingListener.error(net, test);
        // when trained for three epochs
        net.fit(new ShufflingDataSetIterator(mnist.train(), 20, 1, true), 3);
        // then the test error falls from chance (90 %) to far below it
        double after = EpTrainingListener.error(net, test);
        assertTrue(before > 0.7, "untrained error " + before);
        assertTrue(after < 0.25, "test error after 3 epochs on 1,000 examples: " + after);
    }
}
