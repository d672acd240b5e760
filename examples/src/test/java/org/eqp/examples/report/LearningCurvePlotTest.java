package org.eqp.examples.report;

import org.eqp.metrics.EpochRecord;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

class LearningCurvePlotTest {

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    private static EpochRecord rec(String run, int epoch, double train, double test) {
        return new EpochRecord(run, epoch, Double.NaN, train, test, 0, 1, Double.NaN);
    }

    @Test
    void savesPngOfRequestedSize() throws IOException {
        // given
        List<EpochRecord> records = List.of(
                rec("EP", 1, 0.10, 0.12), rec("EP", 2, 0.05, 0.08), rec("EP", 3, 0.03, 0.06),
                rec("backprop", 1, 0.08, 0.09), rec("backprop", 2, 0.02, 0.04));
        Path png = dir.resolve("plots/curves.png");
        // when
        new LearningCurvePlot("test").addRuns(records).save(png, 900, 600);
        // then
        byte[] head;
        try (InputStream in = Files.newInputStream(png)) {
            head = in.readNBytes(8);
        }
        assertArrayEquals(PNG_MAGIC, head);
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img);
        assertEquals(900, img.getWidth());
        assertEquals(600, img.getHeight());
    }

    @Test
    void oneEpochRunAndNaNsAreHandled() throws IOException {
        // given: single-epoch run and a record with unknown train error
        List<EpochRecord> one = List.of(rec("EP", 1, 0.2, 0.25));
        List<EpochRecord> withNaN = List.of(
                new EpochRecord("bp", 1, Double.NaN, 0.3, 0.3, 0, 1, Double.NaN),
                new EpochRecord("bp", 2, Double.NaN, 0.2, 0.1, Double.NaN, 1, Double.NaN));
        LearningCurvePlot plot = new LearningCurvePlot("t").addRun("EP", one).addRun("backprop", withNaN);
        // when
        XYChart chart = plot.toChart(400, 300);
        plot.save(dir.resolve("one.png"), 400, 300);
        // then: EP test, EP train, backprop test, backprop train
        assertEquals(4, chart.getSeriesMap().size());
        assertEquals(List.of(1.0), Arrays.stream(chart.getSeriesMap().get("EP test").getXData()).boxed().toList());
        assertEquals(400, ImageIO.read(dir.resolve("one.png").toFile()).getWidth());
    }

    @Test
    void rejectsEmptyInput() {
        assertThrows(IllegalStateException.class, () -> new LearningCurvePlot("t").toChart(10, 10));
        assertThrows(IllegalArgumentException.class, () -> new LearningCurvePlot("t").addRun("EP", List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new LearningCurvePlot("t").addRun("EP", List.of(rec("EP", 1, 0, 0))).toChart(0, 10));
    }
}
