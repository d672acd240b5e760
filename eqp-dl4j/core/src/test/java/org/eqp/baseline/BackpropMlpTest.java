package org.eqp.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.Random;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.impl.LossL2;

class BackpropMlpTest {

    @TempDir
    File dir;

    private static BackpropMlpConfig small() {
        return BackpropMlpConfig.builder().nIn(2).hiddenSizes(3, 4).nOut(2)
                .layerLearningRates(0.1, 0.05, 0.01).seed(7).build();
    }

    @Test
    void buildsLayersOfTheRequestedShape() {
        // given
        BackpropMlpConfig config = small();
        // when
        MultiLayerNetwork net = BackpropMlp.build(config);
        // then: (2*3+3) + (3*4+4) + (4*2+2)
        assertEquals(3, net.getnLayers());
        assertEquals(35, net.numParams());
        long[][] shapes = {{2, 3}, {3, 4}, {4, 2}};
        double[] rates = {0.1, 0.05, 0.01};
        for (int i = 0; i < 3; i++) {
            FeedForwardLayer layer = (FeedForwardLayer) net.getLayerWiseConfigurations().getConf(i).getLayer();
            assertEquals(shapes[i][0], layer.getNIn());
            assertEquals(shapes[i][1], layer.getNOut());
            assertEquals(rates[i], ((Sgd) layer.getUpdaterByParam("W")).getLearningRate(), 0.0);
            assertEquals(rates[i], ((Sgd) layer.getUpdaterByParam("b")).getLearningRate(), 0.0);
            assertEquals(0.0, net.getLayer(i).getParam("b").sumNumber().doubleValue(), 0.0);
            double bound = Math.sqrt(6.0 / (shapes[i][0] + shapes[i][1]));
            assertTrue(net.getLayer(i).getParam("W").amaxNumber().doubleValue() <= bound);
        }
        BaseLayer hidden = (BaseLayer) net.getLayerWiseConfigurations().getConf(0).getLayer();
        BaseLayer out = (BaseLayer) net.getLayerWiseConfigurations().getConf(2).getLayer();
        assertInstanceOf(ActivationClamp01.class, hidden.getActivationFn());
        assertInstanceOf(ActivationIdentity.class, out.getActivationFn());
        assertInstanceOf(LossL2.class, ((org.deeplearning4j.nn.conf.layers.OutputLayer) out).getLossFn());
    }

    @Test
    void sgdLearnsXorQuadrants() {
        // given: points in [-1,1]^2, class 1 iff x*y > 0, one-hot targets
        int n = 200;
        Random rnd = new Random(42);
        double[][] x = new double[n][2];
        double[][] y = new double[n][2];
        for (int i = 0; i < n; i++) {
            x[i][0] = 2 * rnd.nextDouble() - 1;
            x[i][1] = 2 * rnd.nextDouble() - 1;
            y[i][x[i][0] * x[i][1] > 0 ? 1 : 0] = 1;
        }
        DataSet data = new DataSet(Nd4j.create(x), Nd4j.create(y));
        MultiLayerNetwork net = BackpropMlp.build(BackpropMlpConfig.builder()
                .nIn(2).hiddenSizes(32).nOut(2).learningRate(0.1).seed(3).build());
        double before = error(net, data);
        // when
        for (int step = 0; step < 400; step++) {
            net.fit(data);
        }
        // then
        double after = error(net, data);
        assertTrue(after < 0.15 && after < before - 0.2,
                "error before " + before + ", after " + after);
    }

    private static double error(MultiLayerNetwork net, DataSet data) {
        INDArray predicted = Nd4j.argMax(net.output(data.getFeatures()), 1);
        INDArray actual = Nd4j.argMax(data.getLabels(), 1);
        long wrong = predicted.neq(actual).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue();
        return (double) wrong / data.numExamples();
    }

    @Test
    void configurationJsonRoundTripsWithCustomActivation() {
        // given
        MultiLayerConfiguration conf = BackpropMlp.configuration(small());
        // when
        String json = conf.toJson();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        // then
        assertTrue(json.contains(ActivationClamp01.class.getName()));
        assertEquals(conf, back);
    }

    @Test
    void modelSerializerRoundTrip() throws Exception {
        // given
        MultiLayerNetwork net = BackpropMlp.build(small());
        File file = new File(dir, "mlp.zip");
        INDArray in = Nd4j.createFromArray(new float[][] {{0.3f, -0.2f}});
        // when
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(file);
        // then
        assertEquals(net.getLayerWiseConfigurations(), back.getLayerWiseConfigurations());
        assertArrayEquals(net.output(in).toFloatVector(), back.output(in).toFloatVector(), 0f);
    }

    @Test
    void rejectsBadConfig() {
        assertThrows(IllegalArgumentException.class, () -> BackpropMlpConfig.builder().nOut(2).build());
        assertThrows(IllegalArgumentException.class,
                () -> BackpropMlpConfig.builder().nIn(2).nOut(2).hiddenSizes(0).build());
        assertThrows(IllegalArgumentException.class,
                () -> BackpropMlpConfig.builder().nIn(2).nOut(2).hiddenSizes(3).layerLearningRates(0.1).build());
        assertThrows(IllegalArgumentException.class,
                () -> BackpropMlpConfig.builder().nIn(2).nOut(2).learningRate(-1).build());
    }
}
