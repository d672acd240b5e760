package org.eqp.examples.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.data.DatasetRequest;
import org.eqp.data.Datasets;
import org.eqp.data.LoadedDataset;
import org.eqp.data.ShufflingDataSetIterator;
import org.eqp.dl4j.EpModelSerializer;
import org.eqp.dl4j.ParticleKeys;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.dl4j.layers.EpLayerRuntime;
import org.eqp.dl4j.listener.CorrectionStatsListener;
import org.eqp.learning.EpSettings;
import org.eqp.metrics.EpochRecord;
import org.eqp.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Adam;

/**
 * A training run stopped at a checkpoint in the middle of an epoch and continued from it in fresh objects ends where
 * the uninterrupted run ends, bit for bit: here with Adam, whose updater state and iteration count (its bias
 * correction) must come back too, and with persistent particles, the random sign of beta and correction statistics.
 */
class TrainingRunResumeTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static final int EPOCHS = 3;
    private static final int BATCH = 10;
    private static final long SEED = 1;

    /** 13-6-3 on wine: Adam, particles, random sign, 10 free / 3 nudged iterations. */
    private static MultiLayerNetwork network() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .updater(new Adam(0.01)).list().layer(new EpOutputLayer.Builder().nIn(13).nOut(3).hidden(6)
                        .settings(new EpSettings(0.5, 1.0, 10, 3, true, true, 0, false)).build()).build());
        net.init();
        return ParticleKeys.fromNetworkInput(net);
    }

    /** Thrown by the checkpoint sink to stop a run there, as a kill would. */
    private static final class Stop extends RuntimeException {
    }

    @Test
    void aRunStoppedMidEpochAndResumedFromItsCheckpointEndsWhereTheUninterruptedRunEnds(@TempDir Path tmp)
            throws Exception {
        LoadedDataset wine = Datasets.load(DatasetRequest.builder().spec("wine").dataDir(Fixtures.dir()).seed(SEED)
                .build());
        // given the uninterrupted run: 3 epochs of 15 batches (142 examples, batches of 10)
        MultiLayerNetwork whole = network();
        CorrectionStatsListener wholeStats = new CorrectionStatsListener();
        List<EpochRecord> wholeRecords = TrainingRun.train("EP", whole, wine, EPOCHS, BATCH, SEED, 0,
                EpRunConfig.Parallelism.ONE, null, QUIET, TrainingRun.Checkpointing.NONE, wholeStats);
        // and the same run stopped at its first checkpoint, after batch 20 (5 batches into epoch 2), with the network
        // written to a file as a checkpoint writes it, and the correction statistics' snapshot
        MultiLayerNetwork first = network();
        CorrectionStatsListener firstStats = new CorrectionStatsListener();
        Path model = tmp.resolve("checkpoint.zip");
        TrainingRun.Resume[] at = new TrainingRun.Resume[1];
        CorrectionStatsListener.Snapshot[] stats = new CorrectionStatsListener.Snapshot[1];
        assertThrows(Stop.class, () -> TrainingRun.train("EP", first, wine, EPOCHS, BATCH, SEED, 0,
                EpRunConfig.Parallelism.ONE, null, QUIET, new TrainingRun.Checkpointing(null, 20, resume -> {
                    EpModelSerializer.writeModel(first, model.toFile(), true);
                    at[0] = resume;
                    stats[0] = firstStats.snapshot();
                    throw new Stop();
                }), firstStats));
        assertEquals(new ShufflingDataSetIterator.Position(2, 50), at[0].data());
        assertEquals(1, at[0].measured().records().size(), "epoch 1 measured");

        // when a new network is read from the file and the run continues from the checkpoint
        MultiLayerNetwork resumed = EpModelSerializer.restoreMultiLayerNetwork(model.toFile(), true);
        CorrectionStatsListener resumedStats = CorrectionStatsListener.resumed(stats[0], resumed);
        List<EpochRecord> records = TrainingRun.train("EP", resumed, wine, EPOCHS, BATCH, SEED, 0,
                EpRunConfig.Parallelism.ONE, null, QUIET, new TrainingRun.Checkpointing(at[0], 0, null), resumedStats);

        // then parameters, Adam's state and the particles equal the uninterrupted run's bit for bit
        assertArrayEquals(whole.params().toFloatVector(), resumed.params().toFloatVector());
        float[] adam = whole.getUpdater().getStateViewArray().toFloatVector();
        assertTrue(adam.length > 0 && java.util.stream.IntStream.range(0, adam.length).anyMatch(i -> adam[i] != 0),
                "Adam keeps a state");
        assertArrayEquals(adam, resumed.getUpdater().getStateViewArray().toFloatVector());
        assertEquals(whole.getIterationCount(), resumed.getIterationCount());
        assertArrayEquals(((EpLayerRuntime) whole.getLayer(0)).particles().snapshot().states(),
                ((EpLayerRuntime) resumed.getLayer(0)).particles().snapshot().states());
        // and every epoch's record (epoch 2 measured across the stop included) equals the uninterrupted one but for
        // the seconds
        assertEquals(EPOCHS, records.size());
        for (int e = 0; e < EPOCHS; e++) {
            EpochRecord a = wholeRecords.get(e);
            EpochRecord b = records.get(e);
            assertEquals(List.of(a.epoch(), a.trainErrorOnline(), a.trainError(), a.testError(), a.score(),
                    a.relaxResidual()), List.of(b.epoch(), b.trainErrorOnline(), b.trainError(), b.testError(),
                    b.score(), b.relaxResidual()), "epoch " + (e + 1));
        }
        // and so do the correction statistics
        assertEquals(wholeStats.rows(), resumedStats.rows());
        assertEquals(wholeStats.saturationRows(), resumedStats.saturationRows());
        assertArrayEquals(wholeStats.meanAbsCorrection(0), resumedStats.meanAbsCorrection(0));
    }
}
