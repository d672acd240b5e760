package org.eqp.arbiter;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;
import org.eqp.data.LoadedDataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Arbiter's task for one candidate of an EP search: loads the data source, trains the candidate's network
 * ({@link CandidateTraining}), scores it, records the row in {@link SearchResults} and returns a complete
 * {@link OptimizationResult}. A candidate already in the results (same index, same hyperparameters) is not trained
 * again. A candidate that fails (NaN, divergence, a bad combination, or any exception) is recorded as failed with a
 * one-line reason and scored +infinity, so the search goes on: an exception other than the expected
 * {@link CandidateTraining.CandidateFailedException} and {@link IllegalArgumentException} names its type in the
 * reason, and every failure's stack trace is logged at DEBUG level.
 */
public class EpTaskCreator implements TaskCreator {
    private static final Logger LOG = LoggerFactory.getLogger(EpTaskCreator.class);
    private final SearchScore score;
    private final long seed;
    private final SearchResults results;
    private final SearchProgress progress;

    public EpTaskCreator(SearchScore score, long seed, SearchResults results, SearchProgress progress) {
        this.score = score;
        this.seed = seed;
        this.results = results;
        this.progress = progress;
    }

    @Override
    public Callable<OptimizationResult> create(Candidate candidate, DataProvider dataProvider,
                                               ScoreFunction scoreFunction, List<StatusListener> statusListeners,
                                               IOptimizationRunner runner) {
        throw new UnsupportedOperationException("an EP search reads its data through EpDataSource; configure the "
                + "search with dataSource(EpDataSource.class, properties)");
    }

    @Override
    @SuppressWarnings("unchecked")
    public Callable<OptimizationResult> create(Candidate candidate, Class<? extends DataSource> dataSource,
                                               Properties dataSourceProperties, ScoreFunction scoreFunction,
                                               List<StatusListener> statusListeners, IOptimizationRunner runner) {
        return () -> {
            Map<String, Object> h = (Map<String, Object>) candidate.getValue();
            long created = System.currentTimeMillis();
            SearchResults.Row row = results.done(candidate.getIndex(), h);
            if (row == null) {
                row = train(candidate.getIndex(), h, dataSource, dataSourceProperties);
                results.add(row);
                progress.finished(row, false);
            } else {
                progress.finished(row, true);
            }
            CandidateInfo info = new CandidateInfo(candidate.getIndex(),
                    row.complete() ? CandidateStatus.Complete : CandidateStatus.Failed, row.score(), created, created,
                    System.currentTimeMillis(), candidate.getFlatParameters(), row.complete() ? null : row.reason());
            return new OptimizationResult(candidate, row.score(), candidate.getIndex(), null, info, null);
        };
    }

    private SearchResults.Row train(int index, Map<String, Object> h, Class<? extends DataSource> dataSource,
                                    Properties properties) {
        long start = System.nanoTime();
        try {
            DataSource source = dataSource.getDeclaredConstructor().newInstance();
            source.configure(properties);
            CandidateTraining.Outcome o = CandidateTraining.train(h, (LoadedDataset) source.trainData(), seed + index);
            double s = o.score(score);
            if (!Double.isFinite(s)) {
                throw new CandidateTraining.CandidateFailedException(score.id() + " is " + s
                        + (score == SearchScore.LOG_SPREAD ? " (a backprop candidate has no log-spread)" : ""));
            }
            return new SearchResults.Row(index, true, s, o.seconds(), o.validationError(), o.logSpread(), "",
                    SearchResults.text(h));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("candidate {} failed", index, e);
            return new SearchResults.Row(index, false, Double.POSITIVE_INFINITY, (System.nanoTime() - start) / 1e9,
                    Double.NaN, Double.NaN, reason(e), SearchResults.text(h));
        }
    }

    /**
     * One line: the message of an expected failure; for anything else its type too, since the message alone may say
     * nothing.
     */
    private static String reason(Exception e) {
        boolean expected = e instanceof CandidateTraining.CandidateFailedException
                || e instanceof IllegalArgumentException;
        String text = expected ? String.valueOf(e.getMessage())
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return text.replaceAll("\\s*\\R\\s*", " ");
    }
}
