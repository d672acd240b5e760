package org.eqp.dl4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.testing.TinyProblems;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The EP layer's score is DL4J's: the loss function's value on the free-equilibrium outputs over the batch size,
 * whether the layer computes it in Java (L2, MSE with the identity: {@link SquaredErrorScore}) or DL4J does.
 */
class SquaredErrorScoreTest {
    private static final DataSet BATCH = TinyProblems.blobs(20, 6, 3, 9);

    static Stream<Arguments> losses() {
        return Stream.of(Arguments.of(LossFunctions.LossFunction.L2, Activation.IDENTITY),
                Arguments.of(LossFunctions.LossFunction.MSE, Activation.IDENTITY),
                Arguments.of(LossFunctions.LossFunction.L2, Activation.SIGMOID),
                Arguments.of(LossFunctions.LossFunction.XENT, Activation.SIGMOID));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("losses")
    void theScoreIsTheLossFunctionsValueOnTheFreeOutputsPerExample(LossFunctions.LossFunction loss, Activation act) {
        // given an EP network with this loss, trained one step
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(4)
                .updater(new Sgd(0.1)).list().layer(new EpOutputLayer.Builder().nIn(6).nOut(3).hidden(8)
                        .lossFunction(loss).activation(act).freeIterations(10).nudgedIterations(2).build())
                .build());
        net.init();
        net.fit(BATCH);
        // when it scores a batch
        double score = net.score(BATCH);
        // then the score is DL4J's loss on the free-equilibrium outputs (the pre-activation) over the batch size
        RelaxingOutputLayer<?> layer = (RelaxingOutputLayer<?>) net.getLayer(0);
        layer.setInput(BATCH.getFeatures(), LayerWorkspaceMgr.noWorkspaces());
        INDArray preOutput = layer.freeOutputs(false).dup();
        ILossFunction lossFn = ((EpOutputLayer) layer.conf().getLayer()).getLossFn();
        double expected = lossFn.computeScore(BATCH.getLabels(), preOutput, act.getActivationFunction(), null, false)
                / BATCH.numExamples();
        assertEquals(expected, score, 1e-6 * Math.max(1, Math.abs(expected)));
    }
}
