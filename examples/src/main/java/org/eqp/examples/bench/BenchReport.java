package org.eqp.examples.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * The figures of one {@code ./eqp bench} run, for {@code bench.json}: every relaxation case, the headline ratios the
 * README quotes and the seed code's per-batch times as anchors.
 * <ul>
 *   <li>{@code step_over_gemm}: the 784-500x3-10 (500/8) layered step on one thread over its products as BLAS gemms;</li>
 *   <li>{@code two_thread_speedup}: the 784-500x3-10 small-world (p = 0.1) step, one thread's time over two's;</li>
 *   <li>{@code ep_over_backprop_epoch}: one MNIST epoch of EP 784-500-10 over the same-shape backprop MLP's (fit);
 *       {@code ep_over_backprop_epoch_same_updater}: over that MLP's with EP's updater fix;</li>
 *   <li>{@code fast_schedule_speedup}: 784-500x3-10's epoch with the seed's schedule over the fast one's, with the
 *       test errors both reached in {@code fast_schedule};</li>
 *   <li>{@code speedup_over_seed_*}: the seed code's seconds per batch, measured on this machine (10.1 s for
 *       784-500x3-10 at 500/8, 0.29 s for 784-500-10 at 20/4), over ours in training.</li>
 * </ul>
 */
public final class BenchReport {
    /** The seed code's measured seconds per batch of 20 on this machine (Theano, CPU), by case name. */
    static final Map<String, Double> SEED_SECONDS_PER_BATCH = Map.of("784-500x3-10 (500/8)", 10.1,
            "784-500-10 (20/4)", 0.29);

    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final List<Map<String, Object>> cases = new ArrayList<>();

    /** Records the relaxation cases and prints the speed-ups over the seed code where it has an anchor. */
    public void addCases(List<RelaxationBenchmark.Result> results, PrintStream out) {
        String deep = null;
        for (RelaxationBenchmark.Result r : results) {
            RelaxationBenchmark.Case c = r.benchCase();
            boolean continues = c.name().startsWith("...");
            String name = continues && deep != null ? deep + " " + c.name().substring(4) : c.name();
            if (!continues) {
                deep = c.name();
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("case", name);
            row.put("step_micros", r.stepMicros());
            row.put("two_thread_step_micros", r.twoThreadStepMicros());
            row.put("gemm_micros", r.gemmMicros());
            row.put("train_examples_per_second", r.examplesPerSecond());
            cases.add(row);
            if (name.equals("784-500x3-10 (500/8)")) {
                figures.put("step_over_gemm", r.ratio());
            }
            if (name.equals("784-500x3-10 (500/8) small-world p=.1")) {
                figures.put("two_thread_speedup", r.twoThreadSpeedup());
            }
            Double seed = SEED_SECONDS_PER_BATCH.get(name);
            if (seed != null) {
                double ours = c.batch() / r.examplesPerSecond();
                figures.put("speedup_over_seed_" + name.substring(0, name.indexOf(' ')), seed / ours);
                out.printf(Locale.ROOT, "%s: %.4f s per batch of %d in training; the seed code %.2f s (%.0fx)%n", name,
                        ours, c.batch(), seed, seed / ours);
            }
        }
    }

    /** Records the schedule comparison. */
    public void addSchedules(ScheduleBenchmark.Result result) {
        figures.put("fast_schedule_speedup", result.fastScheduleSpeedup());
        Map<String, Object> schedules = new LinkedHashMap<>();
        schedules.put("network", "784-500x3-10, per-layer rates");
        schedules.put("train_examples", result.examples());
        schedules.put("test_examples", ScheduleBenchmark.TEST_EXAMPLES);
        schedules.put("seed_fit_seconds", result.seed().fitSeconds());
        schedules.put("fast_fit_seconds", result.fast().fitSeconds());
        schedules.put("seed_test_error", result.seed().testError());
        schedules.put("fast_test_error", result.fast().testError());
        figures.put("fast_schedule", schedules);
    }

    /** Records the epoch comparison. */
    public void addEpoch(EpochBenchmark.Result result) {
        figures.put("ep_over_backprop_epoch", result.epOverBackpropEpoch());
        figures.put("ep_over_backprop_epoch_same_updater", result.epOverBackpropSameUpdater());
        Map<String, Object> epoch = new LinkedHashMap<>();
        epoch.put("examples", result.examples());
        epoch.put("rounds", result.rounds());
        epoch.put("ep_fit_seconds", result.ep().fitSeconds());
        epoch.put("backprop_fit_seconds", result.backprop().fitSeconds());
        epoch.put("backprop_view_preserving_fit_seconds", result.backpropViewPreserving().fitSeconds());
        epoch.put("ep_eval_seconds", result.ep().evalSeconds());
        epoch.put("backprop_eval_seconds", result.backprop().evalSeconds());
        epoch.put("ep_test_error", result.ep().testError());
        epoch.put("backprop_test_error", result.backprop().testError());
        figures.put("epoch", epoch);
    }

    /** Writes {@code dir/bench.json} (through a temporary file, so a kill leaves the previous one) and returns it. */
    public Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> all = new LinkedHashMap<>(figures);
        all.put("relaxation_threads", org.eqp.dynamics.StepTeam.threads());
        all.put("cases", cases);
        Path target = dir.resolve("bench.json");
        Path temporary = Files.createTempFile(dir, "bench", ".json.tmp");
        Files.writeString(temporary, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(all));
        return Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
