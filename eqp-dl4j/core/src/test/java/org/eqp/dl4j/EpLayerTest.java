package org.eqp.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.eqp.dl4j.conf.EpLayer;
import org.eqp.dl4j.layers.EpLayerImpl;
import org.eqp.testing.TinyProblems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** An EP block inside a DL4J network: backprop layers below and above it train through EP's estimates. */
class EpLayerTest {

    @Test
    void aGraphWithAnEpBlockOnTwoInputsSurvivesJsonAndModelSerializer(@TempDir Path dir) throws Exception {
        // given a graph: two inputs merged into a small-world EP block, a softmax head above it
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(0.01))
                .graphBuilder().addInputs("a", "b")
                .addLayer("ep", new EpLayer.Builder().nIn(6).nOut(4).hidden(8).smallWorld(0.3).topologySeed(2)
                        .freeIterations(30).nudgedIterations(8).build(), "a", "b")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "ep")
                .setOutputs("out").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        INDArray a = Nd4j.rand(DataType.FLOAT, 5, 2);
        INDArray b = Nd4j.rand(DataType.FLOAT, 5, 4);
        graph.fit(new INDArray[] {a, b}, new INDArray[] {Nd4j.eye(3).getRows(0, 1, 2, 0, 1)});
        // when it goes through JSON and through a model file
        File file = dir.resolve("graph.zip").toFile();
        ModelSerializer.writeModel(graph, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
        // then the configuration and the outputs are the same
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
        assertEquals(graph.params(), restored.params());
        assertEquals(graph.outputSingle(a, b), restored.outputSingle(a, b));
    }

    @Test
    void epsGradientsUnderAndAboveBackpropLayersMatchFiniteDifferencesOfTheLoss() {
        // given dense(sigmoid) -> EP block (fixed small beta, converged phases; small weights and biases 0.5 keep the
        // units away from the hard sigmoid's kinks) -> squared-error head, batch 2
        Nd4j.getRandom().setSeed(5);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                .updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.SIGMOID).build())
                .layer(new EpLayer.Builder().nIn(4).nOut(2).hidden(3).biasInit(0.5)
                        .weightInit(new org.deeplearning4j.nn.conf.distribution.UniformDistribution(-0.3, 0.3))
                        .eps(0.05).beta(0.005).randomSignBeta(false)
                        .freeIterations(2000).nudgedIterations(2000).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(2).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3);
        INDArray y = Nd4j.rand(DataType.FLOAT, 2, 2);
        // when DL4J computes the gradient (EP's estimates for the block, backprop through EP's dL/dx for the dense
        // layer) and finite differences of the score perturb every parameter of the two layers below the head
        net.setInput(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        INDArray flatGradient = net.gradient().gradient().dup();
        int below = Math.toIntExact(net.getLayer(0).numParams() + net.getLayer(1).numParams() - 4); // not the sign state
        double[] analytic = new double[below];
        double[] numeric = new double[below];
        double[] batchDivisor = batchDivisors(net, below, 2);
        INDArray params = net.params();
        for (int i = 0; i < below; i++) {
            float original = params.getFloat(i);
            float h = 3e-3f;
            params.putScalar(i, original + h);
            double plus = net.score(new DataSet(x, y));
            params.putScalar(i, original - h);
            double minus = net.score(new DataSet(x, y));
            params.putScalar(i, original);
            numeric[i] = (plus - minus) / (2 * h);
            analytic[i] = flatGradient.getDouble(i) / batchDivisor[i]; // the score is the batch mean
        }
        // then they agree in direction and size
        double dot = 0;
        double na = 0;
        double nn = 0;
        double diff = 0;
        for (int i = 0; i < below; i++) {
            dot += analytic[i] * numeric[i];
            na += analytic[i] * analytic[i];
            nn += numeric[i] * numeric[i];
            diff += (analytic[i] - numeric[i]) * (analytic[i] - numeric[i]);
        }
        double cosine = dot / Math.sqrt(na * nn);
        double relativeError = Math.sqrt(diff / nn);
        System.out.printf("dense + EP block parameters: cosine %.5f, relative error %.4f%n", cosine, relativeError);
        assertTrue(cosine >= 0.99, "cosine " + cosine);
        assertTrue(relativeError <= 0.05, "relative error " + relativeError);
    }

    /**
     * Per entry of the first {@code count} parameters: {@code batch} where the layer's gradient is a batch sum that
     * DL4J's updater divides ({@code updaterDivideByMinibatch}: the dense layer's), 1 where it is already the batch
     * mean (the EP block's weights and biases).
     */
    private static double[] batchDivisors(MultiLayerNetwork net, int count, int batch) {
        double[] divisors = new double[count];
        int i = 0;
        for (var layer : net.getLayers()) {
            for (var param : layer.paramTable().entrySet()) {
                for (long j = 0; j < param.getValue().length() && i < count; j++) {
                    divisors[i++] = layer.updaterDivideByMinibatch(param.getKey()) ? batch : 1;
                }
            }
        }
        return divisors;
    }

    @Test
    void aDenseEpSoftmaxStackLearnsSeparableBlobs() {
        // given dense(sigmoid) -> EP block -> softmax head on 3 linearly separable blobs
        DataSet data = TinyProblems.blobs(240, 6, 3, 4);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(4)
                .updater(new Adam(0.02)).list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(8).activation(Activation.SIGMOID).build())
                .layer(new EpLayer.Builder().nIn(8).nOut(6).hidden(10).beta(0.5).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        Evaluation before = net.evaluate(new ListDataSetIterator<>(data.asList(), 40));
        // when it trains for 30 epochs
        net.fit(new ListDataSetIterator<>(data.asList(), 20), 30);
        // then it classifies the blobs (chance: 1/3)
        Evaluation after = net.evaluate(new ListDataSetIterator<>(data.asList(), 40));
        assertTrue(after.accuracy() >= 0.9, "accuracy " + before.accuracy() + " -> " + after.accuracy());
        // and the block reports no online error of its own (its targets are gradients, not labels)
        assertEquals(-1, ((EpLayerImpl) net.getLayer(1)).lastStepStats().onlineErrors());
    }

    @Test
    void theParticlesOfAnEpBlockTravelWithTheModelFile(@TempDir Path dir) throws Exception {
        // given a dense -> EP block (persistent particles, keyed by the network's input) -> head stack after one epoch
        DataSet data = TinyProblems.blobs(40, 6, 3, 9);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(9)
                .updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.SIGMOID).build())
                .layer(new EpLayer.Builder().nIn(5).nOut(4).hidden(6).persistentParticles(true).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        ParticleKeys.fromNetworkInput(net);
        net.fit(new ListDataSetIterator<>(data.asList(), 10));
        var held = ((EpLayerImpl) net.getLayer(1)).particles().snapshot();
        // when EpModelSerializer writes and restores it
        File file = dir.resolve("stack.zip").toFile();
        EpModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = EpModelSerializer.restoreMultiLayerNetwork(file, true);
        // then the block's particles, one per example, came back with it
        assertEquals(40, held.keys().length);
        var back = ((EpLayerImpl) restored.getLayer(1)).particles().snapshot();
        assertEquals(java.util.Arrays.toString(held.keys()), java.util.Arrays.toString(back.keys()));
        assertEquals(java.util.Arrays.toString(held.states()), java.util.Arrays.toString(back.states()));
        // and they stay keyed by the network's input: one more epoch adds none
        restored.fit(new ListDataSetIterator<>(data.asList(), 10));
        assertEquals(40, ((EpLayerImpl) restored.getLayer(1)).particles().size());
    }
}
