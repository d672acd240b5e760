package org.eqp.arbiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What one candidate's task records when the candidate cannot be trained. */
class EpTaskCreatorTest {

    /** A data source that breaks the way a bug would: not with one of the expected failures. */
    public static final class BrokenDataSource implements DataSource {
        public BrokenDataSource() {
        }

        @Override
        public void configure(Properties properties) {
            throw new IllegalStateException("the disk is on fire\n(second line)");
        }

        @Override
        public Object trainData() {
            throw new AssertionError("never configured");
        }

        @Override
        public Object testData() {
            throw new AssertionError("never configured");
        }

        @Override
        public Class<?> getDataType() {
            return Object.class;
        }
    }

    @Test
    void aCandidateThatThrowsBecomesOneLogLineAndAFailedRow(@TempDir Path out) throws Exception {
        // given the task of candidate 4 whose data source throws
        Map<String, Object> hyperparameters = SearchConfig.parse(Map.of("dataset", "wine", "space",
                Map.of("lr", Map.of("uniform", List.of(0.1, 0.2)))), "t").space().defaults();
        SearchResults results = SearchResults.open(out.resolve("results.csv"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        EpTaskCreator creator = new EpTaskCreator(SearchScore.VALIDATION_ERROR, 1, results,
                new SearchProgress(1, new PrintStream(log, true)));
        // when it runs
        OptimizationResult result = creator.create(new Candidate<>(hyperparameters, 4, new double[] {0.5}),
                BrokenDataSource.class, new Properties(), new EpScoreFunction(), List.of(), null).call();
        // then Arbiter sees a failed candidate scored +infinity, not an exception
        assertEquals(CandidateStatus.Failed, result.getCandidateInfo().getCandidateStatus());
        assertEquals(Double.POSITIVE_INFINITY, result.getScore());
        // and the log has exactly one line for it, naming the exception's type and message
        List<String> lines = log.toString().lines().toList();
        assertEquals(1, lines.size(), log.toString());
        assertTrue(lines.get(0).startsWith("candidate 1 of 1: failed: IllegalStateException: the disk is on fire "
                + "(second line)"), lines.get(0));
        // and results.csv has its failed row with the same reason
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(2, csv.size());
        assertTrue(csv.get(1).startsWith("4,failed,Infinity,"), csv.get(1));
        assertTrue(csv.get(1).contains(",IllegalStateException: the disk is on fire (second line),"), csv.get(1));
    }
}
