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
import org.nd4j.linalg.dataset.DataSet;

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
        // every training column spans exactly [0, 1] (test columns: the next test)
        assertEquals(0.0, a.train().getFeatures().min(0).maxNumber().doubleValue(), 1e-6);
        assertEquals(1.0, a.train().getFeatures().max(0).minNumber().doubleValue(), 1e-6);
    }

    @Test
    void testColumnsAreScaledWithTheTrainingRangeNotTheirOwn(@TempDir Path tmp) throws Exception {
        // given five rows, each its own class (so an example's label tells its row), split 3 / 2: column a has its
        // extremes in rows 0 and 4, column b in rows 1 and 2, so the three training rows cannot hold all four and the
        // training range differs from the whole data's in at least one column
        double[][] raw = {{10, 50}, {20, 3}, {30, 100}, {40, 60}, {50, 70}};
        Path csv = tmp.resolve("rows.csv");
        Files.writeString(csv, "0,10,50\n1,20,3\n2,30,100\n3,40,60\n4,50,70\n");
        LoadedDataset d = Datasets.load(request("csv:" + csv).labelColumn(0).classes(5).testFraction(0.4).build());
        int[] trainRows = rowsOf(d.train());
        assertEquals(3, trainRows.length);
        double[] min = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        double[] max = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int r : trainRows) {
            for (int c = 0; c < 2; c++) {
                min[c] = Math.min(min[c], raw[r][c]);
                max[c] = Math.max(max[c], raw[r][c]);
            }
        }
        assertTrue(min[0] != 10 || max[0] != 50 || min[1] != 3 || max[1] != 100, "a range differs from the whole's");
        // then every example, training or test, holds (x - training min) / (training max - training min), so test
        // values may leave [0, 1]
        for (DataSet part : new DataSet[] {d.train(), d.test()}) {
            int[] rows = rowsOf(part);
            for (int i = 0; i < rows.length; i++) {
                for (int c = 0; c < 2; c++) {
                    double expected = (raw[rows[i]][c] - min[c]) / (max[c] - min[c]);
                    assertEquals(expected, part.getFeatures().getDouble(i, c), 1e-6, "row " + rows[i] + ", column " + c);
                }
            }
        }
    }

    /** The CSV row of each example: its class, each row being its own class. */
    private static int[] rowsOf(DataSet part) {
        return part.getLabels().argMax(1).toIntVector();
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
