package org.eqp.dl4j.listener;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.testing.TinyProblems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

class CorrectionStatsListenerTest {

    @Test
    void logSpreadIsThePopulationStdDevOfLog10() {
        // log10 values -3, -2, -1: population std-dev sqrt(2/3)
        assertEquals(Math.sqrt(2.0 / 3), CorrectionStatsListener.logSpread(new double[] {1e-3, 1e-2, 1e-1}), 1e-12);
        assertEquals(0.0, CorrectionStatsListener.logSpread(new double[] {0.5, 0.5}), 0.0);
        assertThrows(IllegalArgumentException.class, () -> CorrectionStatsListener.logSpread(new double[] {0.1, -1}));
        assertThrows(IllegalArgumentException.class,
                () -> CorrectionStatsListener.logSpread(new double[] {0.1, Double.NaN}));
    }

    @Test
    void aPairThatNeverReceivedACorrectionMakesTheSpreadsUnbounded() {
        // given a deep net whose input-side pair got no correction at all (8 hidden layers, 18 nudged steps)
        double[] pairs = {0, 1e-4, 1e-3, 1e-2};
        // then the log-spread and the preprint's Spread are +Infinity instead of an error; no corrections at all
        // leave the Spread undefined
        assertEquals(Double.POSITIVE_INFINITY, CorrectionStatsListener.logSpread(pairs));
        assertEquals(Double.POSITIVE_INFINITY, CorrectionStatsListener.preprintSpread(pairs));
        assertTrue(Double.isNaN(CorrectionStatsListener.preprintSpread(new double[] {0, 0, 0})));
    }

    @Test
    void centeredMovingAverageShrinksItsWindowAtTheEnds() {
        assertArrayEquals(new double[] {1.5, 2, 3, 3.5},
                CorrectionStatsListener.centeredMovingAverage(new double[] {1, 2, 3, 4}, 1), 1e-12);
    }

    @Test
    void recordsTheRmsOfEachBlocksBatchMeanCorrection(@TempDir Path dir) throws Exception {
        // given a 6-8-8-3 EP net, the stats listener, and a spy keeping the raw gradients of every batch
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).updater(new Sgd(0.1))
                .list().layer(new EpOutputLayer.Builder().nIn(6).nOut(3).hidden(8, 8).build()).build());
        net.init();
        CorrectionStatsListener stats = new CorrectionStatsListener();
        List<INDArray> raw = new ArrayList<>();
        net.setListeners(stats, new BaseTrainingListener() {
            @Override
            public void onGradientCalculation(Model model) {
                raw.add(net.getLayer(0).getGradientsViewArray().dup());
            }
        });
        DataSet data = TinyProblems.blobs(40, 6, 3, 50);
        // when trained for 4 batches of 10
        net.fit(new ListDataSetIterator<>(data.asList(), 10));
        // then there is one row per batch and block, equal to ||G_k|| / sqrt(connections), G_k the gradient the layer
        // wrote: the batch mean
        assertEquals(4 * 3, stats.rows().size());
        MultiLayerNetwork copy = net.clone();
        copy.getLayer(0).setBackpropGradientsViewArray(raw.get(2));
        INDArray w1Gradient = copy.getLayer(0).getGradientsViewArray();
        var views = org.eqp.dl4j.conf.EpParamInitializer.getInstance()
                .getGradientsFromFlattened(copy.getLayer(0).conf(), w1Gradient);
        double expected = views.get("W1").norm2Number().doubleValue() / Math.sqrt(8 * 8);
        CorrectionStatsListener.Row row = stats.rows().get(2 * 3 + 1);
        assertEquals(2, row.batch());
        assertEquals(1, row.from());
        assertEquals(2, row.to());
        assertEquals(expected, row.rms(), 1e-6 * expected);
        // and the log-spread is the population std-dev of log10 of the three adjacent pairs' mean RMS over the batches
        double[] logMeans = new double[3];
        for (int pair = 0; pair < 3; pair++) {
            int from = pair;
            logMeans[pair] = Math.log10(stats.rows().stream().filter(r -> r.from() == from && r.to() == from + 1)
                    .mapToDouble(CorrectionStatsListener.Row::rms).average().orElseThrow());
        }
        double mean = (logMeans[0] + logMeans[1] + logMeans[2]) / 3;
        double variance = 0;
        for (double l : logMeans) {
            variance += (l - mean) * (l - mean) / 3;
        }
        assertEquals(Math.sqrt(variance), stats.logSpread(), 1e-12);
        // and the mean |dW| map holds the average of |G| over the 4 batches
        float[] meanAbsW1 = stats.meanAbsCorrection(1);
        INDArray expectedMean = org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 8, 8);
        for (INDArray flat : raw) {
            copy.getLayer(0).setBackpropGradientsViewArray(flat);
            var g = org.eqp.dl4j.conf.EpParamInitializer.getInstance()
                    .getGradientsFromFlattened(copy.getLayer(0).conf(), flat).get("W1");
            expectedMean.addi(org.nd4j.linalg.ops.transforms.Transforms.abs(g, true).div(4));
        }
        INDArray actualMean = org.nd4j.linalg.factory.Nd4j.create(meanAbsW1, new long[] {8, 8}, 'f');
        assertTrue(expectedMean.equalsWithEps(actualMean, 1e-6), expectedMean + " vs " + actualMean);
        stats.writeCsv(dir.resolve("rms.csv"));
        assertEquals(1 + 12, Files.readAllLines(dir.resolve("rms.csv")).size());
        assertEquals(stats.logSpread(), CorrectionStatsListener.readCsv(dir.resolve("rms.csv")).logSpread(), 1e-12);
    }

    @Test
    void adjacentRmsRatioIsLargestOverSmallestPairMean() {
        // given two batches of a 3-layer net whose pair 0-1 averages 0.002 and pair 1-2 averages 0.2
        CorrectionStatsListener stats = CorrectionStatsListener.fromRows(List.of(
                new CorrectionStatsListener.Row(0, 0, 0, 1, 0.001), new CorrectionStatsListener.Row(0, 0, 1, 2, 0.1),
                new CorrectionStatsListener.Row(0, 1, 0, 1, 0.003), new CorrectionStatsListener.Row(0, 1, 1, 2, 0.3)));
        // then the ratio is 100 and the log-spread the std-dev of {-2.699, -0.699}: 1
        assertArrayEquals(new double[] {0.002, 0.2}, stats.adjacentMeanRms(), 1e-15);
        assertEquals(100, stats.adjacentRmsRatio(), 1e-9);
        assertEquals(1.0, stats.logSpread(), 1e-12);
    }

    @Test
    void theFigure4VariantPoolsThePerEpochPairMeans() {
        // given pairs with mean RMS 1e-2 .. 1e-5 in epoch 0 and ten times those in epoch 1
        List<CorrectionStatsListener.Row> rows = new ArrayList<>();
        for (int epoch = 0; epoch < 2; epoch++) {
            for (int pair = 0; pair < 4; pair++) {
                rows.add(new CorrectionStatsListener.Row(epoch, epoch, pair, pair + 1, Math.pow(10, -2 - pair + epoch)));
            }
        }
        CorrectionStatsListener stats = CorrectionStatsListener.fromRows(rows);
        // then the log-spread of the means over both epochs is that of log10 {-1.5 .. -4.5}: sqrt(1.25) = 1.1180,
        // and the pooled figure-4 variant that of {-1 .. -5} with -2, -3, -4 twice: sqrt(1.5) = 1.2247
        assertEquals(Math.sqrt(1.25), stats.logSpread(), 1e-3);
        assertEquals(Math.sqrt(1.5), stats.fig4LogSpread(), 1e-12);
    }

    @Test
    void thePreprintSpreadIsTheUpperHalfOverTheLowerHalfOfTheSortedPairTotalsWithoutTheLargest() {
        // given 5 pairs (a network of 6 layers, L = 2) with totals 1, 2, 4, 8 and 100 in shuffled order
        double[] five = {8, 1, 100, 4, 2};
        // then Spread = (4 + 8) / (1 + 2) (eq. 23), the largest left out; with 4 pairs (L = 1) the second smallest over
        // the smallest; fewer than 3 pairs have no Spread
        assertEquals(12.0 / 3, CorrectionStatsListener.preprintSpread(five), 1e-12);
        assertEquals(3.0, CorrectionStatsListener.preprintSpread(new double[] {50, 3, 1, 7}), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> CorrectionStatsListener.preprintSpread(new double[] {1, 2}));
    }

    @Test
    void thePreprintSpreadOfRecordedRowsSumsEachPairOverTheBatches() {
        // given two batches of a 4-pair net, pair totals 0.3, 0.03, 0.003, 0.0003 (output pair first in size)
        List<CorrectionStatsListener.Row> rows = new ArrayList<>();
        for (int batch = 0; batch < 2; batch++) {
            for (int pair = 0; pair < 4; pair++) {
                double total = 0.3 * Math.pow(10, pair - 3);
                rows.add(new CorrectionStatsListener.Row(0, batch, pair, pair + 1, total * (batch == 0 ? 0.25 : 0.75)));
            }
        }
        // then eq. 22 sums the batches and eq. 23 gives the second smallest over the smallest: 10
        assertEquals(10.0, CorrectionStatsListener.fromRows(rows).preprintSpread(), 1e-9);
    }

    @Test
    void countsUnitsSaturatedAtTheBoundsOfTheHardSigmoid(@TempDir Path dir) throws Exception {
        // given 4-5-3 EP nets whose biases (+-5) push every unit far beyond one bound
        for (double bias : new double[] {5, -5}) {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                    .updater(new Sgd(0.0)).list().layer(new EpOutputLayer.Builder().nIn(4).nOut(3).hidden(5)
                            .biasInit(bias).build()).build());
            net.init();
            CorrectionStatsListener stats = new CorrectionStatsListener();
            net.setListeners(stats);
            // when two batches of 10 are fitted
            net.fit(new ListDataSetIterator<>(TinyProblems.blobs(20, 4, 3, 7).asList(), 10));
            // then every unit of both layers is counted at the bound the bias points to, in every batch
            assertEquals(2 * 2, stats.saturationRows().size());
            CorrectionStatsListener.SaturationRow hidden = stats.saturationRows().get(0);
            assertEquals(1, hidden.layer());
            assertEquals(10 * 5, hidden.units());
            double[] expected = bias > 0 ? new double[] {0, 1} : new double[] {1, 0};
            assertArrayEquals(expected, stats.saturatedFractions(1), 0.0);
            assertArrayEquals(expected, stats.saturatedFractions(2), 0.0);
            stats.writeSaturationCsv(dir.resolve("saturation.csv"));
            assertEquals("1,2,30," + (bias > 0 ? "0,30" : "30,0"),
                    Files.readAllLines(dir.resolve("saturation.csv")).get(4));
        }
    }
}
