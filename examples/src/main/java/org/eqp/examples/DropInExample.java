package org.eqp.examples;

import java.io.File;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.eqp.data.DatasetRequest;
import org.eqp.data.Datasets;
import org.eqp.data.LoadedDataset;
import org.eqp.data.ShufflingDataSetIterator;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.dl4j.listener.EpTrainingListener;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The README's example: an EP network as one layer of an ordinary DL4J pipeline, on MNIST (run
 * {@code ./eqp data fetch mnist} first). Usage: {@code DropInExample [epochs]}.
 */
public final class DropInExample {
    private DropInExample() {
    }

    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        LoadedDataset mnist = Datasets.load(DatasetRequest.builder().spec("mnist").build());
        DataSetIterator trainIterator = new ShufflingDataSetIterator(mnist.train(), 20, 1, true);
        DataSetIterator testIterator = new ShufflingDataSetIterator(mnist.test(), 500, 1, false);
        INDArray features = mnist.test().getFeatures().getRows(0, 1, 2);

        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1)
                .updater(new Sgd(0.05))                        // any DL4J updater: Sgd, Adam, ...
                .list()
                .layer(new EpOutputLayer.Builder()
                        .nIn(784).nOut(10)
                        .hidden(500)                           // 784-500-10
                        .eps(0.5).beta(1.0).randomSignBeta(true)
                        .freeIterations(20).nudgedIterations(4)
                        .blockUpdaters(new Sgd(0.1), new Sgd(0.05)) // per-layer rates (biases included)
                        .build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.setListeners(new EpTrainingListener("EP", null, testIterator, System.out::println));
        net.fit(trainIterator, epochs);                        // free phase + nudged phase + EP update per batch
        INDArray out = net.output(features);                   // free phase from zero states
        Evaluation eval = net.evaluate(testIterator);
        ModelSerializer.writeModel(net, new File("model.zip"), true);

        System.out.println("outputs of three test images:\n" + out);
        System.out.println(eval.stats());
    }
}
