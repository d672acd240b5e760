package org.eqp.arbiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hyperparameter searches over EP with Arbiter, on the test fixtures (a stalled runner fails instead of hanging CI). */
@org.junit.jupiter.api.Timeout(180)
class EpSearchTest {
    private static final Path FIXTURES = Path.of(System.getProperty("eqp.testResources", "../test-resources"));

    private static Map<String, Object> config(int candidates, Map<String, Object> space) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("dataset", "mnist");
        c.put("seed", 3);
        c.put("budget", Map.of("max_candidates", candidates));
        c.put("space", space);
        return c;
    }

    private static Map<String, Object> tinySpace() {
        Map<String, Object> space = new LinkedHashMap<>();
        space.put("lr", Map.of("loguniform", List.of(0.01, 0.2)));
        space.put("beta", Map.of("uniform", List.of(0.5, 1.0)));
        space.put("hidden", 16);
        space.put("free", 10);
        space.put("nudged", 3);
        space.put("epochs", 1);
        return space;
    }

    @Test
    void aValidConfigBecomesASpaceWithTheGivenKnobsAndDefaultsForTheRest() {
        Map<String, Object> space = tinySpace();
        space.put("topology", Map.of("choice", List.of("layered", "small-world")));
        space.put("free", Map.of("int", List.of(10, 30)));
        SearchConfig c = SearchConfig.parse(config(5, space), "test.yaml");
        assertEquals(5, c.plan().maxCandidates());
        assertEquals(SearchScore.VALIDATION_ERROR, c.score());
        assertEquals(List.of(Knob.LR, Knob.BETA, Knob.FREE, Knob.TOPOLOGY), c.space().varying());
        Map<String, Object> defaults = c.space().defaults();
        assertEquals(0.5, defaults.get("eps"));
        assertEquals(1, defaults.get("epochs"));
        assertEquals("layered", defaults.get("topology"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachKindOfBadConfigNamesTheFileTheFieldAndWhatIsAllowed() {
        Map<String, Object> unknownKnob = tinySpace();
        unknownKnob.put("momentum", 0.9);
        assertMessage(config(2, unknownKnob), "test.yaml: space: unknown hyperparameter 'momentum'; known: model, lr");
        Map<String, Object> badRange = tinySpace();
        badRange.put("p", Map.of("uniform", List.of(0.1, 1.5)));
        assertMessage(config(2, badRange), "test.yaml: space.p: '1.5' is not allowed for p; give a number in [0, 1]");
        Map<String, Object> badDistribution = tinySpace();
        badDistribution.put("beta", Map.of("normal", List.of(0.1, 1.0)));
        assertMessage(config(2, badDistribution), "unknown distribution 'normal'; allowed: uniform, loguniform");
        Map<String, Object> logOfZero = tinySpace();
        logOfZero.put("skip_init", Map.of("loguniform", List.of(0, 1)));
        assertMessage(config(2, logOfZero), "space.skip_init: a log-uniform range needs lo > 0");
        Map<String, Object> choice = tinySpace();
        choice.put("topology", Map.of("choice", List.of("layered", "ring")));
        assertMessage(config(2, choice), "'ring' is not allowed for topology; give one of [layered, small-world");
        Map<String, Object> noDataset = config(2, tinySpace());
        noDataset.remove("dataset");
        assertMessage(noDataset, "field 'dataset' is required");
        Map<String, Object> budget = config(2, tinySpace());
        budget.put("budget", Map.of("max_candidates", 0));
        assertMessage(budget, "field 'max_candidates' must be a number >= 1");
        Map<String, Object> score = config(2, tinySpace());
        score.put("score", "accuracy");
        assertMessage(score, "field 'score' takes validation_error, log_spread or training_time");
        Map<String, Object> nothingVaries = tinySpace();
        nothingVaries.put("lr", 0.1);
        nothingVaries.put("beta", 1.0);
        assertMessage(config(2, nothingVaries), "test.yaml: the field 'space' varies no hyperparameter");
        Map<String, Object> spreadOfBackprop = config(2, tinySpace());
        spreadOfBackprop.put("score", "log_spread");
        ((Map<String, Object>) spreadOfBackprop.get("space")).put("model", "backprop");
        assertMessage(spreadOfBackprop, "every candidate is model: backprop; use model: ep or score: validation_error");
    }

    private static void assertMessage(Map<String, Object> config, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SearchConfig.parse(config, "test.yaml"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void aTinySearchOverTheMnistFixtureRunsEndToEndAndResumes(@TempDir Path out) throws Exception {
        // given a random search of 2 candidates over the MNIST fixture
        Path data = FIXTURES.resolve("mnist-subset");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        EpSearch.Outcome first = EpSearch.prepare(SearchConfig.parse(config(2, tinySpace()), "t"),
                EpSearch.Data.in(data), out).run(new PrintStream(log, true));
        // then both candidates are recorded, complete, with a validation error as score, and the default was scored
        assertEquals(2, first.rows().size(), log.toString());
        assertTrue(first.rows().stream().allMatch(SearchResults.Row::complete), first.rows().toString());
        assertNotNull(first.best());
        // and each score is the candidate's validation error, a count of wrong examples among the 200 held out (a
        // fifth of the fixture's 1,000), and the best is the lowest
        for (SearchResults.Row row : first.rows()) {
            assertEquals(row.validationError(), row.score(), 0.0);
            assertEquals(Math.rint(200 * row.score()), 200 * row.score(), 1e-9, "a multiple of 1/200: " + row.score());
        }
        assertEquals(first.rows().stream().mapToDouble(SearchResults.Row::score).min().orElseThrow(),
                first.best().score(), 0.0);
        assertNotNull(first.defaultOutcome(), first.defaultFailure());
        assertTrue(log.toString().contains("candidate 2 of 2"), log.toString());
        // when the same search runs again with a budget of 3
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        EpSearch.Outcome second = EpSearch.prepare(SearchConfig.parse(config(3, tinySpace()), "t"),
                EpSearch.Data.in(data), out).run(new PrintStream(again, true));
        // then the two finished candidates are skipped and only the third is trained
        assertEquals(3, second.rows().size());
        assertEquals(2, again.toString().split("done before", -1).length - 1, again.toString());
        assertEquals(first.rows().get(0).score(), second.rows().get(0).score(), 0.0);
        assertEquals(1 + 3, Files.readAllLines(out.resolve("results.csv")).size());
    }

    @Test
    void dataThatWouldFailEveryCandidateIsRejectedBeforeAnyRuns(@TempDir Path out) {
        // given a search whose validation split of 1 training example leaves nothing to train on
        Map<String, Object> c = config(2, tinySpace());
        c.put("train_examples", 1);
        SearchConfig config = SearchConfig.parse(c, "t");
        EpSearch.Data data = EpSearch.Data.in(FIXTURES.resolve("mnist-subset"));
        // when it is prepared, then it fails naming the fix, and no results file was started
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EpSearch.prepare(config, data, out));
        assertTrue(e.getMessage().contains("change validation_fraction or train_examples"), e.getMessage());
        assertTrue(!Files.exists(out.resolve("results.csv")));
        // and the same for a dataset that is not there
        SearchConfig wine = SearchConfig.parse(Map.of("dataset", "wine", "space", tinySpace()), "t");
        assertThrows(org.eqp.data.DatasetUnavailableException.class, () -> EpSearch.prepare(wine,
                new EpSearch.Data(out.resolve("empty"), out.resolve("empty"), org.eqp.data.Datasets::load), out));
        assertTrue(!Files.exists(out.resolve("results.csv")));
    }

    @Test
    void resultsOfAnotherSearchOrAGarbledLineAreRejectedNamingTheFile(@TempDir Path out) throws Exception {
        Path file = out.resolve("results.csv");
        Files.writeString(file, "epoch,loss\n1,0.5\n");
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> SearchResults.open(file));
        assertTrue(other.getMessage().contains(file + " is not the results of a search"), other.getMessage());
        Files.delete(file);
        SearchResults.open(file);
        Files.writeString(file, "7,complete,0.1\n", java.nio.file.StandardOpenOption.APPEND);
        IllegalArgumentException garbled = assertThrows(IllegalArgumentException.class, () -> SearchResults.open(file));
        assertTrue(garbled.getMessage().contains(file + ": line 2 is not a result row"), garbled.getMessage());
    }

    @Test
    void aDivergingCandidateIsRecordedAsFailedAndTheSearchGoesOn(@TempDir Path out) throws Exception {
        Map<String, Object> space = tinySpace();
        space.put("model", "backprop");
        space.put("lr", Map.of("choice", List.of(1e30, 1e31)));
        EpSearch.Outcome o = EpSearch.prepare(SearchConfig.parse(config(2, space), "t"),
                EpSearch.Data.in(FIXTURES.resolve("mnist-subset")), out)
                .run(new PrintStream(new ByteArrayOutputStream(), true));
        assertEquals(2, o.rows().size());
        assertEquals(2, o.failed());
        assertTrue(o.rows().get(0).reason().contains("diverged") || o.rows().get(0).reason().contains("NaN"),
                o.rows().get(0).reason());
    }

    @Test
    void aGridSearchVisitsEveryCombinationOnce(@TempDir Path out) throws Exception {
        // given two varying knobs with 2 grid points each
        Map<String, Object> space = tinySpace();
        space.put("lr", Map.of("choice", List.of(0.05, 0.1)));
        space.put("free", Map.of("choice", List.of(5, 10)));
        space.put("beta", 1.0);
        Map<String, Object> config = config(10, space);
        config.put("generator", "grid");
        config.put("grid_points", 2);
        // when searched
        EpSearch.Outcome o = EpSearch.prepare(SearchConfig.parse(config, "t"),
                EpSearch.Data.in(FIXTURES.resolve("mnist-subset")), out)
                .run(new PrintStream(new ByteArrayOutputStream(), true));
        // then the four combinations ran, each once, and the search stopped there
        assertEquals(4, o.rows().size());
        assertEquals(4, o.rows().stream().map(r -> r.knobs().get("lr") + "/" + r.knobs().get("free")).distinct().count());
    }

    @Test
    void theLossIsAKnobAndCrossEntropyCandidatesTrainThroughTheReadout(@TempDir Path out) throws Exception {
        // given a grid over the loss on the MNIST fixture
        Map<String, Object> space = tinySpace();
        space.put("lr", 0.1);
        space.put("beta", 1.0);
        space.put("loss", Map.of("choice", List.of("l2", "mcxent")));
        Map<String, Object> config = config(10, space);
        config.put("generator", "grid");
        config.put("grid_points", 2);
        // when searched
        EpSearch.Outcome o = EpSearch.prepare(SearchConfig.parse(config, "t"),
                EpSearch.Data.in(FIXTURES.resolve("mnist-subset")), out)
                .run(new PrintStream(new ByteArrayOutputStream(), true));
        // then both losses trained to a finite score, and the rows say which was which
        assertEquals(List.of("l2", "mcxent"), o.rows().stream().map(r -> r.knobs().get("loss")).sorted().toList());
        assertTrue(o.rows().stream().allMatch(r -> r.complete() && Double.isFinite(r.score())), o.rows().toString());
    }
}
