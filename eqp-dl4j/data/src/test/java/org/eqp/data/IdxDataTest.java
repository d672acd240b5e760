package org.eqp.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.eqp.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

class IdxDataTest {
    private static final Path DIR = Fixtures.file("mnist-subset");
    private static final Path TRAIN_IMAGES = DIR.resolve("train-images-idx3-ubyte.gz");
    private static final Path TRAIN_LABELS = DIR.resolve("train-labels-idx1-ubyte.gz");

    @Test
    void loaderScalesPixelsAndOneHotEncodesLabels() throws IOException {
        DataSet d = IdxDataLoader.load(TRAIN_IMAGES, TRAIN_LABELS, 10, -1);
        assertEquals(1000, d.numExamples());
        assertEquals(784, d.getFeatures().size(1));
        assertEquals(0.0, d.getFeatures().minNumber().doubleValue());
        assertEquals(1.0, d.getFeatures().maxNumber().doubleValue());
        INDArray rowSums = d.getLabels().sum(1);
        assertEquals(1000.0, rowSums.sumNumber().doubleValue());
        assertEquals(5, d.getLabels().getRow(0).argMax().getInt(0), "MNIST's first training label is 5");
        IdxFile.Images raw = IdxFile.readImages(TRAIN_IMAGES, 1);
        int pixel = 200; // some pixel of the first image
        assertEquals((raw.pixels()[pixel] & 0xff) / 255f, d.getFeatures().getFloat(0, pixel));
    }

    @Test
    void recordReaderGivesTheSameArraysThroughDataVec() throws IOException {
        DataSet direct = IdxDataLoader.load(TRAIN_IMAGES, TRAIN_LABELS, 10, 100);
        IdxRecordReader reader = new IdxRecordReader(TRAIN_IMAGES, TRAIN_LABELS, 10, 100);
        DataSet viaDataVec = new RecordReaderDataSetIterator(reader, 100, 1, 10).next();
        assertEquals(direct.getFeatures(), viaDataVec.getFeatures().castTo(direct.getFeatures().dataType()));
        assertEquals(direct.getLabels(), viaDataVec.getLabels().castTo(direct.getLabels().dataType()));
    }

    @Test
    void malformedFilesAreRejectedWithTheReason(@TempDir Path tmp) throws IOException {
        Path notIdx = tmp.resolve("x-idx3-ubyte");
        Files.write(notIdx, new byte[] {1, 2, 3, 4, 0, 0, 0, 1});
        IOException magic = assertThrows(IOException.class, () -> IdxFile.readImages(notIdx, -1));
        assertTrue(magic.getMessage().contains("magic"), magic.getMessage());

        Path truncated = tmp.resolve("t-idx3-ubyte");
        Files.write(truncated, new byte[] {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 9, 9});
        IOException shortFile = assertThrows(IOException.class, () -> IdxFile.readImages(truncated, -1));
        assertTrue(shortFile.getMessage().contains("truncated"), shortFile.getMessage());

        IOException mismatch = assertThrows(IOException.class, () -> IdxDataLoader.load(TRAIN_IMAGES,
                DIR.resolve("t10k-labels-idx1-ubyte.gz"), 10, -1));
        assertTrue(mismatch.getMessage().contains("labels"), mismatch.getMessage());
    }

    @Test
    void registryLoadsMnistFromAGivenDirectoryWithLimits() {
        LoadedDataset mnist = Datasets.load(DatasetRequest.builder().spec("mnist").dataDir(DIR).trainLimit(300).build());
        assertEquals(300, mnist.train().numExamples());
        assertEquals(500, mnist.test().numExamples());
        assertEquals(784, mnist.numFeatures());
        assertEquals(10, mnist.numClasses());
    }

    @Test
    void aMissingDatasetSaysHowToGetIt(@TempDir Path empty) {
        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class, () -> Datasets.load(
                DatasetRequest.builder().spec("fashion-mnist").dataDir(empty).cacheDir(empty).build()));
        assertTrue(e.getMessage().contains("./eqp data fetch fashion-mnist"), e.getMessage());
        assertTrue(e.getMessage().contains("--data-dir"), e.getMessage());
    }
}
