package org.eqp.arbiter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxTimeCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.TerminationCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.eqp.data.LoadedDataset;

/**
 * Runs a {@link SearchConfig} with Arbiter: its random or grid generator over the {@link EpSearchSpace}, the
 * {@link EpDataSource}, termination by candidate count and time, {@link EpTaskCreator} for each candidate
 * ({@code concurrency} at once). Results land in {@code DIR/results.csv} as candidates finish; a re-run with the same
 * directory skips candidates already there. The default configuration is trained on the same split for reference.
 */
public final class EpSearch {

    /** What a search did. */
    public record Outcome(List<SearchResults.Row> rows, SearchResults.Row best, Map<String, Object> defaults,
                          CandidateTraining.Outcome defaultOutcome, String defaultFailure) {
        public long failed() {
            return rows.stream().filter(r -> !r.complete()).count();
        }
    }

    private EpSearch() {
    }

    /**
     * @param dataDir where dataset files are read from, or null for the project's cache and defaults
     */
    public static Outcome run(SearchConfig config, Path out, Path dataDir, PrintStream log) throws IOException {
        SearchResults results = SearchResults.open(out.resolve("results.csv"));
        int planned = plannedCandidates(config);
        SearchProgress progress = new SearchProgress(planned, log);
        CandidateGenerator generator = generator(config);
        List<TerminationCondition> stop = new ArrayList<>(List.of(new MaxCandidatesCondition(planned)));
        if (config.maxMinutes() > 0) {
            stop.add(new MaxTimeCondition((long) Math.ceil(config.maxMinutes() * 60), TimeUnit.SECONDS));
        }
        OptimizationConfiguration arbiter = new OptimizationConfiguration.Builder().candidateGenerator(generator)
                .dataSource(EpDataSource.class, EpDataSource.properties(config, dataDir))
                .scoreFunction(new EpScoreFunction()).terminationConditions(stop).rngSeed(config.seed())
                .build();
        LocalOptimizationRunner runner = new LocalOptimizationRunner(config.concurrency(), arbiter,
                new EpTaskCreator(config.score(), config.seed(), results, progress));
        runner.execute();

        Map<String, Object> defaults = config.space().defaults();
        EpDataSource data = new EpDataSource();
        data.configure(EpDataSource.properties(config, dataDir));
        CandidateTraining.Outcome defaultOutcome = null;
        String defaultFailure = null;
        try {
            defaultOutcome = CandidateTraining.train(defaults, (LoadedDataset) data.trainData(), config.seed() - 1);
        } catch (CandidateTraining.CandidateFailedException e) {
            defaultFailure = e.getMessage();
        }
        List<SearchResults.Row> rows = results.rows();
        SearchResults.Row best = rows.stream().filter(SearchResults.Row::complete)
                .min(java.util.Comparator.comparingDouble(SearchResults.Row::score)).orElse(null);
        return new Outcome(rows, best, defaults, defaultOutcome, defaultFailure);
    }

    /**
     * How many candidates the search will run: max_candidates, or fewer for a smaller grid (grid_points values per
     * varying knob). Arbiter's runner waits for a termination condition even once its grid is exhausted, so the count
     * condition must not exceed the grid.
     */
    static int plannedCandidates(SearchConfig config) {
        if (!config.generator().equals("grid")) {
            return config.maxCandidates();
        }
        double grid = Math.pow(config.gridPoints(), config.space().varying().size());
        return (int) Math.min(config.maxCandidates(), grid);
    }

    private static CandidateGenerator generator(SearchConfig config) {
        if (config.space().varying().isEmpty()) {
            throw new IllegalArgumentException("the search space varies no hyperparameter: give at least one range or "
                    + "choice under 'space'");
        }
        if (config.generator().equals("grid")) {
            return new GridSearchCandidateGenerator(config.space(), config.gridPoints(),
                    GridSearchCandidateGenerator.Mode.Sequential, null);
        }
        RandomSearchGenerator random = new RandomSearchGenerator(config.space(), null);
        random.setRngSeed(config.seed());
        return random;
    }
}
