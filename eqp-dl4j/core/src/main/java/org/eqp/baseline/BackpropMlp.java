package org.eqp.baseline;

import java.util.Objects;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Builds a plain DL4J {@link MultiLayerNetwork} MLP with the same shape as an EP network, as a
 * backprop baseline.
 *
 * <p>Layers: one {@link DenseLayer} per hidden size (hidden activation), then an {@link OutputLayer}
 * (output activation + loss). Weights are Glorot/Xavier uniform, {@code U[-s, s]} with
 * {@code s = sqrt(6 / (fanIn + fanOut))} ({@link WeightInit#XAVIER_UNIFORM}); biases start at 0.
 * Each weight layer uses plain {@link Sgd} with its own learning rate for weights and biases.
 */
public final class BackpropMlp {

    private BackpropMlp() {
    }

    /** The network configuration (not yet instantiated). */
    public static MultiLayerConfiguration configuration(BackpropMlpConfig config) {
        Objects.requireNonNull(config, "config");
        int[] hidden = config.hiddenSizes();
        double[] rates = config.layerLearningRates();
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(config.seed())
                .dataType(config.dataType())
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .updater(new Sgd(rates[0]))
                .list();
        int in = config.nIn();
        for (int i = 0; i < hidden.length; i++) {
            list.layer(new DenseLayer.Builder()
                    .nIn(in).nOut(hidden[i])
                    .activation(config.hiddenActivation())
                    .weightInit(WeightInit.XAVIER_UNIFORM)
                    .biasInit(0.0)
                    .updater(new Sgd(rates[i]))
                    .build());
            in = hidden[i];
        }
        list.layer(new OutputLayer.Builder(config.loss())
                .nIn(in).nOut(config.nOut())
                .activation(config.outputActivation())
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .biasInit(0.0)
                .updater(new Sgd(rates[hidden.length]))
                .build());
        MultiLayerConfiguration conf = list.build();
        // the same-shape baseline has EP's identity output units; argmax classification evaluation is still valid.
        // (Set on the built configuration: ListBuilder.validateOutputLayerConfig does not reach build() in M2.1.)
        conf.setValidateOutputLayerConfig(false);
        return conf;
    }

    /** A new, initialised network (parameters drawn with the configured seed). */
    public static MultiLayerNetwork build(BackpropMlpConfig config) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(config));
        net.init();
        return net;
    }
}
