package org.eqp.examples.run;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.dl4j.ParticleKeys;
import org.eqp.dl4j.conf.EpLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A small convolutional front end (DL4J convolution and max-pooling layers, trained by backprop) feeding an EP block
 * ({@link EpLayer}, trained by EP from the gradient arriving from above) under a softmax head, for 28x28 grey images:
 * <pre>  conv 5x5x20 relu, pool 2 -&gt; conv 5x5x50 relu, pool 2 -&gt; dense 256 sigmoid -&gt;
 *   EP block 256-hidden-64 -&gt; softmax</pre>
 * The dense sigmoid layer brings the features into the EP block's [0, 1] range. The whole network trains with Adam.
 */
public final class CnnEpNetwork {
    /** Features the front end hands the EP block. */
    public static final int FEATURES = 256;
    /** Output units of the EP block, read by the softmax head. */
    public static final int EP_OUTPUTS = 64;
    /** The front end in words, for reports. */
    public static final String DESCRIPTION = "conv 5x5x20 relu, pool 2, conv 5x5x50 relu, pool 2, dense 256 sigmoid";
    private static final int SIDE = 28;

    private CnnEpNetwork() {
    }

    /**
     * The network of a run: its EP knobs, hidden sizes and topology for the block, Adam at its first rate.
     *
     * @param nIn  the data's features: 784 (28x28 images)
     * @param nOut classes
     */
    public static MultiLayerNetwork build(EpRunConfig run, int nIn, int nOut) {
        requireFits(run, nIn);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(run.seed())
                .updater(new Adam(run.learningRates()[0])).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(20).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(50).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder().nOut(FEATURES).activation(Activation.SIGMOID).build())
                .layer(new EpLayer.Builder().nOut(EP_OUTPUTS).hidden(run.hidden()).settings(run.settings())
                        .topology(run.topology()).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(nOut)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(SIDE, SIDE, 1)).build());
        net.init();
        return ParticleKeys.fromNetworkInput(net); // with --particles: keyed by the images, not the dense features
    }

    /**
     * @throws IllegalArgumentException unless the data are 28x28 images (784 features) and the run has one rate
     */
    static void requireFits(EpRunConfig run, int nIn) {
        if (nIn != SIDE * SIDE) {
            throw new IllegalArgumentException("the convolutional front end reads 28x28 images (784 features, e.g. "
                    + "--dataset mnist or fashion-mnist); the data has " + nIn);
        }
        if (run.learningRates().length != 1) {
            throw new IllegalArgumentException("cnn-ep trains with one Adam rate (e.g. --lr 0.001); got "
                    + Arrays.toString(run.learningRates()));
        }
    }
}
