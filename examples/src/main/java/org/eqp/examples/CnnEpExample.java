package org.eqp.examples;

import java.util.Locale;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.data.DatasetRequest;
import org.eqp.data.Datasets;
import org.eqp.data.LoadedDataset;
import org.eqp.data.ShufflingDataSetIterator;
import org.eqp.dl4j.conf.EpLayer;
import org.eqp.dl4j.listener.EpTrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A small convolutional front end (DL4J convolution and max-pooling layers, trained by backprop) feeding an EP block
 * ({@link EpLayer}, small-world, trained by EP from the gradient arriving from above) under a softmax head, on MNIST:
 * <pre>  [28x28] conv 5x5x20 relu, pool 2 -&gt; conv 5x5x50 relu, pool 2 -&gt; dense 256 sigmoid -&gt;
 *   EP block 256-128-64 (small-world p = 0.1) -&gt; softmax 10</pre>
 * The dense sigmoid layer brings the features into the EP block's [0, 1] range. Usage:
 * {@code CnnEpExample [epochs] [trainExamples]} (default 5 epochs on all 60,000 examples); prints test error and
 * seconds per epoch.
 */
public final class CnnEpExample {
    private CnnEpExample() {
    }

    /** The network (seeded). */
    public static MultiLayerNetwork build(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(1e-3)).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(20).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(50).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder().nOut(256).activation(Activation.SIGMOID).build())
                .layer(new EpLayer.Builder().nOut(64).hidden(128).smallWorld(0.1).topologySeed(seed).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    public static void main(String[] args) {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        DatasetRequest.Builder request = DatasetRequest.builder().spec("mnist");
        if (args.length > 1) {
            request.trainLimit(Integer.parseInt(args[1]));
        }
        LoadedDataset mnist = Datasets.load(request.build());
        MultiLayerNetwork net = build(1);
        net.setListeners(new EpTrainingListener("CNN-EP", null,
                new ShufflingDataSetIterator(mnist.test(), 500, 1, false),
                r -> System.out.printf(Locale.ROOT, "epoch %d: test error %.2f %%, %.1f s%n", r.epoch(),
                        100 * r.testError(), r.seconds())));
        for (int e = 0; e < epochs; e++) {
            net.fit(new ShufflingDataSetIterator(mnist.train(), 64, 1 + e, true));
        }
    }
}
