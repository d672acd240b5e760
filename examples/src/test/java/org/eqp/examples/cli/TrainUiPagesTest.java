package org.eqp.examples.cli;

import static org.eqp.examples.cli.CliRunner.FIXTURES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.eqp.dl4j.listener.CorrectionStatsListener;
import org.eqp.examples.report.RunSummary;
import org.eqp.examples.report.SummaryJsonReader;
import org.eqp.metrics.EpochRecord;
import org.eqp.metrics.MetricsCsvReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * What {@code ./eqp train --ui --ui-keep} serves, for one short run on wine (3 epochs, 15 batches each) kept serving
 * while the tests look: EP's data endpoint over HTTP, EP's page and DL4J's own overview page in a real browser
 * (headless Chromium; skipped where none is installed, see {@link HeadlessChromium}). Every check compares with the
 * run's own metrics.csv and summary.json.
 */
class TrainUiPagesTest {
    private static final int EPOCHS = 3;
    private static final int BATCH = 10;
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path out;
    private static int port;
    private static Thread cli;
    private static final AtomicInteger EXIT_CODE = new AtomicInteger(-1);
    private static final ByteArrayOutputStream STDOUT = new ByteArrayOutputStream();
    private static PrintStream originalOut;
    private static List<EpochRecord> metrics;
    private static long batches;

    @BeforeAll
    static void trainWithTheUiKept() throws Exception {
        port = TrainUiTest.freePort();
        originalOut = System.out;
        System.setOut(new PrintStream(STDOUT, true));
        cli = new Thread(() -> EXIT_CODE.set(EqpCli.commandLine().execute("train", "--dataset", "wine", "--data-dir",
                FIXTURES.toString(), "--hidden", "10", "--epochs", String.valueOf(EPOCHS), "--batch",
                String.valueOf(BATCH), "--out", out.toString(), "--ui", "--ui-port", String.valueOf(port),
                "--ui-keep")), "eqp-train-ui");
        cli.start();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!STDOUT.toString().contains("press Ctrl-C to stop")) {
            if (!cli.isAlive() || System.nanoTime() > deadline) {
                fail("train --ui --ui-keep did not reach 'press Ctrl-C to stop' (exit code " + EXIT_CODE.get()
                        + "); it printed:\n" + STDOUT);
            }
            Thread.sleep(100);
        }
        metrics = MetricsCsvReader.read(out.resolve("metrics.csv"));
        RunSummary summary = SummaryJsonReader.read(out.resolve("summary.json"));
        int trainExamples = ((Number) ((java.util.Map<?, ?>) summary.config()).get("train_examples")).intValue();
        batches = (long) Math.ceil(trainExamples / (double) BATCH) * EPOCHS;
    }

    @AfterAll
    static void interruptingTheKeptUiEndsTheCommandAndFreesThePort() throws Exception {
        cli.interrupt();
        cli.join(DEADLINE.toMillis());
        System.setOut(originalOut);
        assertEquals(0, EXIT_CODE.get(), "train --ui --ui-keep after the interrupt; it printed:\n" + STDOUT);
        try (ServerSocket again = new ServerSocket(port)) {
            assertEquals(port, again.getLocalPort());
        }
    }

    @Test
    void epDataHoldsEveryBatchAndEpochOfTheRun() throws Exception {
        JsonNode data = JSON.readTree(get("/ep/data"));
        assertEquals("EP on wine", data.get("label").asText());
        assertTrue(data.get("classification").asBoolean());
        assertEquals(EPOCHS, data.get("epochs").asInt());
        assertEquals(batches, data.get("batches").asLong());

        JsonNode rms = chart(data, "rms");
        assertEquals(batches, rms.get("x").size(), "one point per batch below the point limit");
        double[] pairMeans = new double[2];
        for (int pair = 0; pair < 2; pair++) {
            JsonNode series = rms.get("series").get("layers " + pair + "-" + (pair + 1));
            assertEquals(batches, series.size());
            for (JsonNode v : series) {
                assertTrue(v.asDouble() > 0, "an RMS correction is positive: " + series);
                pairMeans[pair] += v.asDouble() / batches;
            }
        }
        JsonNode spread = chart(data, "log-spread").get("series").get("log-spread");
        assertEquals(CorrectionStatsListener.logSpread(pairMeans), spread.get(spread.size() - 1).asDouble(), 1e-12,
                "the last log-spread is that of the pairs' mean RMS over the whole run");
        assertEquals(batches, chart(data, "residual").get("series").get("free phase").size());
        assertEquals(List.of("layer 1 at 0", "layer 1 at 1", "layer 2 at 0", "layer 2 at 1"),
                names(chart(data, "saturation").get("series")));

        JsonNode errors = chart(data, "errors");
        for (int e = 0; e < EPOCHS; e++) {
            assertEquals(e + 1, errors.get("x").get(e).asInt());
            assertEquals(metrics.get(e).testError(), errors.get("series").get("test").get(e).asDouble());
            assertEquals(metrics.get(e).trainErrorOnline(), errors.get("series").get("online").get(e).asDouble());
        }

        JsonNode overview = JSON.readTree(get("/train/overview/data"));
        assertEquals(batches, overview.get("scores").size(), "DL4J's StatsListener: one score per batch");
    }

    @Test
    void theEpPageDrawsTheRunsChartsAndErrorsInABrowser() throws Exception {
        try (HeadlessChromium chromium = HeadlessChromium.startOrSkip(1280, 1150)) {
            chromium.open("http://localhost:" + port + "/ep");
            chromium.waitUntil("document.body.dataset.epochs === '" + EPOCHS + "'", DEADLINE, "EP's charts of "
                    + EPOCHS + " epochs");
            for (EpochRecord r : metrics) {
                String cell = chromium.evaluate("document.querySelector('tr[data-epoch=\"" + r.epoch()
                        + "\"] td.test').textContent").asText();
                assertEquals(String.format(Locale.ROOT, "%.2f %%", 100 * r.testError()), cell, "epoch " + r.epoch());
            }
            assertEquals(batches, points(chromium, "rms", "layers 0-1"));
            assertEquals(batches, points(chromium, "rms", "layers 1-2"));
            assertEquals(batches, points(chromium, "residual", "free phase"));
            assertEquals(batches, points(chromium, "saturation", "layer 1 at 1"));
            assertTrue(points(chromium, "log-spread", "log-spread") > 0);
            assertEquals(EPOCHS, points(chromium, "errors", "test"));
            assertEquals(EPOCHS, points(chromium, "errors", "online"));
            Path shot = Path.of("target", "ep-charts.png"); // what the browser saw, for a look after the run
            Files.createDirectories(shot.getParent());
            Files.write(shot, chromium.screenshot());
        }
    }

    @Test
    void dl4jsOwnOverviewPageLoadsInABrowser() throws Exception {
        try (HeadlessChromium chromium = HeadlessChromium.startOrSkip(1280, 900)) {
            chromium.open("http://localhost:" + port + "/train/overview");
            chromium.waitUntil("document.querySelector('#scoreiterchart canvas') !== null "
                    + "&& document.getElementById('modelType').textContent === 'MultiLayerNetwork'", DEADLINE,
                    "DL4J's score chart and model type");
        }
    }

    /** The number of points drawn for one series of one chart on EP's page. */
    private static long points(HeadlessChromium chromium, String chart, String series) throws Exception {
        JsonNode n = chromium.evaluate("(() => { const p = document.querySelector('section[data-chart=\"" + chart
                + "\"] path[data-series=\"" + series + "\"]'); return p === null ? -1 : +p.dataset.points; })()");
        return n.asLong();
    }

    private static JsonNode chart(JsonNode data, String id) {
        for (JsonNode c : data.get("charts")) {
            if (c.get("id").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no chart '" + id + "' in " + data);
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(DEADLINE).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return response.body();
    }
}
