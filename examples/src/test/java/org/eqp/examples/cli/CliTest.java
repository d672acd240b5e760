package org.eqp.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eqp.metrics.EpochRecord;
import org.eqp.metrics.MetricsCsvReader;
import org.eqp.examples.report.RunSummary;
import org.eqp.examples.report.SummaryJsonReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The ./eqp commands as a user runs them, on the test fixtures. */
class CliTest {
    private static final Path FIXTURES = Path.of(System.getProperty("eqp.testResources", "../test-resources"));

    private record Run(int exitCode, String out, String err) {
    }

    private static Run eqp(String... args) {
        CommandLine cli = EqpCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true));
        try {
            int code = cli.execute(args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void trainWritesMetricsSummaryModelAndCurvesThenEvaluateReadsTheModel(@TempDir Path out) throws Exception {
        Run train = eqp("train", "--dataset", "wine", "--data-dir", FIXTURES.toString(), "--hidden", "10",
                "--epochs", "3", "--batch", "10", "--lr", "0.1", "--out", out.toString(), "--baseline", "backprop");
        assertEquals(0, train.exitCode(), train.err());
        for (String f : List.of("metrics.csv", "summary.json", "model.zip", "curves.png")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        List<EpochRecord> rows = MetricsCsvReader.read(out.resolve("metrics.csv"));
        assertEquals(6, rows.size(), "3 epochs of EP and 3 of backprop");
        RunSummary summary = SummaryJsonReader.read(out.resolve("summary.json"));
        assertEquals("wine", summary.dataset());
        assertEquals(3, summary.epochs());
        assertEquals(rows.get(2).testError(), summary.testError(), 1e-12);
        assertTrue(summary.baseline() != null);
        assertTrue(train.out().contains("s/epoch ratio EP / backprop"), train.out());

        Run evaluate = eqp("evaluate", "--model", out.resolve("model.zip").toString(), "--dataset", "wine",
                "--data-dir", FIXTURES.toString());
        assertEquals(0, evaluate.exitCode(), evaluate.err());
        assertTrue(evaluate.out().contains(String.format(java.util.Locale.ROOT, "%.2f%%", 100 * summary.testError())),
                evaluate.out());
    }

    @Test
    void trainBuildsThePreprintTopologyAndRecordsCorrectionsAndSaturation(@TempDir Path out) throws Exception {
        Run train = eqp("train", "--dataset", "wine", "--data-dir", FIXTURES.toString(), "--hidden", "8,8",
                "--topology", "small-world-intralayer", "--replacements", "30", "--corrections", "--epochs", "2",
                "--batch", "10", "--lr", "0.05", "--out", out.toString());
        assertEquals(0, train.exitCode(), train.err());
        RunSummary summary = SummaryJsonReader.read(out.resolve("summary.json"));
        java.util.Map<?, ?> config = (java.util.Map<?, ?>) summary.config();
        assertEquals("small-world-intralayer", config.get("connectivity"));
        assertEquals(30, ((Number) config.get("replacements")).intValue());
        // 13-8-8-3 with both hidden layers connected within: 104 + 64 + 24 + 2 * 28 connections
        assertEquals(248, ((Number) config.get("original_connections")).intValue());
        assertTrue(((Number) summary.extra().get("log_spread")).doubleValue() >= 0);
        assertTrue(((Number) summary.extra().get("adjacent_rms_ratio")).doubleValue() >= 1);
        assertTrue(summary.extra().containsKey("saturated_at_1_per_layer"), summary.extra().toString());
        assertTrue(Files.readAllLines(out.resolve("saturation.csv")).get(0).equals("batch,layer,units,at_zero,at_one"));
    }

    @Test
    void badArgumentsGiveOneClearLine(@TempDir Path out) {
        Run beta = eqp("train", "--dataset", "wine", "--data-dir", FIXTURES.toString(), "--beta", "0", "--out",
                out.toString());
        assertEquals(2, beta.exitCode());
        assertTrue(beta.err().contains("beta") && !beta.err().contains("at org."), beta.err());

        Run missing = eqp("train", "--dataset", "fashion-mnist", "--data-dir", out.toString(), "--cache-dir",
                out.toString(), "--out", out.toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("./eqp data fetch fashion-mnist"), missing.err());

        Run lr = eqp("train", "--dataset", "wine", "--data-dir", FIXTURES.toString(), "--lr", "0.1,0.2,0.3", "--out",
                out.toString());
        assertEquals(2, lr.exitCode());
        assertTrue(lr.err().contains("--lr"), lr.err());

        Run topology = eqp("train", "--dataset", "wine", "--data-dir", FIXTURES.toString(), "--topology", "ring",
                "--out", out.toString());
        assertEquals(2, topology.exitCode());
        assertTrue(topology.err().contains("small-world-intralayer"), topology.err());

        Run p = eqp("train", "--dataset", "wine", "--data-dir", FIXTURES.toString(), "--topology", "small-world",
                "--p", "1.5", "--out", out.toString());
        assertEquals(2, p.exitCode());
        assertTrue(p.err().contains("[0, 1]"), p.err());
    }

    @Test
    void reproduceFig4WritesTheSweepItsPlotsAndAReportNextToTheSeedsNumbers(@TempDir Path out) throws Exception {
        Path reference = FIXTURES.toAbsolutePath().resolve("../../shared/reference").normalize();
        Run run = eqp("reproduce", "fig4", "--data-dir", FIXTURES.resolve("mnist-subset").toString(), "--p", "0,0.05",
                "--train-examples", "100", "--test-examples", "100", "--free", "30", "--reference", reference.toString(),
                "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        for (String f : List.of("fig4.csv", "fig4.png", "fig4-fit.png", "report.md", "p-0.05/corrections.csv")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertEquals(3, Files.readAllLines(out.resolve("fig4.csv")).size(), "header and one row per p");
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("r^2"), report);
        if (Files.isDirectory(reference)) {
            assertTrue(report.contains("78.71 (p=0.0)"), "the seed's epoch-1 test error at p = 0: " + report);
        }
    }

    @Test
    void reproduceFig2TrainsTheThreeNetworksAndReportsThemNextToTheSeed(@TempDir Path out) throws Exception {
        Path reference = FIXTURES.toAbsolutePath().resolve("../../shared/reference").normalize();
        Run run = eqp("reproduce", "fig2", "--data-dir", FIXTURES.resolve("mnist-subset").toString(), "--train-examples",
                "60", "--test-examples", "40", "--free", "10", "--nudged", "2", "--reference", reference.toString(),
                "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        for (String f : List.of("curves.png", "report.md", "layered/corrections.png", "layered-per-layer/summary.json",
                "small-world/corrections.csv")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("small-world p=.1, rate .02"), report);
        assertTrue(report.contains("| network | 0-1 | 1-2 | 2-3 | 3-4 |"), "figure 3's per-pair table: " + report);
        if (Files.isDirectory(reference)) {
            assertTrue(report.contains("| 19.76 |") && report.contains("| 11.34 |") && report.contains("| 12.44 |"), report);
        }
        String fig3 = String.join(" ", EqpCli.commandLine().getSubcommands().get("reproduce").getSubcommands()
                .get("fig3").getCommandSpec().usageMessage().description());
        assertTrue(fig3.contains("same three runs as fig2"), fig3);
        Files.delete(out.resolve("report.md"));
        Run again = eqp("reproduce", "fig2", "--report-only", "--data-dir", FIXTURES.resolve("mnist-subset").toString(),
                "--train-examples", "60", "--reference", reference.toString(), "--out", out.toString());
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(report, Files.readString(out.resolve("report.md")), "the report rebuilt from the run folders");
        Run zeroEpochs = eqp("reproduce", "fig2", "--epochs", "0", "--out", out.toString());
        assertEquals(2, zeroEpochs.exitCode());
        assertTrue(zeroEpochs.err().contains("--epochs"), zeroEpochs.err());
    }

    @Test
    void reproduceTable1RunsEveryDatasetBothWaysWithoutFetching(@TempDir Path tmp) throws Exception {
        // given a data folder with every dataset (the MNIST fixture standing in for Fashion-MNIST: same format)
        Path data = Files.createDirectories(tmp.resolve("data"));
        try (var files = Files.list(FIXTURES.resolve("mnist-subset"))) {
            for (Path f : files.toList()) {
                Files.copy(f, data.resolve(f.getFileName()));
            }
        }
        Files.copy(FIXTURES.resolve("wine.csv"), data.resolve("wine.csv"));
        Files.copy(FIXTURES.resolve("diabetes.csv"), data.resolve("diabetes.csv"));
        Path out = tmp.resolve("out");
        Run run = eqp("reproduce", "table1", "--data-dir", data.toString(), "--train-examples", "40", "--test-examples",
                "40", "--free", "5", "--csv-epochs", "1", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        String report = Files.readString(out.resolve("report.md"));
        for (String row : List.of("| mnist | layered", "| fashion-mnist | small-world", "| wine | layered",
                "| diabetes | small-world")) {
            assertTrue(report.contains(row), row + " in " + report);
        }
        assertTrue(Files.size(out.resolve("diabetes-small-world/summary.json")) > 0);
    }

    @Test
    void reproduceFig5DrawsTheMeanWeightChangeMapsOfBothTopologies(@TempDir Path out) throws Exception {
        Run run = eqp("reproduce", "fig5", "--data-dir", FIXTURES.resolve("mnist-subset").toString(), "--train-examples",
                "40", "--test-examples", "20", "--free", "5", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(Files.size(out.resolve("layered/dw-map.png")) > 0);
        assertTrue(Files.size(out.resolve("small-world/dw-map.png")) > 0);
        assertTrue(!Files.exists(out.resolve("layered-per-layer")), "fig5 trains only the two topologies");
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("784-100x5-10") && report.contains("| small-world"), report);
        String summary = Files.readString(out.resolve("small-world/summary.json"));
        assertTrue(summary.contains("\"hidden\" : [ 100, 100, 100, 100, 100 ]") || summary.contains("100,100,100,100,100")
                || summary.contains("[100,100,100,100,100]"), "the paper's 5x100 network: " + summary);
    }

    @Test
    void deepWritesCurvesPlotsGraphsAndASummaryPerTaskAndRule(@TempDir Path out) throws Exception {
        Run run = eqp("deep", "--task", "and,xor", "--rule", "deep,vector-field", "--runs", "2", "--epochs", "3",
                "--free", "20", "--nudged", "10", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        for (String f : List.of("summary.json", "summary.md", "and-deep/mse.csv", "and-deep/mse.png",
                "xor-vector-field/graph-run2.png")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertEquals(1 + 2 * 3, Files.readAllLines(out.resolve("and-deep/mse.csv")).size(), "2 runs x 3 epochs");
        var summary = new org.nd4j.shade.jackson.databind.ObjectMapper().readTree(out.resolve("summary.json").toFile());
        var and = summary.get("tasks").get("and").get("deep");
        assertEquals(2, and.get("runs").asInt());
        assertEquals(2, and.get("final_mse").size());
        assertEquals(2, and.get("sparsity").size());
        assertTrue(and.get("converged_to_zero_error").asInt() <= 2);
        assertTrue(summary.get("tasks").get("xor").has("vector-field"));
        var deepSettings = summary.get("settings").get("deep");
        assertEquals(100.0, deepSettings.get("learningRate").asDouble(), 0.0);
        assertEquals(1.5e-4, deepSettings.get("l1").asDouble(), 0.0);
        assertEquals(0.01, deepSettings.get("pruneBelow").asDouble(), 0.0);

        Run bad = eqp("deep", "--task", "nand", "--out", out.toString());
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("and, or or xor"), bad.err());
        Run temperature = eqp("deep", "--temperature", "0", "--out", out.toString());
        assertEquals(2, temperature.exitCode());
        assertTrue(temperature.err().contains("temperature T"), temperature.err());
    }

    @Test
    void deepDataTrainsTheDirectedLayerNextToLayeredEpAndBackprop(@TempDir Path out) throws Exception {
        Run run = eqp("deep-data", "--dataset", "wine", "--data-dir", FIXTURES.toString(), "--hidden", "3", "--free",
                "10", "--nudged", "5", "--epochs", "2", "--lambda", "0.05", "--l1", "1e-3", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        for (String f : List.of("report.md", "summary.json", "directed/metrics.csv")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        var directed = new org.nd4j.shade.jackson.databind.ObjectMapper().readTree(out.resolve("summary.json").toFile())
                .get("directed");
        assertEquals(1e-3, directed.get("l1").asDouble(), 0.0);
        // 13 features + bias unit, 3 hidden, 3 classes: 20 units, each sending to the 6 non-inputs but itself
        assertEquals(20 * 6 - 6, directed.get("edges_at_start").asInt());
        assertTrue(directed.get("edges_left").asInt() < directed.get("edges_at_start").asInt(), directed.toString());

        Run negative = eqp("deep-data", "--dataset", "wine", "--data-dir", FIXTURES.toString(), "--l1", "-1", "--out",
                out.toString());
        assertEquals(2, negative.exitCode());
        assertTrue(negative.err().contains("l1 step"), negative.err());
    }

    @Test
    void searchRunsAConfigFileAndWritesResultsSummaryBestCommandAndPlots(@TempDir Path tmp) throws Exception {
        Path config = tmp.resolve("wine.yaml");
        Files.writeString(config, String.join("\n", "dataset: wine", "seed: 1", "budget:", "  max_candidates: 3",
                "space:", "  model: {choice: [ep, backprop]}", "  lr: {loguniform: [0.01, 0.3]}", "  hidden: 8",
                "  free: 10", "  epochs: 2", ""));
        Path out = tmp.resolve("out");
        Run run = eqp("search", "--config", config.toString(), "--data-dir", FIXTURES.toString(), "--out",
                out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("candidate 3 of 3"), run.out());
        for (String f : List.of("results.csv", "summary.json", "best-command.txt", "best.yaml", "scores.png",
                "by-model.md", "config.yaml")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertEquals(1 + 3, Files.readAllLines(out.resolve("results.csv")).size());
        assertTrue(Files.readString(out.resolve("best-command.txt")).startsWith("./eqp train --dataset wine"));
        var summary = new org.nd4j.shade.jackson.databind.ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(3, summary.get("candidates_run").asInt());
        assertTrue(summary.get("default_score").isNumber(), summary.toString());

        Files.writeString(config, "dataset: wine\nspace:\n  lr: {uniform: [0.1]}\n");
        Run bad = eqp("search", "--config", config.toString(), "--out", out.toString());
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains(config + ": space.lr: uniform takes [lo, hi]"), bad.err());
    }
}
