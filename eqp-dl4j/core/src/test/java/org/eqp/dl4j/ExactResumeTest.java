package org.eqp.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.dl4j.layers.EpLayerStats;
import org.eqp.testing.TinyProblems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * A copy of an EP network (restored from a model file, or cloned) trains on exactly as the original does: the random
 * sign of beta continues where it stopped, so parameters agree bit for bit.
 */
class ExactResumeTest {
    private static final DataSet DATA = TinyProblems.blobs(40, 6, 3, 21);
    private static final int BATCH = 10;

    /** 6-8-3, random sign on (the default), per-block Adam and SGD. */
    static MultiLayerNetwork network() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).updater(new Sgd(0.1))
                .list()
                .layer(new EpOutputLayer.Builder().nIn(6).nOut(3).hidden(8).freeIterations(10).nudgedIterations(3)
                        .blockUpdaters(new Adam(0.02), new Sgd(0.05)).build())
                .build());
        net.init();
        return net;
    }

    /** The first three batches of an epoch, one fit each. */
    static void fitFirstBatches(MultiLayerNetwork net) {
        List<DataSet> batches = DATA.batchBy(BATCH);
        for (int b = 0; b < 3; b++) {
            net.fit(batches.get(b));
        }
    }

    /** One epoch over the data, and the signed beta of each of its steps. */
    static List<Double> fitEpoch(MultiLayerNetwork net) {
        List<Double> betas = new ArrayList<>();
        net.setListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                betas.add(((EpLayerStats) net.getLayer(0)).lastStepStats().signedBeta());
            }
        });
        net.fit(new ListDataSetIterator<>(DATA.asList(), BATCH));
        return betas;
    }

    static void assertBitEqual(INDArray expected, INDArray actual) {
        assertArrayEquals(expected.toFloatVector(), actual.toFloatVector(), "parameters differ");
    }

    static void assertBothSigns(List<Double> betas) {
        assertTrue(betas.contains(1.0) && betas.contains(-1.0), "the epoch should draw both signs of beta: " + betas);
    }

    @Test
    void restoringFromAModelFileThenTrainingEqualsTrainingWithoutTheRoundTrip(@TempDir Path dir) throws Exception {
        // given a network trained on three batches with random sign, saved with its updater and restored
        MultiLayerNetwork original = network();
        fitFirstBatches(original);
        File file = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(original, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        // when both train one more epoch
        List<Double> betas = fitEpoch(original);
        fitEpoch(restored);
        // then they drew both signs and agree bit for bit
        assertBothSigns(betas);
        assertBitEqual(original.params(), restored.params());
    }

    @Test
    void aCloneTrainsOnExactlyAsTheOriginal() {
        // given a network trained on three batches and its clone
        MultiLayerNetwork original = network();
        fitFirstBatches(original);
        MultiLayerNetwork copy = original.clone();
        // when both train one more epoch
        List<Double> betas = fitEpoch(original);
        fitEpoch(copy);
        // then they agree bit for bit
        assertBothSigns(betas);
        assertBitEqual(original.params(), copy.params());
    }

    @Test
    void theEarlyStoppingInMemorySaversCopyTrainsOnExactlyAsTheOriginal() throws Exception {
        // given a network trained on three batches, kept as the best model by DL4J's in-memory saver
        MultiLayerNetwork original = network();
        fitFirstBatches(original);
        InMemoryModelSaver<MultiLayerNetwork> saver = new InMemoryModelSaver<>();
        saver.saveBestModel(original, 0.0);
        MultiLayerNetwork best = saver.getBestModel();
        // when both train one more epoch
        fitEpoch(original);
        fitEpoch(best);
        // then they agree bit for bit
        assertBitEqual(original.params(), best.params());
    }
}
