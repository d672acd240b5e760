package org.eqp.examples.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorrectionPlotTest {

    @Test
    void writesALogScalePngAndRefusesNegativeValues(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("rms.png");
        new CorrectionPlot("rms").save(Map.of("layer 0-1", new double[] {1e-3, 2e-3}, "layer 1-2", new double[] {0.1, 0.2}),
                png, 640, 480);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(640, image.getWidth());
        assertEquals(480, image.getHeight());
        assertThrows(IllegalArgumentException.class, () -> new CorrectionPlot("rms")
                .save(Map.of("layer 0-1", new double[] {-1e-3}), dir.resolve("bad.png"), 640, 480));
    }

    @Test
    void batchesAndPairsWithoutACorrectionAreLeftOffTheLogAxis(@TempDir Path dir) throws Exception {
        // given a pair with some zero batches and a pair that never received a correction (a deep layered net)
        Path png = dir.resolve("rms.png");
        new CorrectionPlot("rms").save(Map.of("layer 0-1", new double[] {0, 0, 0}, "layer 1-2",
                new double[] {1e-3, 0, 2e-3}), png, 640, 480);
        // then the chart is drawn all the same
        assertEquals(640, ImageIO.read(png.toFile()).getWidth());
    }
}
