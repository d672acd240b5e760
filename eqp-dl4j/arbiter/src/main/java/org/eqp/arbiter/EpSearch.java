package org.eqp.arbiter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.eqp.data.DatasetRequest;
import org.eqp.data.Datasets;
import org.eqp.data.LoadedDataset;

/**
 * Runs a {@link SearchConfig} with Arbiter: its random or grid generator over the {@link EpSearchSpace}, the
 * {@link EpDataSource}, termination by candidate count and time, {@link EpTaskCreator} for each candidate
 * ({@code concurrency} at once). {@link #prepare} checks everything that would make every candidate fail (the data,
 * the validation split, the results already in the output folder) before {@link #run} starts any. Results land in
 * {@code DIR/results.csv} as candidates finish; a re-run with the same directory skips candidates already there. The
 * default configuration is trained on the same split for reference.
 */
public final class EpSearch {

    /** What a search did. */
    public record Outcome(List<SearchResults.Row> rows, SearchResults.Row best, Map<String, Object> defaults,
                          CandidateTraining.Outcome defaultOutcome, String defaultFailure) {
        public long failed() {
            return rows.stream().filter(r -> !r.complete()).count();
        }
    }

    /**
     * Where a search reads its dataset.
     *
     * @param dataDir  a directory searched first, or null
     * @param cacheDir the dataset cache, or null for the default ({@code $EQP_DATA_DIR} or {@code ~/.eqp-dl4j/data})
     * @param loader   loads the dataset once, before any candidate starts: {@link Datasets#load}, or one that first
     *                 fetches a missing dataset into {@code cacheDir}; the candidates then read it from the same places
     */
    public record Data(Path dataDir, Path cacheDir, Function<DatasetRequest, LoadedDataset> loader) {
        /** Read from {@code dataDir} (or null) and the default cache, never fetched. */
        public static Data in(Path dataDir) {
            return new Data(dataDir, null, Datasets::load);
        }
    }

    private final SearchConfig config;
    private final Properties dataProperties;
    private final LoadedDataset split;
    private final SearchResults results;

    private EpSearch(SearchConfig config, Properties dataProperties, LoadedDataset split, SearchResults results) {
        this.config = config;
        this.dataProperties = dataProperties;
        this.split = split;
        this.results = results;
    }

    /**
     * Loads the search's data and splits off its validation part, then opens {@code out/results.csv} (created, or
     * read to resume): every problem that would fail all candidates surfaces here, before any runs.
     *
     * @throws IllegalArgumentException    if the dataset is unknown or unusable, the split leaves no training or no
     *                                     validation examples, or {@code out/results.csv} is not a search's results
     * @throws org.eqp.data.DatasetUnavailableException if the dataset is missing (and {@code data} does not fetch it)
     */
    public static EpSearch prepare(SearchConfig config, Data data, Path out) throws IOException {
        Properties properties = EpDataSource.properties(config, data.dataDir(), data.cacheDir());
        LoadedDataset split = EpDataSource.load(properties, data.loader());
        return new EpSearch(config, properties, split, SearchResults.open(out.resolve("results.csv")));
    }

    /** Runs the candidates not already in the results, then the default configuration; call once. */
    public Outcome run(PrintStream log) {
        SearchPlan plan = config.plan();
        int planned = plan.plannedCandidates(config.space().varying().size());
        SearchProgress progress = new SearchProgress(planned, log);
        OptimizationConfiguration arbiter = new OptimizationConfiguration.Builder()
                .candidateGenerator(plan.generator(config.space(), config.seed()))
                .dataSource(EpDataSource.class, dataProperties)
                .scoreFunction(new EpScoreFunction()).terminationConditions(plan.terminationConditions(planned))
                .rngSeed(config.seed())
                .build();
        LocalOptimizationRunner runner = new LocalOptimizationRunner(plan.concurrency(), arbiter,
                new EpTaskCreator(config.score(), config.seed(), results, progress));
        runner.execute();

        Map<String, Object> defaults = config.space().defaults();
        CandidateTraining.Outcome defaultOutcome = null;
        String defaultFailure = null;
        try {
            defaultOutcome = CandidateTraining.train(defaults, split, config.seed() - 1);
        } catch (CandidateTraining.CandidateFailedException e) {
            defaultFailure = e.getMessage();
        }
        List<SearchResults.Row> rows = results.rows();
        SearchResults.Row best = rows.stream().filter(SearchResults.Row::complete)
                .min(java.util.Comparator.comparingDouble(SearchResults.Row::score)).orElse(null);
        return new Outcome(rows, best, defaults, defaultOutcome, defaultFailure);
    }
}
