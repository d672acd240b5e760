package org.eqp.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.testing.TinyProblems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The EP output layer as a DL4J user sees it. */
class EpOutputLayerTest {

    private static MultiLayerConfiguration epConf(EpOutputLayer.Builder layer, org.nd4j.linalg.learning.config.IUpdater updater) {
        return epConf(layer, updater, true);
    }

    /** @param miniBatch DL4J's minibatch averaging ({@code NeuralNetConfiguration.Builder.miniBatch}, default true) */
    private static MultiLayerConfiguration epConf(EpOutputLayer.Builder layer,
                                                  org.nd4j.linalg.learning.config.IUpdater updater, boolean miniBatch) {
        return new NeuralNetConfiguration.Builder().seed(42).miniBatch(miniBatch).updater(updater).list()
                .layer(layer.nIn(6).nOut(3).build()).build();
    }

    private static EpOutputLayer.Builder tinyEp() {
        return new EpOutputLayer.Builder().hidden(8).freeIterations(20).nudgedIterations(4);
    }

    private static MultiLayerNetwork net(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static double error(MultiLayerNetwork net, DataSet data) {
        return 1 - net.evaluate(new ListDataSetIterator<>(data.asList(), 50)).accuracy();
    }

    @Test
    void configurationSurvivesJsonAndYamlRoundTrips() {
        // given a configuration using every EP knob, per-block updaters and a non-default loss
        MultiLayerConfiguration conf = epConf(new EpOutputLayer.Builder().hidden(8, 5).eps(0.3).beta(0.7)
                .freeIterations(11).nudgedIterations(3).randomSignBeta(false).persistentParticles(true)
                .particleCapacity(500).tolerance(1e-4)
                .blockUpdaters(new Sgd(0.1), new Sgd(0.05), new Adam(1e-3)).skipUpdater(new Sgd(0.02))
                .lossFunction(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX), new Sgd(0.01));
        // when it goes through JSON and YAML
        MultiLayerConfiguration fromJson = MultiLayerConfiguration.fromJson(conf.toJson());
        MultiLayerConfiguration fromYaml = MultiLayerConfiguration.fromYaml(conf.toYaml());
        // then nothing is lost
        assertEquals(conf, fromJson);
        assertEquals(conf, fromYaml);
        EpOutputLayer layer = (EpOutputLayer) fromJson.getConf(0).getLayer();
        assertArrayEquals(new int[] {8, 5}, layer.getNetwork().getHiddenSizes());
        assertEquals(0.7, layer.getNetwork().getSettings().beta());
        assertEquals(new Adam(1e-3), layer.getNetwork().getBlockUpdaters()[2]);
        assertEquals(500, layer.getNetwork().getParticleCapacity());
        assertEquals(new Sgd(0.02), layer.getNetwork().getSkipUpdater());
        // and a configuration written before the particle capacity existed reads with the default
        String withoutCapacity = conf.toJson().replaceAll("\\s*\"particleCapacity\"\\s*:\\s*500\\s*,?", "");
        assertTrue(!withoutCapacity.contains("particleCapacity"), withoutCapacity);
        EpOutputLayer old = (EpOutputLayer) MultiLayerConfiguration.fromJson(withoutCapacity).getConf(0).getLayer();
        assertEquals(org.eqp.learning.ParticleStore.DEFAULT_CAPACITY, old.getNetwork().getParticleCapacity());
    }

    @Test
    void modelSerializerRoundTripKeepsOutputsAndUpdaterState(@TempDir Path dir) throws Exception {
        // given a network trained a few steps with Adam
        DataSet data = TinyProblems.blobs(60, 6, 3, 1);
        MultiLayerNetwork net = net(epConf(tinyEp(), new Adam(0.01)));
        for (int i = 0; i < 5; i++) {
            net.fit(data);
        }
        // when saved with its updater and restored
        File file = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        // then the configuration, parameters, updater state and outputs are identical
        assertEquals(net.getLayerWiseConfigurations(), restored.getLayerWiseConfigurations());
        assertEquals(net.params(), restored.params());
        assertEquals(net.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        assertEquals(net.output(data.getFeatures()), restored.output(data.getFeatures()));
    }

    @Test
    void sgdPerformsThePapersUpdateWithPerBlockRatesOnWeightsAndBiases() {
        // given per-block SGD rates 0.5 and 0 (the second block frozen), a network rate of 99 that no parameter may
        // use, no random sign, and the EP gradient of a batch of 10 computed on an identical copy
        MultiLayerNetwork net = net(epConf(tinyEp().randomSignBeta(false).persistentParticles(false)
                .blockUpdaters(new Sgd(0.5), new Sgd(0.0)), new Sgd(99)));
        DataSet data = TinyProblems.blobs(10, 6, 3, 2);
        Map<String, INDArray> gradient = rawGradients(net.clone(), data);
        Map<String, INDArray> before = paramCopies(net);
        // when the batch is fitted
        net.fit(data);
        // then W += alpha * dW with dW the batch-mean EP correction, i.e. each parameter moved by exactly
        // -alpha * gradient with its block's alpha: W0 and the hidden bias b1 at 0.5, W1 and the output bias b2 at 0
        assertStepByRate(net, before, gradient, Map.of("W0", 0.5, "b1", 0.5, "W1", 0.0, "b2", 0.0));
    }

    @Test
    void skipAndIntralayerBlocksTakeTheSkipUpdaterNextToPerBlockUpdaters() {
        // given the preprint's topology on 6-8-8-3 (moved connections within the hidden layers and between layers two
        // apart), per-block SGD rates 0.4, 0.2, 0.1, the skip updater's 0.05, and a network rate of 99 that no
        // parameter may use
        MultiLayerNetwork net = net(epConf(tinyEp().hidden(8, 8).smallWorldIntralayer(30).topologySeed(2)
                .randomSignBeta(false).blockUpdaters(new Sgd(0.4), new Sgd(0.2), new Sgd(0.1))
                .skipUpdater(new Sgd(0.05)), new Sgd(99)));
        var layer = (org.eqp.dl4j.layers.EpOutputLayerImpl) net.getLayer(0);
        java.util.List<org.eqp.topology.Block> blocks = layer.topology().blocks();
        assertTrue(blocks.stream().anyMatch(org.eqp.topology.Block::intralayer), "an intralayer block: " + blocks);
        assertTrue(blocks.stream().anyMatch(b -> !b.adjacent() && !b.intralayer()), "a skip block: " + blocks);
        double[] adjacentRates = {0.4, 0.2, 0.1};
        Map<String, Double> rates = new java.util.HashMap<>();
        for (int k = 0; k < blocks.size(); k++) {
            rates.put("W" + k, blocks.get(k).adjacent() ? adjacentRates[blocks.get(k).from()] : 0.05);
        }
        for (int l = 1; l <= 3; l++) {
            rates.put("b" + l, adjacentRates[l - 1]);
        }
        DataSet data = TinyProblems.blobs(10, 6, 3, 14);
        Map<String, INDArray> gradient = rawGradients(net.clone(), data);
        Map<String, INDArray> before = paramCopies(net);
        // when a batch of 10 is fitted
        net.fit(data);
        // then every block moved by its own rate: the adjacent ones by theirs, the skip and intralayer ones by 0.05
        assertStepByRate(net, before, gradient, rates);
    }

    @Test
    void perBlockUpdatersWithoutASkipUpdaterAreRefusedWhenTheTopologySkipsLayers() {
        // given per-block updaters on the journal's small-world topology (connections moved from the input to the
        // outputs), without a skip updater
        MultiLayerConfiguration conf = epConf(tinyEp().smallWorld(0.3).topologySeed(1)
                .blockUpdaters(new Sgd(0.1), new Sgd(0.05)), new Sgd(0.1));
        // when the network is built, then it is refused, naming the uncovered block and the fix
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net(conf));
        assertTrue(e.getMessage().contains("from layer 0 to layer 2") && e.getMessage().contains("skipUpdater(...)")
                && e.getMessage().contains("drop blockUpdaters"), e.getMessage());
    }

    /** Every weight and bias moved by exactly -rate * gradient (the batch mean), the rate given per parameter. */
    private static void assertStepByRate(MultiLayerNetwork net, Map<String, INDArray> before,
                                         Map<String, INDArray> gradient, Map<String, Double> rates) {
        var layer = net.getLayer(0);
        for (Map.Entry<String, Double> rate : rates.entrySet()) {
            String key = rate.getKey();
            INDArray expected = before.get(key).sub(gradient.get(key).mul(rate.getValue()));
            assertTrue(expected.equalsWithEps(layer.getParam(key), 1e-6), key + " at rate " + rate.getValue()
                    + ": expected " + expected + ", got " + layer.getParam(key));
            assertTrue(gradient.get(key).norm2Number().doubleValue() > 0, key + " has no gradient to test with");
        }
        assertEquals(rates.size() + 1, layer.paramTable().size(), "every weight and bias has a rate (and signDraws)");
    }

    private static Map<String, INDArray> paramCopies(MultiLayerNetwork net) {
        Map<String, INDArray> copies = new java.util.LinkedHashMap<>();
        net.getLayer(0).paramTable().forEach((k, v) -> copies.put(k, v.dup()));
        return copies;
    }

    /**
     * The EP gradient of each parameter, as backpropGradient writes it (descent convention; the batch mean for the
     * weights and biases under DL4J's default minibatch averaging).
     */
    private static Map<String, INDArray> rawGradients(MultiLayerNetwork net, DataSet data) {
        net.initGradientsView();
        var mgr = org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces();
        var layer = net.getLayer(0);
        layer.setInput(data.getFeatures(), mgr);
        ((org.deeplearning4j.nn.api.layers.IOutputLayer) layer).setLabels(data.getLabels());
        Map<String, INDArray> gradients = new java.util.LinkedHashMap<>();
        layer.backpropGradient(null, mgr).getFirst().gradientForVariable().forEach((k, v) -> gradients.put(k, v.dup()));
        return gradients;
    }

    @Test
    void sgdStepEqualsRateTimesBatchMeanCorrection() {
        // given a net with one global SGD rate, an identical net without DL4J's minibatch averaging, and the EP
        // gradient of a batch of 10 as the latter writes it: the correction summed over the batch
        double rate = 0.3;
        EpOutputLayer.Builder ep = tinyEp().randomSignBeta(false).persistentParticles(false);
        MultiLayerNetwork net = net(epConf(ep, new Sgd(rate)));
        MultiLayerNetwork summing = net(epConf(ep, new Sgd(rate), false));
        DataSet data = TinyProblems.blobs(10, 6, 3, 3);
        INDArray sum = rawGradient(summing.clone(), data);
        INDArray before = net.params().dup();
        assertEquals(before, summing.params());
        // when each net fits the batch
        net.fit(data);
        summing.fit(data);
        // then the first moved by -rate * sum / batchSize (the batch mean), the second by -rate * sum
        assertTrue(sum.norm2Number().doubleValue() > 0);
        assertTrue(before.sub(sum.mul(rate / 10)).equalsWithEps(net.params(), 1e-6));
        assertTrue(before.sub(sum.mul(rate)).equalsWithEps(summing.params(), 1e-6));
    }

    /** The gradient backpropGradient writes (EP estimate, descent convention). */
    private static INDArray rawGradient(MultiLayerNetwork net, DataSet data) {
        net.initGradientsView();
        var mgr = org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces();
        var layer = net.getLayer(0);
        layer.setInput(data.getFeatures(), mgr);
        ((org.deeplearning4j.nn.api.layers.IOutputLayer) layer).setLabels(data.getLabels());
        layer.backpropGradient(null, mgr);
        return layer.getGradientsViewArray().dup();
    }

    @Test
    void learnsASeparableProblemWithSquaredErrorAndWithCrossEntropy() {
        DataSet train = TinyProblems.blobs(150, 6, 3, 4);
        DataSet test = TinyProblems.blobs(150, 6, 3, 5);
        MultiLayerNetwork l2 = net(epConf(tinyEp(), new Sgd(0.1)));
        MultiLayerNetwork xent = net(epConf(tinyEp().lossFunction(LossFunctions.LossFunction.MCXENT)
                .activation(Activation.SOFTMAX), new Sgd(0.1)));
        assertTrue(error(l2, test) > 0.3, "untrained nets are near chance");
        for (int epoch = 0; epoch < 30; epoch++) {
            l2.fit(new ListDataSetIterator<>(train.asList(), 10));
            xent.fit(new ListDataSetIterator<>(train.asList(), 10));
        }
        assertTrue(error(l2, test) < 0.1, "L2 error " + error(l2, test));
        assertTrue(error(xent, test) < 0.1, "cross-entropy error " + error(xent, test));
    }

    @Test
    void scoreIsTheCostAtTheFreeEquilibrium() {
        // given an untrained net and data
        MultiLayerNetwork net = net(epConf(tinyEp(), new Sgd(0.1)));
        DataSet data = TinyProblems.blobs(12, 6, 3, 6);
        // when scored
        double score = net.score(data);
        // then it is the mean over examples of ||y - s_y||^2 at the free equilibrium reached from zero states
        INDArray out = net.output(data.getFeatures());
        double expected = data.getLabels().sub(out).norm2Number().doubleValue();
        assertEquals(expected * expected / 12, score, 1e-5);
    }

    @Test
    void aBackpropDenseLayerUnderTheEpHeadLearnsFromEpsEpsilon() {
        // given a hybrid stack: backprop DenseLayer (6 -> 5) under an EP head
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.SIGMOID).build())
                .layer(new EpOutputLayer.Builder().nIn(5).nOut(3).hidden(8).build()).build();
        MultiLayerNetwork hybrid = net(conf);
        DataSet train = TinyProblems.blobs(150, 6, 3, 8);
        DataSet test = TinyProblems.blobs(150, 6, 3, 9);
        INDArray denseBefore = hybrid.getLayer(0).params().dup();
        // when trained
        for (int epoch = 0; epoch < 40; epoch++) {
            hybrid.fit(new ListDataSetIterator<>(train.asList(), 10));
        }
        // then the dense layer's weights moved (it received EP's dL/dx) and the stack classifies well
        assertTrue(hybrid.getLayer(0).params().sub(denseBefore).norm2Number().doubleValue() > 1e-3);
        assertTrue(error(hybrid, test) < 0.15, "hybrid error " + error(hybrid, test));
    }

    @Test
    void inputGradientHasTheDirectionAndSizeOfTheFiniteDifferenceGradient() {
        // given an EP head (beta 0.001, no random sign, phases relaxed to convergence) above a DenseLayer that passes
        // its input through, one example, and EP's estimate of dL/dx, L = ||y - s_y||^2 at the free equilibrium
        MultiLayerNetwork net = net(new NeuralNetConfiguration.Builder().seed(42).updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(6).activation(Activation.IDENTITY).build())
                .layer(tinyEp().randomSignBeta(false).beta(1e-3).freeIterations(200).nudgedIterations(200).eps(0.5)
                        .nIn(6).nOut(3).build()).build());
        net.getLayer(0).setParam("W", org.nd4j.linalg.factory.Nd4j.eye(6).castTo(DataType.FLOAT));
        DataSet data = TinyProblems.blobs(1, 6, 3, 10);
        INDArray x = net.feedForwardToLayer(0, data.getFeatures()).get(1).dup();
        net.initGradientsView();
        var mgr = org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces();
        var layer = (org.eqp.dl4j.layers.EpOutputLayerImpl) net.getLayer(1);
        layer.getParam("b2").assign(0.5); // outputs inside (0, 1), where the loss is differentiable
        layer.setInput(x, mgr);
        layer.setLabels(data.getLabels());
        double[] ep = layer.backpropGradient(null, mgr).getSecond().dup().toDoubleVector();
        // when dL/dx is taken by central differences of the layer's score (the loss at the free equilibrium reached
        // from zero states), each input moved by +-0.01
        double[] finiteDifference = new double[6];
        for (int i = 0; i < 6; i++) {
            float original = x.getFloat(0, i);
            float plus = original + 0.01f;
            float minus = original - 0.01f;
            finiteDifference[i] = (scoreAt(layer, x, i, plus, mgr) - scoreAt(layer, x, i, minus, mgr))
                    / ((double) plus - minus);
            x.putScalar(0, i, original);
        }
        // then EP's estimate has the true gradient's direction and size
        double dot = 0;
        double normEp = 0;
        double normFd = 0;
        double diff = 0;
        for (int i = 0; i < 6; i++) {
            dot += ep[i] * finiteDifference[i];
            normEp += ep[i] * ep[i];
            normFd += finiteDifference[i] * finiteDifference[i];
            diff += (ep[i] - finiteDifference[i]) * (ep[i] - finiteDifference[i]);
        }
        double cosine = dot / Math.sqrt(normEp * normFd);
        double relativeError = Math.sqrt(diff / normFd);
        System.out.printf("EP head's dL/dx against finite differences: cosine %.5f, relative error %.4f%n", cosine,
                relativeError);
        assertTrue(normFd > 0, "the loss depends on the input");
        assertTrue(cosine >= 0.99, "cosine " + cosine);
        assertTrue(relativeError <= 0.05, "|EP - dL/dx| / |dL/dx| = " + relativeError);
    }

    /** The layer's score with input entry (0, i) set to {@code value}. */
    private static double scoreAt(org.eqp.dl4j.layers.EpOutputLayerImpl layer, INDArray x, int i, float value,
                                  org.deeplearning4j.nn.workspace.LayerWorkspaceMgr mgr) {
        x.putScalar(0, i, value);
        layer.setInput(x, mgr);
        return layer.computeScore(0, false, mgr);
    }

    @Test
    void theFirstLayerOfANetworkReturnsNoEpsilon() {
        MultiLayerNetwork net = net(epConf(tinyEp(), new Sgd(0.1)));
        DataSet data = TinyProblems.blobs(4, 6, 3, 12);
        net.initGradientsView();
        var mgr = org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces();
        var layer = (org.eqp.dl4j.layers.EpOutputLayerImpl) net.getLayer(0);
        layer.setInput(data.getFeatures(), mgr);
        layer.setLabels(data.getLabels());
        assertEquals(null, layer.backpropGradient(null, mgr).getSecond());
    }

    @Test
    void badInputIsRejectedWithMessagesNamingTheFix() {
        MultiLayerNetwork net = net(epConf(tinyEp(), new Sgd(0.1)));
        DataSet good = TinyProblems.blobs(4, 6, 3, 11);

        IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> net.output(org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, 4, 7)));
        assertTrue(width.getMessage().contains("[batch, 6]"), width.getMessage());

        INDArray nan = good.getFeatures().dup();
        nan.putScalar(1, 2, Double.NaN);
        IllegalArgumentException notFinite = assertThrows(IllegalArgumentException.class, () -> net.output(nan));
        assertTrue(notFinite.getMessage().contains("NaN"), notFinite.getMessage());

        INDArray badLabels = good.getLabels().mul(3);
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> net.fit(new DataSet(good.getFeatures(), badLabels)));
        assertTrue(range.getMessage().contains("[0, 1]"), range.getMessage());

        IllegalArgumentException classes = assertThrows(IllegalArgumentException.class,
                () -> net.fit(new DataSet(good.getFeatures(), org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, 4, 5))));
        assertTrue(classes.getMessage().contains("[batch, 3]"), classes.getMessage());
    }

    @Test
    void badSettingsAreRejectedAtBuildTime() {
        assertMessage(() -> tinyEp().beta(0).nIn(6).nOut(3).build(), "beta");
        assertMessage(() -> tinyEp().eps(0).nIn(6).nOut(3).build(), "eps");
        assertMessage(() -> tinyEp().eps(-0.5).nIn(6).nOut(3).build(), "eps");
        assertMessage(() -> tinyEp().freeIterations(0).nIn(6).nOut(3).build(), "iteration");
        assertMessage(() -> tinyEp().nudgedIterations(-1).nIn(6).nOut(3).build(), "iteration");
        assertMessage(() -> new EpOutputLayer.Builder().hidden().nIn(6).nOut(3).build(), "hidden");
        assertMessage(() -> new EpOutputLayer.Builder().nIn(6).nOut(3).build(), "hidden");
        assertMessage(() -> tinyEp().blockUpdaters(new Sgd(0.1)).nIn(6).nOut(3).build(), "blockUpdaters");
        assertMessage(() -> tinyEp().particleCapacity(0).nIn(6).nOut(3).build(), "particleCapacity");
    }

    @Test
    void doublePrecisionNetworksAreRejectedClearly() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list()
                .layer(tinyEp().nIn(6).nOut(3).build()).build();
        assertMessage(() -> net(conf), "FLOAT");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable action, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
        assertTrue(e.getMessage().contains(fragment), "message should mention '" + fragment + "': " + e.getMessage());
    }
}
