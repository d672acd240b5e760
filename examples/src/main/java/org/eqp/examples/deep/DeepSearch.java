package org.eqp.examples.deep;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;
import org.eqp.arbiter.SearchPlan;
import org.eqp.arbiter.SearchProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link DeepSearchConfig} with Arbiter: its random or grid generator over the {@link DeepKnob}s, termination by
 * candidate count and time, and a task per candidate that trains DEEP on every task for every seed
 * ({@link DeepRuns#trainOne}, the same runs {@code ./eqp deep} makes with the candidate's flags) and scores it by its
 * shortfall from the claims ({@link DeepClaim#shortfall}, summed over the tasks; 0 = every claim met). With
 * {@code stop_early} a candidate stops as soon as a claim cannot be met any more; its unfinished runs count as failed,
 * so its score is an upper bound. A candidate that throws is a failed row with the exception's type and message (its
 * stack trace logged at DEBUG, shown with {@code --debug}). Writes, as candidates finish, {@code DIR/results.csv} (one row per candidate),
 * {@code DIR/runs.csv} (one row per run) and {@code DIR/runs.log}.
 */
public final class DeepSearch {

    /** How a candidate ended. */
    public enum Status {
        /** Every run of every task was trained. */
        COMPLETE,
        /** Stopped once a claim could not be met any more. */
        STOPPED,
        /** Could not be trained (a bad combination of knobs, or an error). */
        FAILED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One candidate's outcome.
     *
     * @param index   Arbiter's index
     * @param knobs   every knob's value
     * @param tasks   the runs made, task by task in the config's order (a stopped candidate's last task may be short
     *                and later tasks missing)
     * @param status  how it ended
     * @param reason  why it failed, or which claim stopped it; empty when complete
     * @param score   the summed shortfall from the claims (+infinity when failed)
     * @param seconds training time
     */
    public record Result(int index, Map<String, Object> knobs, List<TaskRuns> tasks, Status status, String reason,
                         double score, double seconds) {
        /** Complete, with every claim met (score 0). */
        public boolean meetsClaims() {
            return status == Status.COMPLETE && score == 0;
        }

        /** The runs of one task, or null if it was not reached. */
        public TaskRuns task(LogicTask task) {
            return tasks.stream().filter(t -> t.task() == task).findFirst().orElse(null);
        }
    }

    /**
     * What a search did.
     *
     * @param results every candidate, by index
     * @param best    the lowest score (the earliest among equals), or null if every candidate failed
     * @param minutes wall-clock time of the search
     */
    public record Outcome(List<Result> results, Result best, double minutes) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(DeepSearch.class);
    private static final String RESULTS = "results.csv";
    private static final String RUNS = "runs.csv";
    private static final String RUN_LOG = "runs.log";
    private final DeepSearchConfig config;
    private final Path out;
    private final List<Result> results = new ArrayList<>();

    private DeepSearch(DeepSearchConfig config, Path out) {
        this.config = config;
        this.out = out;
    }

    /**
     * Creates the output folder and the headers of its result files.
     *
     * @throws IllegalArgumentException if {@code out} already holds a search's results (this search does not resume)
     */
    public static DeepSearch prepare(DeepSearchConfig config, Path out) throws IOException {
        if (Files.exists(out.resolve(RESULTS))) {
            throw new IllegalArgumentException(out.resolve(RESULTS) + " exists: a DEEP search does not resume; give "
                    + "another --out or delete the folder");
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve(RESULTS), resultsHeader(config) + "\n");
        Files.writeString(out.resolve(RUNS), "index,task,seed,errors,final_mse,sparsity,sparsity_without_bias,edges\n");
        Files.writeString(out.resolve(RUN_LOG), "");
        return new DeepSearch(config, out);
    }

    /** Runs the candidates; call once. */
    public Outcome run(PrintStream log) {
        long start = System.nanoTime();
        SearchPlan plan = config.plan();
        int planned = plan.plannedCandidates(config.space().varying().size());
        SearchProgress progress = new SearchProgress(planned, log);
        OptimizationConfiguration arbiter = new OptimizationConfiguration.Builder()
                .candidateGenerator(plan.generator(config.space(), config.seed()))
                .dataProvider(new Tasks(config.tasks())).scoreFunction(new Shortfall())
                .terminationConditions(plan.terminationConditions(planned)).rngSeed(config.seed()).build();
        new LocalOptimizationRunner(plan.concurrency(), arbiter, new Creator(progress)).execute();
        List<Result> all;
        synchronized (results) {
            all = results.stream().sorted(Comparator.comparingInt(Result::index)).toList();
        }
        Result best = all.stream().filter(r -> r.status() != Status.FAILED)
                .min(Comparator.comparingDouble(Result::score)).orElse(null);
        return new Outcome(all, best, (System.nanoTime() - start) / 6e10);
    }

    /**
     * Trains one candidate: per task (in the config's order) one run per seed, stopping early when configured and a
     * claim became unreachable.
     */
    Result evaluate(int index, Map<String, Object> knobs, List<LogicTask> tasks) {
        long start = System.nanoTime();
        DeepRecipe recipe;
        try {
            recipe = DeepKnob.recipe(knobs);
        } catch (IllegalArgumentException e) {
            return new Result(index, knobs, List.of(), Status.FAILED, e.getMessage(), Double.POSITIVE_INFINITY, 0);
        }
        List<TaskRuns> done = new ArrayList<>();
        String stoppedBy = null;
        for (LogicTask task : tasks) {
            DeepClaim claim = config.claims().get(task);
            List<DeepRuns.Run> runs = new ArrayList<>();
            for (int k = 0; k < config.seeds() && stoppedBy == null; k++) {
                DeepRuns.Run run = DeepRuns.trainOne(task, recipe, DeepKnob.hidden(knobs), DeepKnob.epochs(knobs),
                        DeepKnob.initSigma(knobs), config.firstSeed() + k, false);
                runs.add(run);
                record(index, task, run);
                if (config.stopEarly() && !claim.reachable(runs, config.seeds())) {
                    stoppedBy = task.id() + " cannot meet its claim after " + runs.size() + " runs";
                }
            }
            done.add(new TaskRuns(task, recipe, runs));
            if (stoppedBy != null) {
                break;
            }
        }
        double score = 0;
        for (LogicTask task : tasks) {
            List<DeepRuns.Run> runs = done.stream().filter(t -> t.task() == task).findFirst().map(TaskRuns::runs)
                    .orElse(List.of());
            score += config.claims().get(task).shortfall(runs, config.seeds());
        }
        return new Result(index, knobs, done, stoppedBy == null ? Status.COMPLETE : Status.STOPPED,
                stoppedBy == null ? "" : stoppedBy, score, (System.nanoTime() - start) / 1e9);
    }

    private void record(int index, LogicTask task, DeepRuns.Run run) {
        append(RUNS, String.format(Locale.ROOT, "%d,%s,%d,%d,%s,%s,%s,%d", index, task.id(), run.seed(), run.errors(),
                run.finalMse(), run.sparsity(), run.sparsityWithoutBias(), run.edges()));
        append(RUN_LOG, String.format(Locale.ROOT, "candidate %d: %s seed %d: %s", index, task.id(), run.seed(),
                run.describe()));
    }

    private static String resultsHeader(DeepSearchConfig config) {
        StringBuilder h = new StringBuilder("index,status,meets_claims,score,seconds");
        for (LogicTask t : config.tasks()) {
            String p = t.id() + "_";
            h.append(',').append(p).append("runs,").append(p).append("learnt,").append(p).append("median_sparsity,")
                    .append(p).append("best_learnt_sparsity,").append(p).append("at_paper_sparsity");
        }
        h.append(",reason");
        DeepKnob.all().forEach(k -> h.append(',').append(k.id()));
        return h.toString();
    }

    private String resultsRow(Result r) {
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%d,%s,%b,%s,%.1f", r.index(), r.status().id(),
                r.meetsClaims(), r.score(), r.seconds()));
        for (LogicTask t : config.tasks()) {
            TaskRuns runs = r.task(t);
            row.append(runs == null ? ",0,0,,," : String.format(Locale.ROOT, ",%d,%d,%s,%s,%d", runs.runs().size(),
                    runs.learnt(), runs.medianSparsity(), Double.isNaN(runs.bestLearntSparsity()) ? ""
                            : Double.toString(runs.bestLearntSparsity()), runs.atPaperSparsity()));
        }
        row.append(',').append(r.reason().replace(',', ';'));
        DeepKnob.all().forEach(k -> row.append(',').append(r.knobs().get(k.id())));
        return row.toString();
    }

    private synchronized void append(String file, String line) {
        try {
            Files.writeString(out.resolve(file), line + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("could not append to " + out.resolve(file), e);
        }
    }

    /** Arbiter's task per candidate: {@link #evaluate}, then the rows and the progress line. */
    private final class Creator implements TaskCreator {
        private final SearchProgress progress;

        Creator(SearchProgress progress) {
            this.progress = progress;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Callable<OptimizationResult> create(Candidate candidate, DataProvider data, ScoreFunction score,
                                                   List<StatusListener> listeners, IOptimizationRunner runner) {
            return () -> {
                long created = System.currentTimeMillis();
                Result r;
                try {
                    r = evaluate(candidate.getIndex(), (Map<String, Object>) candidate.getValue(),
                            (List<LogicTask>) data.trainData(Map.of()));
                } catch (RuntimeException e) {
                    LOG.debug("candidate {} failed", candidate.getIndex(), e);
                    r = new Result(candidate.getIndex(), (Map<String, Object>) candidate.getValue(), List.of(),
                            Status.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage(),
                            Double.POSITIVE_INFINITY, (System.currentTimeMillis() - created) / 1e3);
                }
                synchronized (results) {
                    results.add(r);
                }
                append(RESULTS, resultsRow(r));
                progress.finished(true, r.status() == Status.FAILED ? Double.NaN : r.score(), describe(r));
                CandidateInfo info = new CandidateInfo(r.index(), r.status() == Status.FAILED ? CandidateStatus.Failed
                        : CandidateStatus.Complete, r.score(), created, created, System.currentTimeMillis(),
                        candidate.getFlatParameters(), r.status() == Status.FAILED ? r.reason() : null);
                return new OptimizationResult(candidate, r.score(), r.index(), null, info, null);
            };
        }

        @Override
        public Callable<OptimizationResult> create(Candidate candidate, Class<? extends DataSource> dataSource,
                                                   Properties properties, ScoreFunction score,
                                                   List<StatusListener> listeners, IOptimizationRunner runner) {
            throw new UnsupportedOperationException("a DEEP search reads its tasks from its DataProvider");
        }
    }

    /** The console's words for a finished candidate: score, per task learnt runs and median sparsity, time. */
    static String describe(Result r) {
        if (r.status() == Status.FAILED) {
            return "failed: " + r.reason();
        }
        return String.format(Locale.ROOT, "score %.3g (%s%s, %.0f s)", r.score(), r.tasks().stream()
                .map(t -> String.format(Locale.ROOT, "%s %d/%d learnt, median sparsity %.1f %%", t.task().id(),
                        t.learnt(), t.runs().size(), 100 * t.medianSparsity())).collect(Collectors.joining("; ")),
                r.status() == Status.STOPPED ? "; stopped: " + r.reason() : "", r.seconds());
    }

    /** Arbiter's data for the candidates: the logic tasks, in the config's order. */
    private static final class Tasks implements DataProvider {
        private final List<LogicTask> tasks;

        Tasks(List<LogicTask> tasks) {
            this.tasks = List.copyOf(tasks);
        }

        @Override
        public Object trainData(Map<String, Object> dataParameters) {
            return tasks;
        }

        @Override
        public Object testData(Map<String, Object> dataParameters) {
            return tasks;
        }

        @Override
        public Class<?> getDataType() {
            return List.class;
        }
    }

    /**
     * Arbiter's view of the score: the shortfall from the claims, minimized. The task creator computes it; there is no
     * model for Arbiter to score.
     */
    private static final class Shortfall implements ScoreFunction {
        @Override
        public double score(Object model, DataProvider dataProvider, Map<String, Object> dataParameters) {
            throw new UnsupportedOperationException("DEEP candidates are scored by the search's task creator");
        }

        @Override
        public double score(Object model, Class<? extends DataSource> dataSource, Properties dataSourceProperties) {
            throw new UnsupportedOperationException("DEEP candidates are scored by the search's task creator");
        }

        @Override
        public boolean minimize() {
            return true;
        }

        @Override
        public List<Class<?>> getSupportedModelTypes() {
            return List.of();
        }

        @Override
        public List<Class<?>> getSupportedDataTypes() {
            return List.of(List.class);
        }
    }
}
