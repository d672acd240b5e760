package org.eqp.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.KryoException;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.testing.TinyProblems;
import org.junit.jupiter.api.Test;
import org.nd4j.kryo.Nd4jRegistrator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/** With Spark's Kryo serializer and {@link EpKryoRegistrator}, EP networks train as with Java serialization. */
class KryoTest {
    private static final DataSet DATA = TinyProblems.blobs(40, 6, 3, 21);
    private static final int BATCH = 10;

    private static MultiLayerConfiguration conf() {
        return new NeuralNetConfiguration.Builder().seed(5).updater(new Sgd(0.1)).list()
                .layer(new EpOutputLayer.Builder().nIn(6).nOut(3).hidden(8).freeIterations(10).nudgedIterations(3)
                        .blockUpdaters(new Adam(0.02), new Sgd(0.05)).build())
                .build();
    }

    private static MultiLayerNetwork trained() {
        MultiLayerNetwork net = new MultiLayerNetwork(conf());
        net.init();
        net.fit(DATA);
        return net;
    }

    @Test
    void ndFourJsOwnRegistratorCannotWriteAnEpConfiguration() {
        // given Kryo with ND4J's registrator only, and the broadcast of an EP network
        SparkConf conf = new SparkConf().set("spark.kryo.registrator", Nd4jRegistrator.class.getName());
        SerializerInstance kryo = new KryoSerializer(conf).newInstance();
        MultiLayerNetwork net = trained();
        NetBroadcastTuple tuple = new NetBroadcastTuple(
                JsonSerializedConfiguration.copyOf(net.getLayerWiseConfigurations()), net.params(),
                net.getUpdater().getStateViewArray());
        // when written, then Kryo's field serializer fails on the EP settings, a record
        KryoException e = assertThrows(KryoException.class,
                () -> kryo.serialize(tuple, ClassTag$.MODULE$.apply(NetBroadcastTuple.class)));
        assertTrue(e.getMessage().contains("org.eqp.learning.EpSettings"), e.getMessage());
    }

    @Test
    void theBroadcastRoundTripsThroughKryo() {
        // given the broadcast SparkEpTraining makes of a trained EP network
        MultiLayerNetwork net = trained();
        NetBroadcastTuple tuple = new NetBroadcastTuple(
                JsonSerializedConfiguration.copyOf(net.getLayerWiseConfigurations()), net.params(),
                net.getUpdater().getStateViewArray());
        SerializerInstance kryo = new KryoSerializer(LocalSpark.withKryo(new SparkConf())).newInstance();
        ClassTag<NetBroadcastTuple> tag = ClassTag$.MODULE$.apply(NetBroadcastTuple.class);

        // when Kryo writes and reads it
        ByteBuffer bytes = kryo.serialize(tuple, tag);
        NetBroadcastTuple read = kryo.deserialize(bytes, tag);

        // then the configuration comes back as plain DL4J JSON, parameters and updater state bit for bit
        assertSame(MultiLayerConfiguration.class, read.getConfiguration().getClass());
        assertEquals(net.getLayerWiseConfigurations().toJson(), read.getConfiguration().toJson());
        assertEquals(0.0, Diffs.maxAbs(net.params(), read.getParameters()));
        assertEquals(0.0, Diffs.maxAbs(net.getUpdater().getStateViewArray(), read.getUpdaterState()));
    }

    @Test
    void oneWorkerUnderKryoEqualsSingleMachineFit() {
        // given Spark with Kryo, one worker averaging after every minibatch
        List<DataSet> batches = SparkData.batches(DATA, BATCH);
        RecordingHook.clear();
        SparkEpTraining training = SparkEpTraining.builder().workers(1).batchSizePerWorker(BATCH)
                .averagingFrequency(1).seed(3).trainingHook(new RecordingHook()).build();
        JavaSparkContext sc = LocalSpark.startWithKryo(1, "kryo");
        MultiLayerNetwork spark;
        try {
            // when trained on Spark and replayed on one machine in the worker's order
            spark = training.fit(sc, conf(), SparkData.minibatches(sc, DATA, BATCH, 1));
        } finally {
            sc.stop();
        }
        List<Integer> order = Replay.recordedOrder(batches);
        MultiLayerNetwork single = Replay.fit(conf(), batches, order);

        // then each minibatch was fitted once and the parameters are equal
        assertEquals(batches.size(), order.stream().distinct().count(), "order " + order);
        assertEquals(0.0, Diffs.maxAbs(spark.params(), single.params()));
        assertEquals(0.0, Diffs.maxAbs(spark.getUpdater().getStateViewArray(),
                single.getUpdater().getStateViewArray()));
    }
}
