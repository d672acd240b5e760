package org.eqp.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.dl4j.conf.EpLayer;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.dl4j.layers.EpLayerRuntime;
import org.eqp.learning.ParticleStore;
import org.eqp.testing.TinyProblems;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Persistent particles under a trainable layer: the EP layer's input changes after every update, so the particles
 * are keyed by the network's input ({@link ParticleKeys}) and the store keeps one particle per training example
 * however long the network trains.
 */
class HybridParticlesTest {
    private static final DataSet DATA = TinyProblems.blobs(40, 6, 3, 17);
    private static final int EPOCHS = 5;

    /** A backprop dense layer (6 -> 5) under an EP output layer with particles (few steps: a fast test). */
    private static MultiLayerNetwork denseUnderEpOutput(int particleCapacity) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.SIGMOID).build())
                .layer(new EpOutputLayer.Builder().nIn(5).nOut(3).hidden(8).freeIterations(5).nudgedIterations(2)
                        .persistentParticles(true).particleCapacity(particleCapacity).build())
                .build());
        net.init();
        return net;
    }

    /** Dense (6 -> 5) -> EP block with particles (5 -> 4) -> softmax head. */
    private static MultiLayerNetwork denseUnderEpBlock() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(4)
                .updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.SIGMOID).build())
                .layer(new EpLayer.Builder().nIn(5).nOut(4).hidden(6).freeIterations(5).nudgedIterations(2)
                        .persistentParticles(true).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    /** The examples in the order of epoch e: shuffled by Random(e), the same for every network. */
    private static List<DataSet> epochOrder(int epoch) {
        List<DataSet> examples = new ArrayList<>(DATA.asList());
        Collections.shuffle(examples, new Random(epoch));
        return examples;
    }

    /** Trains {@link #EPOCHS} shuffled epochs in batches of 10; the store's size after each. */
    private static List<Integer> trainAndCountParticles(Consumer<DataSetIterator> fitOneEpoch, ParticleStore store) {
        List<Integer> sizes = new ArrayList<>();
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            fitOneEpoch.accept(new ListDataSetIterator<>(epochOrder(epoch), 10));
            sizes.add(store.size());
        }
        return sizes;
    }

    private static Set<Long> keysOf(INDArray features) {
        return Arrays.stream(ParticleStore.keysOf(features)).boxed().collect(Collectors.toSet());
    }

    private static Set<Long> storedKeys(ParticleStore store) {
        return Arrays.stream(store.snapshot().keys()).boxed().collect(Collectors.toSet());
    }

    @Test
    void aDenseLayerUnderAnEpOutputLayerKeepsOneParticlePerExampleEpochAfterEpoch() {
        // given a dense layer under an EP output layer with particles keyed by the network's input
        MultiLayerNetwork net = ParticleKeys.fromNetworkInput(denseUnderEpOutput(ParticleStore.DEFAULT_CAPACITY));
        ParticleStore store = ((EpLayerRuntime) net.getLayer(1)).particles();
        Set<Long> epInputBefore = keysOf(net.feedForwardToLayer(0, DATA.getFeatures()).get(1));

        // when it trains five shuffled epochs on 40 examples
        List<Integer> sizes = trainAndCountParticles(it -> net.fit(it), store);

        // then the EP layer's own input changed for every example (keyed by it, the store would have grown by 40 per
        // epoch, to 200), while the store held exactly one particle per example after every epoch: 40, flat
        Set<Long> epInputAfter = keysOf(net.feedForwardToLayer(0, DATA.getFeatures()).get(1));
        epInputAfter.retainAll(epInputBefore);
        assertEquals(Set.of(), epInputAfter, "the dense layer's outputs did not change");
        assertEquals(List.of(40, 40, 40, 40, 40), sizes);
        assertEquals(keysOf(DATA.getFeatures()), storedKeys(store), "one particle per example, keyed by its features");
        assertEquals(0, store.evictions());
    }

    @Test
    void anEpBlockBetweenADenseLayerAndAHeadKeepsOneParticlePerExampleEpochAfterEpoch() {
        // given dense -> EP block with particles -> softmax head, the particles keyed by the network's input
        MultiLayerNetwork net = ParticleKeys.fromNetworkInput(denseUnderEpBlock());
        ParticleStore store = ((EpLayerRuntime) net.getLayer(1)).particles();
        // when it trains five shuffled epochs on 40 examples
        List<Integer> sizes = trainAndCountParticles(it -> net.fit(it), store);
        // then the store stays at one particle per example
        assertEquals(List.of(40, 40, 40, 40, 40), sizes);
        assertEquals(keysOf(DATA.getFeatures()), storedKeys(store));
    }

    @Test
    void aGraphKeysTheParticlesOfAnEpLayerUnderADenseVertexByTheGraphsInput() {
        // given a graph: input -> dense -> EP output layer with particles, keyed by the graph's input
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(5)
                .updater(new Sgd(0.1)).graphBuilder().addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.SIGMOID).build(),
                        "in")
                .addLayer("ep", new EpOutputLayer.Builder().nIn(5).nOut(3).hidden(8).freeIterations(5)
                        .nudgedIterations(2).persistentParticles(true).build(), "dense")
                .setOutputs("ep").build());
        graph.init();
        ParticleKeys.fromNetworkInput(graph);
        ParticleStore store = ((EpLayerRuntime) graph.getLayer("ep")).particles();
        // when it trains five shuffled epochs on 40 examples
        List<Integer> sizes = trainAndCountParticles(it -> graph.fit(it), store);
        // then the store stays at one particle per example
        assertEquals(List.of(40, 40, 40, 40, 40), sizes);
        assertEquals(keysOf(DATA.getFeatures()), storedKeys(store));
    }

    @Test
    void aFullStoreStaysAtItsCapacity() {
        // given the hybrid with room for 30 particles
        MultiLayerNetwork net = ParticleKeys.fromNetworkInput(denseUnderEpOutput(30));
        ParticleStore store = ((EpLayerRuntime) net.getLayer(1)).particles();
        // when it trains five shuffled epochs on 40 examples
        List<Integer> sizes = trainAndCountParticles(it -> net.fit(it), store);
        // then the store never holds more than 30, and what it holds are the 30 examples used last: the last three
        // batches of the last epoch
        assertEquals(List.of(30, 30, 30, 30, 30), sizes);
        List<DataSet> lastEpoch = epochOrder(EPOCHS - 1);
        assertEquals(keysOf(DataSet.merge(lastEpoch.subList(10, 40)).getFeatures()), storedKeys(store));
        assertTrue(store.evictions() >= 10, "evictions: " + store.evictions());
    }

    @Test
    void withoutTheNetworksInputAHybridRefusesParticlesNamingTheFix() {
        // given the hybrid whose particles are not keyed by the network's input
        MultiLayerNetwork net = denseUnderEpOutput(ParticleStore.DEFAULT_CAPACITY);
        // when it trains, then it refuses, naming both fixes, before storing anything
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.fit(DATA));
        assertTrue(e.getMessage().contains("layer1") && e.getMessage().contains("computed by the layers below")
                && e.getMessage().contains("ParticleKeys.fromNetworkInput(network)")
                && e.getMessage().contains("turn persistentParticles off"), e.getMessage());
        assertEquals(0, ((EpLayerRuntime) net.getLayer(1)).particles().size());
    }

    @Test
    void anEpLayerReadingTheNetworksInputKeysItsParticlesByItWithoutHelp() {
        // given an EP output layer as the first layer, with particles and no ParticleKeys call
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(6)
                .updater(new Sgd(0.1)).list().layer(new EpOutputLayer.Builder().nIn(6).nOut(3).hidden(8)
                        .freeIterations(5).nudgedIterations(2).persistentParticles(true).build())
                .build());
        net.init();
        ParticleStore store = ((EpLayerRuntime) net.getLayer(0)).particles();
        // when it trains five shuffled epochs, then it keeps one particle per example, keyed by its features
        assertEquals(List.of(40, 40, 40, 40, 40), trainAndCountParticles(it -> net.fit(it), store));
        assertEquals(keysOf(DATA.getFeatures()), storedKeys(store));
    }
}
