package org.eqp.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.eqp.arbiter.CandidateTraining;
import org.eqp.arbiter.EpSearchSpace;
import org.eqp.arbiter.Knob;
import org.eqp.arbiter.KnobSearchSpace;
import org.eqp.directed.DirectedRule;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.examples.deep.DeepKnob;
import org.eqp.examples.deep.DeepRecipe;
import org.eqp.examples.run.EpRunConfig;
import org.eqp.learning.EpSettings;
import org.eqp.topology.spec.Layered;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The layer's builder, {@code ./eqp train} and the search knobs all start from {@link EpSettings#DEFAULTS}; {@code ./eqp
 * deep} and the DEEP search's knobs from the authors' recipe.
 */
class DefaultsAgreeTest {

    @Test
    void theBuilderStartsFromTheDefaults() {
        EpOutputLayer layer = new EpOutputLayer.Builder().nIn(4).nOut(2).hidden(3).build();
        assertEquals(EpSettings.DEFAULTS, layer.getNetwork().getSettings());
        assertEquals(new Layered(), layer.getNetwork().getTopologySpec());
    }

    @Test
    void trainWithoutOptionsRunsTheDefaults() {
        // given ./eqp train with only its required options
        TrainCommand train = new TrainCommand();
        new CommandLine(train).parseArgs("--dataset", "mnist", "--out", "x");
        // when it turns its options into a run
        EpRunConfig run = train.runConfig();
        // then the run has the default EP knobs, rates and topology, as the quickstart has
        assertEquals(EpSettings.DEFAULTS, run.settings());
        assertArrayEquals(EpSettings.defaultLearningRates(1), run.learningRates());
        assertEquals(new Layered(), run.topology());
        assertEquals(EpRunConfig.quickstart(1).settings(), run.settings());
        assertArrayEquals(EpRunConfig.quickstart(1).learningRates(), run.learningRates());
    }

    @Test
    void theSearchDefaultsAreTheSame() {
        // given a search space that sets nothing
        Map<String, Object> defaults = new EpSearchSpace(Map.of()).defaults();
        // then every EP knob is at its default, and the default rate is the per-block default of the hidden layers
        assertEquals(EpSettings.DEFAULTS.eps(), defaults.get(Knob.EPS.id()));
        assertEquals(EpSettings.DEFAULTS.beta(), defaults.get(Knob.BETA.id()));
        assertEquals(EpSettings.DEFAULTS.freeIterations(), defaults.get(Knob.FREE.id()));
        assertEquals(EpSettings.DEFAULTS.nudgedIterations(), defaults.get(Knob.NUDGED.id()));
        assertEquals(EpSettings.DEFAULTS.randomSignBeta(), defaults.get(Knob.RANDOM_SIGN.id()));
        assertEquals(Layered.KIND, defaults.get(Knob.TOPOLOGY.id()));
        assertArrayEquals(EpSettings.defaultLearningRates(1), CandidateTraining.learningRates(defaults, 1));
        assertArrayEquals(new double[] {0.02}, CandidateTraining.learningRates(defaults, 3));
        assertArrayEquals(new double[] {0.3}, CandidateTraining.learningRates(Map.of(Knob.LR.id(), 0.3), 1));
    }

    @Test
    void deepWithoutOptionsRunsTheDeepSearchsDefaultCandidate() {
        // given ./eqp deep with only its required option, and a DEEP search space that sets nothing
        DeepCommand deep = new DeepCommand();
        new CommandLine(deep).parseArgs("--out", "x");
        Map<String, Object> defaults = new KnobSearchSpace<>(Map.of(), DeepKnob.all()).defaults();
        // then both train the authors' DEEP recipe with pruning, 5 hidden units, 200 epochs, weights N(0, 0.05^2)
        assertEquals(DeepKnob.recipe(defaults), deep.recipe("deep"));
        assertEquals(DeepRecipe.paper(DirectedRule.DEEP, true), deep.recipe("deep"));
        assertEquals(DeepKnob.hidden(defaults), deep.hidden);
        assertEquals(DeepKnob.epochs(defaults), deep.epochs);
        assertEquals(DeepKnob.initSigma(defaults), deep.initSigma);
    }
}
