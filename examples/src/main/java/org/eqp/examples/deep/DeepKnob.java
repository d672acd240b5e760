package org.eqp.examples.deep;

import java.util.List;
import java.util.Map;
import org.eqp.arbiter.KnobKind;
import org.eqp.arbiter.SearchKnob;
import org.eqp.directed.DirectedRule;
import org.eqp.directed.DirectedSettings;
import org.eqp.dl4j.conf.DirectedEpOutputLayer;

/**
 * The knobs a DEEP logic-task search ({@link DeepSearchConfig}) can vary, with the authors' notebook values as
 * defaults ({@link DeepRecipe#paper} with pruning) and pruned edges removed for good unless {@code regrow} is true.
 */
public enum DeepKnob implements SearchKnob {
    HIDDEN("hidden", KnobKind.COUNT_OR_ZERO, 5),
    LAMBDA("lambda", KnobKind.NON_NEGATIVE, Paper.RECIPE.settings().pruneBelow()),
    TEMPERATURE("temperature", KnobKind.POSITIVE, Paper.RECIPE.settings().temperature()),
    L1("l1", KnobKind.NON_NEGATIVE, Paper.RECIPE.l1()),
    BETA("beta", KnobKind.NON_ZERO, Paper.RECIPE.settings().beta()),
    LR("lr", KnobKind.POSITIVE, Paper.RECIPE.learningRate()),
    DT("dt", KnobKind.POSITIVE, Paper.RECIPE.settings().dt()),
    FREE("free", KnobKind.COUNT, Paper.RECIPE.settings().freeSteps()),
    NUDGED("nudged", KnobKind.COUNT, Paper.RECIPE.settings().nudgedSteps()),
    EPOCHS("epochs", KnobKind.COUNT, 200),
    /** Sigma of the initial weights N(0, sigma^2). */
    INIT_SIGMA("init_sigma", KnobKind.NON_NEGATIVE, DirectedEpOutputLayer.DEFAULT_INIT_SIGMA),
    REGROW("regrow", KnobKind.BOOLEAN, false);

    /** Holds the authors' recipe for the enum constants' defaults (an enum cannot read its own statics there). */
    private static final class Paper {
        static final DeepRecipe RECIPE = DeepRecipe.paper(DirectedRule.DEEP, true);
    }

    private final String id;
    private final KnobKind kind;
    private final Object defaultValue;

    DeepKnob(String id, KnobKind kind, Object defaultValue) {
        this.id = id;
        this.kind = kind;
        this.defaultValue = defaultValue;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public KnobKind kind() {
        return kind;
    }

    @Override
    public Object defaultValue() {
        return defaultValue;
    }

    @Override
    public List<String> choices() {
        return List.of();
    }

    /** Every knob, in declaration order. */
    public static List<DeepKnob> all() {
        return List.of(values());
    }

    /**
     * The DEEP recipe a candidate describes (states from U[0, 0.1] as the authors'), its hidden units, epochs and
     * initial weights read with {@link #hidden}, {@link #epochs} and {@link #initSigma}.
     *
     * @throws IllegalArgumentException for a combination the layer rejects, e.g. regrow with lambda 0
     */
    public static DeepRecipe recipe(Map<String, Object> candidate) {
        DirectedSettings s = new DirectedSettings(DirectedRule.DEEP, (double) candidate.get(DT.id),
                (int) candidate.get(FREE.id), (int) candidate.get(NUDGED.id), (double) candidate.get(BETA.id),
                (double) candidate.get(LAMBDA.id), (double) candidate.get(TEMPERATURE.id),
                Paper.RECIPE.settings().initialSpread(), (boolean) candidate.get(REGROW.id));
        return new DeepRecipe(s, (double) candidate.get(LR.id), (double) candidate.get(L1.id));
    }

    public static int hidden(Map<String, Object> candidate) {
        return (int) candidate.get(HIDDEN.id);
    }

    public static int epochs(Map<String, Object> candidate) {
        return (int) candidate.get(EPOCHS.id);
    }

    public static double initSigma(Map<String, Object> candidate) {
        return (double) candidate.get(INIT_SIGMA.id);
    }

    /**
     * The candidate as {@code ./eqp deep} flags (each knob's id is its flag, '_' written '-'), to follow
     * {@code ./eqp deep --task ... --runs ... --seed ...}.
     */
    public static String flags(Map<String, Object> candidate) {
        StringBuilder f = new StringBuilder();
        for (DeepKnob k : values()) {
            if (k != REGROW) {
                f.append(f.isEmpty() ? "" : " ").append("--").append(k.id.replace('_', '-')).append(' ').append(candidate.get(k.id));
            }
        }
        return f + ((boolean) candidate.get(REGROW.id) ? " --regrow" : "");
    }
}
