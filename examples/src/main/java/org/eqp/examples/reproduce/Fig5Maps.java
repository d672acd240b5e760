package org.eqp.examples.reproduce;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.eqp.data.LoadedDataset;

/**
 * Gammell et al. 2021, figure 5: the mean |dW| over training of every weight of MNIST 784-100x5-10, layered (one rate
 * 0.015) and small-world p = 0.1, each as a units-by-units map ({@code DIR/layered/dw-map.png},
 * {@code DIR/small-world/dw-map.png}); the settings of figure 4 (eps 0.5, beta 1, 1000 / 12 iterations, batch 20).
 * Attenuation with depth shows as blocks fading away from the output; the small-world map fades less.
 */
public final class Fig5Maps {
    private Fig5Maps() {
    }

    /**
     * Trains both networks and writes their maps and {@code DIR/report.md}; returns the two measurements.
     *
     * @param checkpointEvery batches between two checkpoints of each run (0: none)
     */
    public static List<SweepRun.Point> run(SweepRun.Length s, int checkpointEvery, LoadedDataset mnist, Path out,
                                           PrintStream log) throws IOException {
        SweepRun.Point layered = Fig4PSweep.trainAt(0, s, checkpointEvery, mnist, out.resolve("layered"), log);
        SweepRun.Point smallWorld = Fig4PSweep.trainAt(0.1, s, checkpointEvery, mnist, out.resolve("small-world"),
                log);
        StringBuilder md = new StringBuilder("# Figure 5: mean |dW| of MNIST 784-100x5-10, layered vs small-world\n\n");
        md.append(String.format(Locale.ROOT, "Run here: %d epoch(s) on %d training examples, %d free / %d nudged "
                + "iterations, rate 0.015, seed %d. The paper: 100 epochs on 60,000 examples.%n%n", s.epochs(),
                mnist.train().numExamples(), s.free(), s.nudged(), s.seed()));
        md.append("| network | test err % | log-spread | map |\n|---|---|---|---|\n");
        for (SweepRun.Point pt : List.of(layered, smallWorld)) {
            String name = pt.x() == 0 ? "layered" : "small-world";
            md.append(String.format(Locale.ROOT, "| %s (achieved p %.4f) | %.2f | %.3f | `%s/dw-map.png` |%n", name,
                    pt.achievedP(), 100 * pt.testError(), pt.logSpread(), name));
        }
        Files.writeString(out.resolve("report.md"), md);
        return List.of(layered, smallWorld);
    }
}
