package org.eqp.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.linalg.learning.config.Sgd;

/** The builder's knobs reach DL4J's training master; bad values are rejected with a message naming them. */
class SparkEpTrainingSettingsTest {
    @Test
    void knobsReachTheTrainingMaster() {
        // given settings for three workers
        SparkEpTraining training = SparkEpTraining.builder().workers(3).batchSizePerWorker(20).averagingFrequency(4)
                .epochs(2).saveUpdater(false).rddTrainingApproach(RDDTrainingApproach.Export).exportDirectory("/data/export")
                .build();
        // when DL4J's training master is made
        ParameterAveragingTrainingMaster master = training.trainingMaster();
        // then it has them, and the RDD's data sets are taken to hold one worker minibatch each
        JsonNode json = json(master);
        assertEquals(3, json.get("numWorkers").asInt());
        assertEquals(20, json.get("batchSizePerWorker").asInt());
        assertEquals(4, json.get("averagingFrequency").asInt());
        assertEquals(20, json.get("rddDataSetNumExamples").asInt());
        assertEquals(false, json.get("saveUpdater").asBoolean());
        assertEquals("Export", json.get("rddTrainingApproach").asText());
        assertEquals("/data/export", json.get("exportDirectory").asText());
        assertEquals("NumPartitionsWorkersDiffers", json.get("repartition").asText());
        assertEquals(2, training.epochs());
    }

    @Test
    void defaultsAreDl4jsExceptTheInMemoryApproach() {
        // given no settings, when the training master is made
        SparkEpTraining training = SparkEpTraining.builder().build();
        ParameterAveragingTrainingMaster master = training.trainingMaster();
        // then workers come from the Spark context, minibatches of 32, averaging every 5, updater state averaged,
        // training from the RDD in memory
        JsonNode json = json(master);
        assertTrue(json.get("numWorkers").isNull());
        assertEquals(32, json.get("batchSizePerWorker").asInt());
        assertEquals(5, json.get("averagingFrequency").asInt());
        assertEquals(true, json.get("saveUpdater").asBoolean());
        assertEquals("Direct", json.get("rddTrainingApproach").asText());
        assertEquals(1, training.epochs());
    }

    @Test
    void outOfRangeKnobsAreRejected() {
        // given a builder, when a knob gets a value below 1, then it says which and what it got
        assertRejected(b -> b.workers(0), "workers must be at least 1; got 0");
        assertRejected(b -> b.batchSizePerWorker(0), "batch size per worker must be at least 1; got 0");
        assertRejected(b -> b.averagingFrequency(-1), "averaging frequency must be at least 1; got -1");
        assertRejected(b -> b.epochs(0), "epochs must be at least 1; got 0");
        assertRejected(b -> b.examplesPerRddDataSet(0), "examples per RDD data set must be at least 1; got 0");
        assertRejected(b -> b.rddTrainingApproach(null), "the RDD training approach is null");
        assertRejected(b -> b.trainingHook(null), "the training hook is null");
        assertRejected(b -> b.exportDirectory(" "), "the export directory is null or blank");
    }

    @Test
    void missingInputsAreRejectedBeforeSparkIsTouched() {
        // given settings and an EP configuration
        SparkEpTraining training = SparkEpTraining.builder().build();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().updater(new Sgd(0.1)).list()
                .layer(new EpOutputLayer.Builder().nIn(4).nOut(3).hidden(5).build()).build();
        // when fit gets no configuration, an uninitialised network, or no data, then it says so
        assertMessage("the network configuration is null",
                () -> training.fit(null, (MultiLayerConfiguration) null, null));
        assertMessage("the network is not initialised: call init() first",
                () -> training.fit(null, new MultiLayerNetwork(conf), null));
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        assertMessage("the training data RDD is null", () -> training.fit(null, net, null));
    }

    /** The training master's settings, as DL4J writes them (its fields have no getters). */
    private static JsonNode json(ParameterAveragingTrainingMaster master) {
        try {
            return new ObjectMapper().readTree(master.toJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertRejected(Consumer<SparkEpTraining.Builder> setting, String message) {
        assertMessage(message, () -> setting.accept(SparkEpTraining.builder()));
    }

    private static void assertMessage(String message, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
