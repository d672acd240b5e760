package org.eqp.dl4j.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.metrics.EpochRecord;
import org.eqp.testing.TinyProblems;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

class EpTrainingListenerTest {

    @Test
    void recordsOneRowPerEpochWithOnlineAndEndOfEpochErrors() {
        // given an EP net, training and test data, and a listener collecting records
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).updater(new Sgd(0.1))
                .list().layer(new EpOutputLayer.Builder().nIn(6).nOut(3).hidden(8).build()).build());
        net.init();
        DataSet train = TinyProblems.blobs(60, 6, 3, 30);
        DataSet test = TinyProblems.blobs(30, 6, 3, 31);
        List<EpochRecord> sunk = new ArrayList<>();
        EpTrainingListener listener = new EpTrainingListener("EP", new ListDataSetIterator<>(train.asList(), 30),
                new ListDataSetIterator<>(test.asList(), 30), sunk::add);
        // and a spy counting each batch's misclassified examples at the free equilibrium before the batch's update
        // (a copy of the network relaxes the batch from zero states with the parameters the step started from)
        List<Integer> batchErrors = new ArrayList<>();
        net.setListeners(listener, new org.deeplearning4j.optimize.api.BaseTrainingListener() {
            @Override
            public void onGradientCalculation(org.deeplearning4j.nn.api.Model model) {
                INDArray out = net.clone().output(net.getInput());
                INDArray wrong = out.argMax(1).neq(net.getLabels().argMax(1));
                batchErrors.add(wrong.castTo(org.nd4j.linalg.api.buffer.DataType.INT32).sumNumber().intValue());
            }
        });
        // when trained for three epochs
        net.fit(new ListDataSetIterator<>(train.asList(), 10), 3);
        // then each epoch produced one record, its online error the spy's count over the epoch's 60 examples
        assertEquals(3, sunk.size());
        assertEquals(3 * 6, batchErrors.size());
        assertEquals(sunk, listener.records());
        for (int i = 0; i < 3; i++) {
            EpochRecord r = sunk.get(i);
            assertEquals(i + 1, r.epoch());
            int wrong = batchErrors.subList(6 * i, 6 * i + 6).stream().mapToInt(Integer::intValue).sum();
            assertEquals(wrong / 60.0, r.trainErrorOnline(), 1e-12, "online error of epoch " + (i + 1));
            assertTrue(r.seconds() > 0);
            assertTrue(r.relaxResidual() >= 0);
        }
        // and the last test error is the network's error on the test set
        double expected = 1 - net.evaluate(new ListDataSetIterator<>(test.asList(), 30)).accuracy();
        assertEquals(expected, sunk.get(2).testError(), 1e-12);
    }

    @Test
    void appendsRecordsToAMetricsCsv(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path csv = dir.resolve("metrics.csv");
        EpochRecord first = new EpochRecord("EP", 1, 0.5, 0.4, 0.3, 1.0, 2.0, 0.01);
        EpochRecord second = new EpochRecord("EP", 2, 0.25, 0.2, 0.15, 0.5, 2.5, Double.NaN);
        EpTrainingListener.appendingTo(csv).accept(first);
        EpTrainingListener.appendingTo(csv).accept(second);
        assertEquals(List.of(first, second), org.eqp.metrics.MetricsCsvReader.read(csv));
    }

    @Test
    void singleOutputNetworksAreMeasuredByMeanSquaredError() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(6).list()
                .layer(new EpOutputLayer.Builder().nIn(6).nOut(1).hidden(4).build()).build());
        net.init();
        DataSet data = TinyProblems.blobs(20, 6, 3, 32);
        DataSet regression = new DataSet(data.getFeatures(), data.getLabels().getColumns(0).dup());
        double mse = EpTrainingListener.error(net, new ListDataSetIterator<>(regression.asList(), 10));
        double expected = regression.getLabels().squaredDistance(net.output(regression.getFeatures())) / 20;
        assertEquals(expected, mse, 1e-6);
    }
}
