package org.eqp.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.testing.TinyProblems;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * What a Spark cluster does to the broadcast that local mode skips (there the workers share the driver's object):
 * Java-serialize it and read it back in another place.
 */
class JsonSerializedConfigurationTest {
    private static MultiLayerNetwork network() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).updater(new Sgd(0.1)).list()
                .layer(new EpOutputLayer.Builder().nIn(6).nOut(3).hidden(8, 5).smallWorld(0.3)
                        .blockUpdaters(new Adam(0.02), new Sgd(0.05), new Sgd(0.01)).skipUpdater(new Sgd(0.03)).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.fit(TinyProblems.blobs(10, 6, 3, 1));
        return net;
    }

    @Test
    void thePlainConfigurationOfAnEpNetworkIsJavaSerializableToo() throws Exception {
        // given the broadcast DL4J builds from an EP network's own configuration
        MultiLayerNetwork net = network();
        NetBroadcastTuple tuple = new NetBroadcastTuple(net.getLayerWiseConfigurations(), net.params(),
                net.getUpdater().getStateViewArray());
        // when Java-serialized and read back, then the configuration is the same (the EP configurations are
        // Serializable; the JSON form is for Kryo, which cannot write their record classes)
        NetBroadcastTuple back = deserialize(serialize(tuple));
        assertEquals(net.getLayerWiseConfigurations(), back.getConfiguration());
    }

    @Test
    void theJsonFormTravelsAndRebuildsTheSameNetwork() throws Exception {
        // given the broadcast of a trained EP network (two hidden layers, small-world, Adam and SGD per block) made
        // from the JSON-serialized copy of its configuration
        MultiLayerNetwork net = network();
        MultiLayerConfiguration copy = JsonSerializedConfiguration.copyOf(net.getLayerWiseConfigurations());
        NetBroadcastTuple tuple = new NetBroadcastTuple(copy, net.params(), net.getUpdater().getStateViewArray());

        // when Java-serialized and read back, and a worker's network is rebuilt from it as DL4J's worker does
        NetBroadcastTuple read = deserialize(serialize(tuple));
        MultiLayerNetwork worker = new MultiLayerNetwork(read.getConfiguration().clone());
        worker.init(read.getParameters().unsafeDuplication(), false);
        worker.setUpdater(new org.deeplearning4j.nn.updater.MultiLayerUpdater(worker,
                read.getUpdaterState().unsafeDuplication()));

        // then it is a plain configuration equal to the original, and the rebuilt network trains on exactly as the
        // original does
        assertSame(MultiLayerConfiguration.class, read.getConfiguration().getClass());
        assertEquals(net.getLayerWiseConfigurations().toJson(), read.getConfiguration().toJson());
        DataSet batch = TinyProblems.blobs(10, 6, 3, 2);
        net.fit(batch);
        worker.fit(batch);
        assertEquals(0.0, Diffs.maxAbs(net.params(), worker.params()));
        assertEquals(0.0, Diffs.maxAbs(net.getUpdater().getStateViewArray(), worker.getUpdater().getStateViewArray()));
    }

    @Test
    void theCopySharesTheLayerConfigurationsAndCounters() {
        // given a trained network's configuration
        MultiLayerConfiguration conf = network().getLayerWiseConfigurations();
        // when copied
        MultiLayerConfiguration copy = JsonSerializedConfiguration.copyOf(conf);
        // then the layers' configurations are the same objects and the counters are equal
        assertNotSame(conf, copy);
        assertSame(conf.getConfs(), copy.getConfs());
        assertEquals(conf.getIterationCount(), copy.getIterationCount());
        assertEquals(conf, copy);
    }

    private static byte[] serialize(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static <T> T deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (T) in.readObject();
        }
    }
}
