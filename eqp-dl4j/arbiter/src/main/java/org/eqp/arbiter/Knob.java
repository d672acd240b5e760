package org.eqp.arbiter;

import java.util.List;
import org.eqp.learning.EpSettings;
import org.eqp.topology.spec.Layered;
import org.eqp.topology.spec.SymmetricTopologySpec;

/**
 * The hyperparameters an EP search can vary, one line each: the name used in config files, the kind of value, the
 * default, and what is allowed. The EP knobs' defaults are {@link EpSettings#DEFAULTS} and
 * {@link EpSettings#defaultLearningRates} (the layer's builder and {@code ./eqp train} start from them too); the
 * topology kinds are {@link SymmetricTopologySpec#kinds()}.
 */
public enum Knob implements SearchKnob {
    MODEL("model", KnobKind.CHOICE, "ep", List.of("ep", "backprop")),
    /**
     * One rate for all blocks, or {@link KnobKind#RATE_DEFAULT} for the default rates of the candidate's hidden layers
     * ({@link EpSettings#defaultLearningRates}: per block .1/.05 for one hidden layer, .02 for deeper nets).
     */
    LR("lr", KnobKind.RATE, KnobKind.RATE_DEFAULT, null),
    BETA("beta", KnobKind.NON_ZERO, EpSettings.DEFAULTS.beta(), null),
    EPS("eps", KnobKind.POSITIVE, EpSettings.DEFAULTS.eps(), null),
    FREE("free", KnobKind.COUNT, EpSettings.DEFAULTS.freeIterations(), null),
    NUDGED("nudged", KnobKind.COUNT, EpSettings.DEFAULTS.nudgedIterations(), null),
    RANDOM_SIGN("random_sign", KnobKind.BOOLEAN, EpSettings.DEFAULTS.randomSignBeta(), null),
    HIDDEN("hidden", KnobKind.SIZES, "500", null),
    TOPOLOGY("topology", KnobKind.CHOICE, Layered.KIND, SymmetricTopologySpec.kinds()),
    P("p", KnobKind.PROBABILITY, 0.1, null),
    REPLACEMENTS("replacements", KnobKind.COUNT_OR_ZERO, 0, null),
    SKIP_INIT("skip_init", KnobKind.NON_NEGATIVE, 0.0, null),
    UPDATER("updater", KnobKind.CHOICE, "sgd", List.of("sgd", "adam")),
    /** The EP layer's loss: the papers' squared error, or cross-entropy through a softmax readout (EP models only). */
    LOSS("loss", KnobKind.CHOICE, "l2", List.of("l2", "mcxent")),
    EPOCHS("epochs", KnobKind.COUNT, 1, null),
    BATCH("batch", KnobKind.COUNT, 20, null);

    private final String id;
    private final KnobKind kind;
    private final Object defaultValue;
    private final List<String> choices;

    Knob(String id, KnobKind kind, Object defaultValue, List<String> choices) {
        this.id = id;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.choices = choices == null ? List.of() : choices;
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
        return choices;
    }

    /** The position of a choice among this knob's choices (-1 if not one of them or not a choice knob). */
    public int choiceIndex(String value) {
        return choices.indexOf(value);
    }

    /** The knob named {@code id} in a config file, or an error listing the names. */
    public static Knob of(String id, String where) {
        return SearchKnob.of(List.of(values()), id, where);
    }
}
