package org.eqp.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.dl4j.layers.EpLayerStats;
import org.eqp.dl4j.layers.EpOutputLayerImpl;
import org.eqp.learning.ParticleStore;
import org.eqp.testing.TinyProblems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * A copy of an EP network (restored from a model file, or cloned) trains on exactly as the original does: the random
 * sign of beta continues where it stopped, and with persistent particles EpModelSerializer carries them, so parameters
 * agree bit for bit.
 */
class ExactResumeTest {
    private static final DataSet DATA = TinyProblems.blobs(40, 6, 3, 21);
    private static final int BATCH = 10;

    /** 6-8-3, random sign on (the default), per-block Adam and SGD. */
    static MultiLayerNetwork network() {
        return network(false);
    }

    /**
     * 6-8-3, random sign on (the default), per-block Adam and SGD; with particles, 3 free steps (far from
     * equilibrium, so where a free phase starts shows in the weights).
     */
    static MultiLayerNetwork network(boolean particles) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).updater(new Sgd(0.1))
                .list().layer(epLayer(particles).build()).build());
        net.init();
        return net;
    }

    private static EpOutputLayer.Builder epLayer(boolean particles) {
        return new EpOutputLayer.Builder().nIn(6).nOut(3).hidden(8).freeIterations(particles ? 3 : 10)
                .nudgedIterations(3).persistentParticles(particles).blockUpdaters(new Adam(0.02), new Sgd(0.05));
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

    static ParticleStore particles(Model net) {
        Layer ep = net instanceof ComputationGraph graph ? graph.getLayer("ep") : ((MultiLayerNetwork) net).getLayer(0);
        return ((EpOutputLayerImpl) ep).particles();
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

    @Test
    void withParticlesEpModelSerializerResumesExactlyAndModelSerializerAloneDoesNot(@TempDir Path dir)
            throws Exception {
        // given a network with persistent particles trained on three batches, saved with EpModelSerializer
        MultiLayerNetwork original = network(true);
        fitFirstBatches(original);
        assertEquals(3 * BATCH, particles(original).size());
        File file = dir.resolve("model.zip").toFile();
        EpModelSerializer.writeModel(original, file, true);
        // when it is restored by EpModelSerializer, and by DL4J's ModelSerializer alone, and all three train an epoch
        MultiLayerNetwork restored = EpModelSerializer.restoreMultiLayerNetwork(file, true);
        MultiLayerNetwork withoutParticles = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(3 * BATCH, particles(restored).size());
        assertEquals(0, particles(withoutParticles).size());
        fitEpoch(original);
        fitEpoch(restored);
        fitEpoch(withoutParticles);
        // then EpModelSerializer's copy agrees bit for bit; ModelSerializer's (examples restart from zero) does not
        assertBitEqual(original.params(), restored.params());
        assertFalse(Arrays.equals(original.params().toFloatVector(), withoutParticles.params().toFloatVector()),
                "the particles should matter in this test");
    }

    @Test
    void withParticlesACloneGivenTheParticlesTrainsOnExactlyAsTheOriginal() {
        // given a network with persistent particles trained on three batches, and its clone given the particles
        MultiLayerNetwork original = network(true);
        fitFirstBatches(original);
        MultiLayerNetwork copy = original.clone();
        assertEquals(0, particles(copy).size(), "DL4J's clone copies parameters only");
        EpModelSerializer.copyParticles(original, copy);
        // when both train one more epoch
        fitEpoch(original);
        fitEpoch(copy);
        // then they agree bit for bit
        assertBitEqual(original.params(), copy.params());
    }

    @Test
    void aComputationGraphWithParticlesResumesExactlyFromItsModelFile(@TempDir Path dir) throws Exception {
        // given a graph whose EP layer "ep" keeps particles, trained on three batches and saved with EpModelSerializer
        ComputationGraph original = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(6)
                .updater(new Sgd(0.1)).graphBuilder().addInputs("in").addLayer("ep", epLayer(true).build(), "in")
                .setOutputs("ep").build());
        original.init();
        List<DataSet> batches = DATA.batchBy(BATCH);
        for (int b = 0; b < 3; b++) {
            original.fit(batches.get(b));
        }
        File file = dir.resolve("graph.zip").toFile();
        EpModelSerializer.writeModel(original, file, true);
        // when it is restored and both train one more epoch
        ComputationGraph restored = EpModelSerializer.restoreComputationGraph(file, true);
        assertEquals(3 * BATCH, particles(restored).size());
        original.fit(new ListDataSetIterator<>(DATA.asList(), BATCH));
        restored.fit(new ListDataSetIterator<>(DATA.asList(), BATCH));
        // then they agree bit for bit
        assertBitEqual(original.params(), restored.params());
    }

    @Test
    void particlesGoOnlyIntoTheLayerTheyWereSavedFrom(@TempDir Path dir) throws Exception {
        // given a model file with the particles of layer "layer0" of a MultiLayerNetwork
        MultiLayerNetwork net = network(true);
        fitFirstBatches(net);
        File file = dir.resolve("model.zip").toFile();
        EpModelSerializer.writeModel(net, file, false);
        // when they are restored into a graph whose EP layer is called "ep"
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("in").addLayer("ep", epLayer(true).build(), "in").setOutputs("ep").build());
        graph.init();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EpModelSerializer.restoreParticles(graph, file));
        // then the message names the layer and the fix
        assertTrue(e.getMessage().contains("'layer0'") && e.getMessage().contains("network they were saved from"),
                e.getMessage());
    }

    @Test
    void aParticlesEntryHoldingAnythingElseIsRefusedUnread(@TempDir Path dir) throws Exception {
        // given a model file whose particles entry holds another kind of object
        MultiLayerNetwork net = network(true);
        File file = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(net, file, false);
        ModelSerializer.addObjectToFile(file, EpModelSerializer.PARTICLES_KEY, new java.util.ArrayList<>(List.of(1)));
        // when the particles are restored, then reading stops at the unexpected class
        IOException e = assertThrows(IOException.class, () -> EpModelSerializer.restoreParticles(net, file));
        assertTrue(e.getMessage().contains("does not hold EP particles"), e.getMessage());
    }
}
