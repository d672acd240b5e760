package org.eqp.examples.deep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eqp.arbiter.ConfigFields;
import org.eqp.directed.DirectedGraph;
import org.eqp.directed.DirectedNetwork;
import org.eqp.directed.DirectedRule;
import org.junit.jupiter.api.Test;

/** The DEEP logic search's config, its claims and the per-task counts the reports print. */
class DeepSearchConfigTest {
    private static final Path CONFIGS = Path.of(System.getProperty("eqp.testResources", "../test-resources"))
            .resolveSibling("arbiter-configs");
    private static final DirectedGraph PAPER_GRAPH = DirectedGraph.complete(2, 5, 1, true);

    /** A run on the paper's 48-edge graph that ends with {@code errors} wrong patterns and {@code live} edges left. */
    private static DeepRuns.Run run(int errors, int live) {
        double[] w = new double[PAPER_GRAPH.size() * PAPER_GRAPH.size()];
        int kept = 0;
        for (int k = 0; k < w.length && kept < live; k++) {
            if (PAPER_GRAPH.edge(k / PAPER_GRAPH.size(), k % PAPER_GRAPH.size())) {
                w[k] = 0.5;
                kept++;
            }
        }
        return new DeepRuns.Run(1, new double[] {0}, errors, new DirectedNetwork(PAPER_GRAPH, w), PAPER_GRAPH);
    }

    @Test
    void theShippedConfigParsesWithTheIssuesClaimsAndANonEmptySpace() {
        // given arbiter-configs/deep-logic.yaml
        Path file = CONFIGS.resolve("deep-logic.yaml");
        // when it is read as ./eqp search reads it
        Map<String, Object> yaml = ConfigFields.readYaml(file);
        DeepSearchConfig c = DeepSearchConfig.parse(yaml, file.toString());
        // then it is a DEEP search on the three tasks, 10 seeds, the issue's claims, and it varies knobs
        assertTrue(DeepSearchConfig.describes(yaml));
        assertEquals(List.of(LogicTask.XOR, LogicTask.AND, LogicTask.OR), c.tasks());
        assertEquals(10, c.seeds());
        assertEquals(DeepClaim.paper(), c.claims());
        assertTrue(c.space().varying().size() >= 5, c.space().varying().toString());
        assertTrue(c.space().varying().contains(DeepKnob.REGROW));
        assertTrue(c.plan().plannedCandidates(c.space().varying().size()) > 0);
        assertTrue(c.plan().maxMinutes() > 0 && c.plan().maxMinutes() <= 60, "a stated wall-clock budget");
        // and the candidates its generator draws are recipes the layer accepts
        var generator = c.plan().generator(c.space(), c.seed());
        for (int k = 0; k < 20; k++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> candidate = (Map<String, Object>) generator.getCandidate().getValue();
            assertEquals(DirectedRule.DEEP, DeepKnob.recipe(candidate).settings().rule());
        }
    }

    @Test
    void theDefaultCandidateIsTheAuthorsRecipe() {
        // given a search space that sets nothing, then its candidate is the notebook's DEEP recipe with pruning
        Map<String, Object> defaults = new org.eqp.arbiter.KnobSearchSpace<>(Map.of(), DeepKnob.all()).defaults();
        assertEquals(DeepRecipe.paper(DirectedRule.DEEP, true), DeepKnob.recipe(defaults));
        assertEquals(5, DeepKnob.hidden(defaults));
        assertEquals(200, DeepKnob.epochs(defaults));
        assertEquals(0.05, DeepKnob.initSigma(defaults));
    }

    @Test
    void badConfigsNameTheFileTheFieldAndWhatIsAllowed() {
        assertMessage(Map.of("experiment", "deep-xor"), "test.yaml: field 'experiment' takes deep-logic; got 'deep-xor'");
        assertMessage(config(Map.of("tasks", List.of("and", "nand"))), "field 'tasks' takes and, or, xor; got 'nand'");
        assertMessage(config(Map.of("tasks", List.of("and", "and"))), "field 'tasks' names and twice");
        assertMessage(config(Map.of("seeds", 5)), "the paper's claim for and needs 9 learnt runs but 'seeds' is 5");
        assertMessage(config(Map.of("claims", Map.of("and", Map.of("learnt", 11)))),
                "claims.and: learnt must be at most seeds (10)");
        assertMessage(config(Map.of("tasks", List.of("and"), "claims", Map.of("or", Map.of("learnt", 1)))),
                "claims.or: the search does not run or; add it to 'tasks'");
        assertMessage(config(Map.of("claims", Map.of("and", Map.of("runs", 1)))), "unknown field 'claims.and.runs'");
        assertMessage(config(Map.of("stop_early", "yes")), "field 'stop_early' takes true or false");
        assertMessage(config(Map.of("space", Map.of("eps", 0.5))), "unknown hyperparameter 'eps'; known: hidden, lambda");
        assertMessage(config(Map.of("space", Map.of("hidden", Map.of("uniform", List.of(2, 8))))),
                "space.hidden: hidden takes whole or discrete values");
        assertMessage(config(Map.of("space", Map.of("hidden", 3))), "the field 'space' varies no hyperparameter");
        assertMessage(config(Map.of("dataset", "wine")), "unknown field 'dataset'");
    }

    /** A valid config (lr varies) with the given fields replaced. */
    private static Map<String, Object> config(Map<String, Object> changes) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("experiment", "deep-logic");
        c.put("space", Map.of("lr", Map.of("loguniform", List.of(10, 100))));
        c.putAll(changes);
        return c;
    }

    private static void assertMessage(Map<String, Object> config, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeepSearchConfig.parse(config, "test.yaml"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void theReportCountsRunsLearntAndAtThePapersSparsity() {
        // given ten AND runs on the 48-edge graph: 7 learnt with 3 edges left (93.75 %, the paper's), 1 learnt with 2
        // (95.83 %), 1 learnt with 10, 1 not learnt with 1 edge left (97.9 %)
        List<DeepRuns.Run> runs = new ArrayList<>();
        for (int k = 0; k < 7; k++) {
            runs.add(run(0, 3));
        }
        runs.add(run(0, 2));
        runs.add(run(0, 10));
        runs.add(run(2, 1));
        TaskRuns and = new TaskRuns(LogicTask.AND, DeepRecipe.paper(DirectedRule.DEEP, true), runs);
        // then 9 learnt, the median is 93.75 %, the best learnt run is the 2-edge one, 9 runs are at or above the paper
        // (the unlearnt one included) and 8 of them learnt
        assertEquals(9, and.learnt());
        assertEquals(45 / 48.0, and.medianSparsity(), 1e-12);
        assertEquals(46 / 48.0, and.bestLearntSparsity(), 1e-12);
        assertEquals(9, and.atPaperSparsity());
        assertEquals(8, and.learntAtPaperSparsity());
        // and the claim for AND (9 learnt at a 90 % median) is met, with one unlearnt run more it is not
        DeepClaim claim = DeepClaim.paper().get(LogicTask.AND);
        assertTrue(claim.metBy(runs));
        assertEquals(0.0, claim.shortfall(runs, 10), 0.0);
        List<DeepRuns.Run> oneWorse = new ArrayList<>(runs);
        oneWorse.set(8, run(1, 10));
        assertFalse(claim.metBy(oneWorse));
        assertEquals(0.1, claim.shortfall(oneWorse, 10), 1e-12);
    }

    @Test
    void aClaimIsOutOfReachOnceTooManyRunsFailedOrTooFewCanStillBeSparse() {
        DeepClaim xor = DeepClaim.paper().get(LogicTask.XOR);
        // 5 of 10 must learn: after 5 failures it is still reachable, after 6 it is not
        List<DeepRuns.Run> failed = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            failed.add(run(1, 10));
        }
        assertTrue(xor.reachable(failed, 10));
        failed.add(run(1, 10));
        assertFalse(xor.reachable(failed, 10));
        // the median of 10 (the mean of the 5th and 6th sparsest) needs them near 60 %: four runs far below it leave it
        // reachable, six rule it out
        List<DeepRuns.Run> dense = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            dense.add(run(0, 40));
        }
        assertFalse(xor.reachable(dense, 10));
        assertTrue(xor.reachable(dense.subList(0, 4), 10));
        // a partial shortfall counts the missing runs as failed at sparsity 0: 5 learnt short, median 0
        assertEquals(0.5 + 0.6, xor.shortfall(List.of(), 10), 1e-12);
    }
}
