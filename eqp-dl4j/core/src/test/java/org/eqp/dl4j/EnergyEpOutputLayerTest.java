package org.eqp.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.eqp.dl4j.conf.EnergyEpOutputLayer;
import org.eqp.energy.ConvEnergy;
import org.eqp.energy.DenseEnergy;
import org.eqp.learning.EpSettings;
import org.eqp.testing.TinyProblems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

/** A SameDiff energy inside DL4J: fit, evaluate, JSON and ModelSerializer, a backprop layer below, a conv energy. */
class EnergyEpOutputLayerTest {
    private static final EpSettings SETTINGS = new EpSettings(0.5, 1.0, 12, 4, true, false, 0, false);

    private static MultiLayerNetwork network(boolean denseBelow) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(5).updater(new Sgd(0.2))
                .list();
        if (denseBelow) {
            list.layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.SIGMOID).updater(new Adam(0.01))
                    .build());
        }
        list.layer(new EnergyEpOutputLayer.Builder().nIn(denseBelow ? 6 : 4).nOut(3).energy(new DenseEnergy(12))
                .settings(SETTINGS).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    private static ListDataSetIterator<DataSet> batches(DataSet data) {
        return new ListDataSetIterator<>(data.asList(), 10);
    }

    @Test
    void aSameDiffEnergyLayerLearnsAndRoundTripsThroughJsonAndModelSerializer(@TempDir Path dir) throws IOException {
        // given a network whose output layer is a dense Hopfield energy written in SameDiff
        DataSet data = TinyProblems.blobs(60, 4, 3, 5);
        MultiLayerNetwork net = network(false);
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()));
        // when DL4J fits it
        net.fit(batches(data), 10);
        // then it classifies the blobs, and a saved copy predicts the same
        double accuracy = net.evaluate(batches(data)).accuracy();
        System.out.printf("EnergyEpOutputLayer on blobs: accuracy %.3f%n", accuracy);
        assertTrue(accuracy > 0.9, "accuracy " + accuracy);
        File file = dir.resolve("energy-net.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(net.output(data.getFeatures()), restored.output(data.getFeatures()));
        // and both train on to the same parameters (the iteration count that draws beta's sign travels too)
        DataSet firstBatch = new DataSet(data.getFeatures().get(NDArrayIndex.interval(0, 10)),
                data.getLabels().get(NDArrayIndex.interval(0, 10)));
        net.fit(firstBatch);
        restored.fit(firstBatch);
        assertEquals(net.params(), restored.params());
    }

    @Test
    void aBackpropLayerBelowReceivesEpsEstimateOfItsGradient() {
        // given a sigmoid dense layer under the energy layer
        DataSet data = TinyProblems.blobs(30, 4, 3, 8);
        MultiLayerNetwork net = network(true);
        INDArray before = net.getLayer(0).params().dup();
        // when one batch trains
        net.fit(data);
        // then the dense layer moved (EP's dL/d(input) reached it) and the whole net stays finite
        INDArray after = net.getLayer(0).params();
        assertNotEquals(before, after);
        assertFalse(after.isNaN().any() || after.isInfinite().any());
    }

    @Test
    void aConvolutionalEnergyTrainsOnImages() {
        // given 6x6 one-channel images of two kinds (bright left half / bright right half) and a conv energy
        // (3x3 conv + 2x2 pool to 2 maps of 2x2, dense to 2 outputs)
        int n = 20;
        INDArray x = Nd4j.zeros(DataType.FLOAT, n, 36);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 2);
        for (int i = 0; i < n; i++) {
            int kind = i % 2;
            for (int r = 0; r < 6; r++) {
                for (int c = 0; c < 3; c++) {
                    x.putScalar(i, r * 6 + c + 3 * kind, 1.0);
                }
            }
            y.putScalar(i, kind, 1.0);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .updater(new Sgd(0.5)).list().layer(new EnergyEpOutputLayer.Builder().nIn(36).nOut(2)
                        .energy(new ConvEnergy(1, 6, 6, new int[] {2}, 3, 2)).settings(SETTINGS).build()).build());
        net.init();
        // when it trains for 20 steps
        DataSet data = new DataSet(x, y);
        for (int i = 0; i < 20; i++) {
            net.fit(data);
        }
        // then it tells the two kinds apart
        double accuracy = net.evaluate(new ListDataSetIterator<>(data.asList(), 10)).accuracy();
        System.out.printf("conv energy on two image kinds: accuracy %.3f%n", accuracy);
        assertEquals(1.0, accuracy);
    }

    @Test
    void inputsThatDoNotFitTheConvEnergyAreRejectedAtInit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MultiLayerNetwork(
                new NeuralNetConfiguration.Builder().list().layer(new EnergyEpOutputLayer.Builder().nIn(30).nOut(2)
                        .energy(ConvEnergy.mnist(4)).build()).build()).init());
        assertTrue(e.getMessage().contains("takes 1x28x28 = 784 inputs"), e.getMessage());
    }
}
