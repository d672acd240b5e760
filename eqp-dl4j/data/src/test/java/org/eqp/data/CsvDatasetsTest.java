package org.eqp.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eqp.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDatasetsTest {

    private static DatasetRequest.Builder request(String spec) {
        return DatasetRequest.builder().spec(spec).seed(3);
    }

    @Test
    void wineIsSplitDeterministicallyAndScaledOnTheTrainingPartOnly() {
        LoadedDataset a = Datasets.load(request("wine").dataDir(Fixtures.dir()).build());
        LoadedDataset b = Datasets.load(request("wine").dataDir(Fixtures.dir()).build());
        LoadedDataset other = Datasets.load(request("wine").dataDir(Fixtures.dir()).seed(4).build());
        // 178 rows, header skipped, 20 % held out
        assertEquals(142, a.train().numExamples());
        assertEquals(36, a.test().numExamples());
        assertEquals(13, a.numFeatures());
        assertEquals(3, a.numClasses());
        // same seed, same split; another seed, another split
        assertEquals(a.test().getFeatures(), b.test().getFeatures());
        assertNotEquals(a.test().getFeatures(), other.test().getFeatures());
        // every training column spans exactly [0, 1]; test columns are scaled with the training range
        assertEquals(0.0, a.train().getFeatures().min(0).maxNumber().doubleValue(), 1e-6);
        assertEquals(1.0, a.train().getFeatures().max(0).minNumber().doubleValue(), 1e-6);
    }

    @Test
    void diabetesIsARegressionWithATargetScaledOnTheTrainingPart() {
        LoadedDataset d = Datasets.load(request("diabetes").dataDir(Fixtures.dir()).build());
        assertTrue(d.isRegression());
        assertEquals(10, d.numFeatures());
        assertEquals(1, d.train().getLabels().size(1));
        assertEquals(0.0, d.train().getLabels().minNumber().doubleValue(), 1e-6);
        assertEquals(1.0, d.train().getLabels().maxNumber().doubleValue(), 1e-6);
    }

    @Test
    void anyCsvWithAChosenLabelColumn(@TempDir Path tmp) throws Exception {
        Path csv = tmp.resolve("data.csv");
        Files.writeString(csv, "1,10,5\n0,20,6\n1,30,7\n0,40,8\n1,50,9\n");
        LoadedDataset d = Datasets.load(request("csv:" + csv).labelColumn(0).classes(2).testFraction(0.4).build());
        assertEquals(3, d.train().numExamples());
        assertEquals(2, d.test().numExamples());
        assertEquals(2, d.numFeatures());
        assertEquals(2, d.numClasses());
    }

    @Test
    void brokenCsvsAreRejectedNamingRowAndProblem() {
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
                () -> Datasets.load(request("csv:" + Fixtures.file("bad-text.csv")).build()));
        assertTrue(text.getMessage().contains("line 2, column 1") && text.getMessage().contains("not a number"),
                text.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> Datasets.load(request("csv:" + Fixtures.file("bad-nan.csv")).build()));
        assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> Datasets.load(request("csv:" + Fixtures.file("bad-label.csv")).classes(2).build()));
        assertTrue(label.getMessage().contains("label 7"), label.getMessage());
        assertThrows(IllegalArgumentException.class, () -> request("wine").testFraction(1.0).build());
        DatasetUnavailableException missing = assertThrows(DatasetUnavailableException.class,
                () -> Datasets.load(request("csv:/no/such/file.csv").build()));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }
}
