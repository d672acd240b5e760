package org.eqp.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.eqp.dl4j.conf.DirectedEpOutputLayer;
import org.eqp.dl4j.conf.EnergyEpOutputLayer;
import org.eqp.dl4j.conf.EpLayer;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.energy.ConvEnergy;
import org.eqp.learning.EpSettings;
import org.eqp.topology.Topology;
import org.eqp.topology.spec.CustomMasks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Network configurations holding EP layers survive Java serialization (Spark's default serializer broadcasts them to
 * its workers), equal to the original.
 */
class JavaSerializationTest {

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    @Test
    void aMultiLayerConfigurationWithEveryEpLayerKindRoundTrips() throws Exception {
        // given small-world EP with per-block and skip updaters, custom masks, a directed layer and a SameDiff energy
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).updater(new Sgd(0.1)).list()
                .layer(new EpLayer.Builder().nIn(6).nOut(5).hidden(8).smallWorld(0.3)
                        .blockUpdaters(new Adam(0.01), new Sgd(0.05)).skipUpdater(new Sgd(0.02)).build())
                .layer(new EpOutputLayer.Builder().nIn(5).nOut(3).connections(Topology.layered(5, 4, 3))
                        .settings(new EpSettings(0.5, 0.5, 10, 3, true, false, 0, true)).build())
                .build();
        MultiLayerConfiguration directed = new NeuralNetConfiguration.Builder().list()
                .layer(new DirectedEpOutputLayer.Builder().nIn(2).nOut(1).hidden(3).build()).build();
        MultiLayerConfiguration energy = new NeuralNetConfiguration.Builder().list()
                .layer(new EnergyEpOutputLayer.Builder().nIn(36).nOut(2)
                        .energy(new ConvEnergy(1, 6, 6, new int[] {2}, 3, 2)).build()).build();
        // when each goes through Java serialization, then it comes back equal
        for (MultiLayerConfiguration c : new MultiLayerConfiguration[] {conf, directed, energy}) {
            assertEquals(c, roundTrip(c));
            assertEquals(c.toJson(), roundTrip(c).toJson());
        }
        assertEquals(CustomMasks.class, ((EpOutputLayer) roundTrip(conf).getConf(1).getLayer()).getNetwork()
                .getTopologySpec().getClass());
    }

    @Test
    void aComputationGraphConfigurationWithAnEpBlockRoundTrips() throws Exception {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).updater(new Sgd(0.1))
                .graphBuilder().addInputs("a", "b")
                .addLayer("dense", new DenseLayer.Builder().nIn(3).nOut(4).build(), "a")
                .addLayer("ep", new EpLayer.Builder().nIn(7).nOut(4).hidden(5).smallWorld(0.2).build(), "dense", "b")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "ep")
                .setOutputs("out").build();
        assertEquals(conf, roundTrip(conf));
    }
}
