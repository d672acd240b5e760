package org.eqp.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.dl4j.conf.EpParamInitializer;
import org.eqp.dl4j.layers.EpOutputLayerImpl;
import org.eqp.learning.EpSettings;
import org.eqp.testing.TinyProblems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Cross-entropy with softmax on the EP layer: a softmax readout of the last hidden layer, outside the energy
 * (Laborieux et al. 2021).
 */
class SoftmaxReadoutLayerTest {
    private static final int HIDDEN = 8;

    private static EpOutputLayer.Builder xent(ILossFunction loss) {
        return new EpOutputLayer.Builder().nIn(6).nOut(3).hidden(HIDDEN).freeIterations(20).nudgedIterations(4)
                .lossFunction(loss).activation(Activation.SOFTMAX);
    }

    private static MultiLayerNetwork net(EpOutputLayer.Builder layer) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(42).updater(new Sgd(0.1)).list()
                .layer(layer.build()).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void betaDefaultsToTheReadoutsBetaWithCrossEntropyAndStaysWhatTheUserSets() {
        // given layers that do not set beta, with and without the readout, and one that sets it
        // then the readout's default is EpSettings.READOUT_BETA, the squared error's is the papers' 1, a set beta wins
        assertEquals(EpSettings.READOUT_BETA, xent(new LossMCXENT()).build().getNetwork().getSettings().beta());
        assertEquals(1.0, new EpOutputLayer.Builder().nIn(6).nOut(3).hidden(HIDDEN).build().getNetwork().getSettings()
                .beta());
        assertEquals(1.0, xent(new LossMCXENT()).beta(1.0).build().getNetwork().getSettings().beta());
        assertEquals(-0.25, xent(new LossMCXENT()).beta(-0.25).build().getNetwork().getSettings().beta());
    }

    @Test
    void theReadoutIsAnExtraParameterBlockOverTheLastHiddenLayerAndOtherLossesKeepTheirLayout() {
        // given the same layer with cross-entropy + softmax and with the default squared error
        EpOutputLayerImpl xent = (EpOutputLayerImpl) net(xent(new LossMCXENT())).getLayer(0);
        EpOutputLayerImpl l2 = (EpOutputLayerImpl) net(new EpOutputLayer.Builder().nIn(6).nOut(3).hidden(HIDDEN))
                .getLayer(0);
        // then the cross-entropy layer relaxes 6-8 and reads the 8 hidden units out into 3 classes
        assertArrayEquals(new int[] {6, HIDDEN}, xent.topology().layerSizes());
        assertArrayEquals(new long[] {HIDDEN, 3}, xent.getParam(EpParamInitializer.READOUT_WEIGHTS).shape());
        assertArrayEquals(new long[] {1, 3}, xent.getParam(EpParamInitializer.READOUT_BIAS).shape());
        assertEquals(java.util.List.of("W0", "b1", "Wout", "bout", "signDraws"),
                java.util.List.copyOf(xent.paramTable().keySet()));
        // and the squared-error layer has the 6-8-3 network and no readout
        assertArrayEquals(new int[] {6, HIDDEN, 3}, l2.topology().layerSizes());
        assertEquals(java.util.List.of("W0", "b1", "W1", "b2", "signDraws"),
                java.util.List.copyOf(l2.paramTable().keySet()));
    }

    @Test
    void theReadoutGradientIsTheCrossEntropyGradientAtTheFreeEquilibrium() {
        for (LossMCXENT loss : new LossMCXENT[] {new LossMCXENT(),
                new LossMCXENT(Nd4j.create(new float[] {0.5f, 2f, 1f}, new long[] {1, 3}))}) {
            // given a layer (unweighted or with class weights) and a batch
            MultiLayerNetwork net = net(xent(loss));
            EpOutputLayerImpl layer = (EpOutputLayerImpl) net.getLayer(0);
            layer.getParam(EpParamInitializer.READOUT_BIAS).assign(Nd4j.create(new float[] {0.3f, -0.2f, 0.1f}));
            DataSet data = TinyProblems.blobs(10, 6, 3, 21);
            // when one EP step computes the gradients
            net.initGradientsView();
            LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
            layer.setInput(data.getFeatures(), mgr);
            ((IOutputLayer) layer).setLabels(data.getLabels());
            org.deeplearning4j.nn.gradient.Gradient gradient = layer.backpropGradient(null, mgr).getFirst();
            // then with s the free-equilibrium hidden states, z = s R + c and dC/dz DL4J's own cross-entropy gradient
            // (p - y for unweighted one-hot labels), the readout's gradient is s^T dC/dz and sum_batch dC/dz
            INDArray s = freeStates(layer, 10);
            INDArray z = s.mmul(layer.getParam(EpParamInitializer.READOUT_WEIGHTS))
                    .addRowVector(layer.getParam(EpParamInitializer.READOUT_BIAS));
            INDArray dCdz = loss.computeGradient(data.getLabels(), z.dup(), new ActivationSoftmax(), null);
            if (loss.getWeights() == null) {
                INDArray p = Transforms.softmax(z, true);
                assertTrue(dCdz.equalsWithEps(p.sub(data.getLabels()), 1e-5), "DL4J's gradient is p - y");
            }
            INDArray readoutWeights = gradient.getGradientFor(EpParamInitializer.READOUT_WEIGHTS);
            assertTrue(s.transpose().mmul(dCdz).equalsWithEps(readoutWeights, 1e-4), loss + ": readout weights");
            assertTrue(dCdz.sum(true, 0).equalsWithEps(gradient.getGradientFor(EpParamInitializer.READOUT_BIAS), 1e-4),
                    loss + ": readout bias");
            assertTrue(readoutWeights.norm2Number().doubleValue() > 0);
        }
    }

    /** The free equilibrium of the last hidden layer in the last training step, [batch, HIDDEN]. */
    private static INDArray freeStates(EpOutputLayerImpl layer, int batch) {
        FloatBuffer view = layer.freeState(layer.topology().outputLayer());
        float[] values = new float[view.limit()];
        view.get(values);
        return Nd4j.create(values, new long[] {batch, HIDDEN}, 'f');
    }

    @Test
    void outputsAreProbabilitiesAndTheScoreIsTheCrossEntropy() {
        // given an untrained cross-entropy layer and a batch
        MultiLayerNetwork net = net(xent(new LossMCXENT()));
        DataSet data = TinyProblems.blobs(12, 6, 3, 22);
        // when it predicts and scores
        INDArray p = net.output(data.getFeatures());
        double score = net.score(data);
        // then each row is a distribution and the score is the mean of -sum y log p
        assertTrue(p.sum(1).equalsWithEps(Nd4j.ones(DataType.FLOAT, 12), 1e-5), "rows sum to 1: " + p);
        assertTrue(p.minNumber().doubleValue() > 0);
        double crossEntropy = -Transforms.log(p, true).mul(data.getLabels()).sumNumber().doubleValue() / 12;
        assertEquals(crossEntropy, score, 1e-5);
    }

    @Test
    void jsonAndModelSerializerRoundTripsKeepTheReadout(@TempDir Path dir) throws Exception {
        // given a trained negative-log-likelihood layer (the readout's other loss)
        MultiLayerNetwork net = net(xent(new org.nd4j.linalg.lossfunctions.impl.LossNegativeLogLikelihood()));
        DataSet data = TinyProblems.blobs(30, 6, 3, 23);
        for (int i = 0; i < 3; i++) {
            net.fit(data);
        }
        // when its configuration goes through JSON and the model through ModelSerializer
        MultiLayerConfiguration fromJson = MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson());
        File file = dir.resolve("xent.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        // then the readout survives: same configuration, parameters, outputs
        assertEquals(net.getLayerWiseConfigurations(), fromJson);
        assertTrue(((EpOutputLayer) fromJson.getConf(0).getLayer()).softmaxReadout());
        assertEquals(net.params(), restored.params());
        assertEquals(net.getLayer(0).getParam(EpParamInitializer.READOUT_WEIGHTS),
                restored.getLayer(0).getParam(EpParamInitializer.READOUT_WEIGHTS));
        assertEquals(net.output(data.getFeatures()), restored.output(data.getFeatures()));
    }

    @Test
    void crossEntropyTrainsATinyProblemAsWellAsTheSquaredError() {
        // given a separable 3-class problem, and the same network with the squared error and with cross-entropy
        DataSet train = TinyProblems.blobs(150, 6, 3, 4);
        DataSet test = TinyProblems.blobs(150, 6, 3, 5);
        MultiLayerNetwork l2 = net(new EpOutputLayer.Builder().nIn(6).nOut(3).hidden(HIDDEN));
        MultiLayerNetwork xent = net(xent(new LossMCXENT()));
        // when both train 20 epochs
        for (int epoch = 0; epoch < 20; epoch++) {
            l2.fit(new ListDataSetIterator<>(train.asList(), 10));
            xent.fit(new ListDataSetIterator<>(train.asList(), 10));
        }
        // then cross-entropy is at least as accurate (one example of slack) and both learned
        double l2Accuracy = l2.evaluate(new ListDataSetIterator<>(test.asList(), 50)).accuracy();
        double xentAccuracy = xent.evaluate(new ListDataSetIterator<>(test.asList(), 50)).accuracy();
        System.out.printf("test accuracy: L2 %.3f, cross-entropy %.3f%n", l2Accuracy, xentAccuracy);
        assertTrue(l2Accuracy > 0.9, "L2 accuracy " + l2Accuracy);
        assertTrue(xentAccuracy >= l2Accuracy - 1.0 / 150, "cross-entropy " + xentAccuracy + " vs L2 " + l2Accuracy);
    }

    @Test
    void aGivenTopologyWithAnOutputLayerIsRejectedForTheReadout() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new EpOutputLayer.Builder().connections(org.eqp.topology.Topology.layered(6, 8, 3))
                        .lossFunction(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build());
        assertTrue(e.getMessage().contains("without the output layer"), e.getMessage());
        assertFalse(new EpOutputLayer.Builder().connections(org.eqp.topology.Topology.layered(6, 8, 3)).build()
                .softmaxReadout());
    }
}
