package org.eqp.arbiter;

import java.util.List;
import java.util.Locale;
import org.eqp.learning.EpSettings;
import org.eqp.topology.spec.Layered;
import org.eqp.topology.spec.SymmetricTopologySpec;

/**
 * The hyperparameters an EP search can vary, one line each: the name used in config files, the kind of value, the
 * default, and what is allowed. The EP knobs' defaults are {@link EpSettings#DEFAULTS} and
 * {@link EpSettings#defaultLearningRates} (the layer's builder and {@code ./eqp train} start from them too); the
 * topology kinds are {@link SymmetricTopologySpec#kinds()}.
 */
public enum Knob {
    MODEL("model", Kind.CHOICE, "ep", List.of("ep", "backprop")),
    LR("lr", Kind.RATE, Knob.RATE_DEFAULT, null),
    BETA("beta", Kind.NON_ZERO, EpSettings.DEFAULTS.beta(), null),
    EPS("eps", Kind.POSITIVE, EpSettings.DEFAULTS.eps(), null),
    FREE("free", Kind.COUNT, EpSettings.DEFAULTS.freeIterations(), null),
    NUDGED("nudged", Kind.COUNT, EpSettings.DEFAULTS.nudgedIterations(), null),
    RANDOM_SIGN("random_sign", Kind.BOOLEAN, EpSettings.DEFAULTS.randomSignBeta(), null),
    HIDDEN("hidden", Kind.SIZES, "500", null),
    TOPOLOGY("topology", Kind.CHOICE, Layered.KIND, SymmetricTopologySpec.kinds()),
    P("p", Kind.PROBABILITY, 0.1, null),
    REPLACEMENTS("replacements", Kind.COUNT_OR_ZERO, 0, null),
    SKIP_INIT("skip_init", Kind.NON_NEGATIVE, 0.0, null),
    UPDATER("updater", Kind.CHOICE, "sgd", List.of("sgd", "adam")),
    /** The EP layer's loss: the papers' squared error, or cross-entropy through a softmax readout (EP models only). */
    LOSS("loss", Kind.CHOICE, "l2", List.of("l2", "mcxent")),
    EPOCHS("epochs", Kind.COUNT, 1, null),
    BATCH("batch", Kind.COUNT, 20, null);

    /**
     * The value of {@link #LR} that stands for the default rates of the candidate's hidden layers
     * ({@link EpSettings#defaultLearningRates}: per block .1/.05 for one hidden layer, .02 for deeper nets).
     */
    public static final String RATE_DEFAULT = "default";

    /** What values a knob takes. */
    public enum Kind {
        /** A learning rate &gt; 0, or {@link #RATE_DEFAULT}. */
        RATE,
        POSITIVE, NON_NEGATIVE, NON_ZERO, PROBABILITY, COUNT, COUNT_OR_ZERO, BOOLEAN, CHOICE,
        /** Hidden layer sizes as "500" or "100,100,100". */
        SIZES
    }

    private final String id;
    private final Kind kind;
    private final Object defaultValue;
    private final List<String> choices;

    Knob(String id, Kind kind, Object defaultValue, List<String> choices) {
        this.id = id;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.choices = choices;
    }

    public String id() {
        return id;
    }

    public Kind kind() {
        return kind;
    }

    public Object defaultValue() {
        return defaultValue;
    }

    /** The position of a choice among this knob's choices (-1 if not one of them or not a choice knob). */
    public int choiceIndex(String value) {
        return choices == null ? -1 : choices.indexOf(value);
    }

    /** Whether a value drawn between two numbers can be continuous (false: it is rounded to an integer). */
    public boolean continuous() {
        return kind == Kind.RATE || kind == Kind.POSITIVE || kind == Kind.NON_NEGATIVE || kind == Kind.NON_ZERO
                || kind == Kind.PROBABILITY;
    }

    /** The knob named {@code id} in a config file, or an error listing the names. */
    public static Knob of(String id, String where) {
        for (Knob k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException(where + ": unknown hyperparameter '" + id + "'; known: " + names());
    }

    static String names() {
        return String.join(", ", java.util.Arrays.stream(values()).map(Knob::id).toList());
    }

    /**
     * The value checked and normalized (numbers to Double or Integer, booleans, strings, sizes as an int[]), or an
     * error naming {@code where} and what is allowed.
     */
    public Object check(Object value, String where) {
        try {
            return switch (kind) {
                case RATE -> RATE_DEFAULT.equals(value) ? RATE_DEFAULT : Double.valueOf(require(number(value), v -> v > 0));
                case POSITIVE -> Double.valueOf(require(number(value), v -> v > 0));
                case NON_NEGATIVE -> Double.valueOf(require(number(value), v -> v >= 0));
                case NON_ZERO -> Double.valueOf(require(number(value), v -> v != 0));
                case PROBABILITY -> Double.valueOf(require(number(value), v -> v >= 0 && v <= 1));
                case COUNT -> Integer.valueOf((int) require(integer(value), v -> v >= 1));
                case COUNT_OR_ZERO -> Integer.valueOf((int) require(integer(value), v -> v >= 0));
                case BOOLEAN -> {
                    if (value instanceof Boolean b) {
                        yield b;
                    }
                    throw new IllegalArgumentException("not a boolean");
                }
                case CHOICE -> {
                    String s = String.valueOf(value).toLowerCase(Locale.ROOT);
                    if (!choices.contains(s)) {
                        throw new IllegalArgumentException("not a choice");
                    }
                    yield s;
                }
                case SIZES -> sizes(value);
            };
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException(where + ": '" + value + "' is not allowed for " + id + "; " + describe());
        }
    }

    private String describe() {
        return switch (kind) {
            case RATE -> "give a number > 0 or '" + RATE_DEFAULT + "'";
            case POSITIVE -> "give a number > 0";
            case NON_NEGATIVE -> "give a number >= 0";
            case NON_ZERO -> "give a non-zero number";
            case PROBABILITY -> "give a number in [0, 1]";
            case COUNT -> "give an integer >= 1";
            case COUNT_OR_ZERO -> "give an integer >= 0";
            case BOOLEAN -> "give true or false";
            case CHOICE -> "give one of " + choices;
            case SIZES -> "give hidden sizes as 500 or \"100,100,100\"";
        };
    }

    private static double number(Object value) {
        if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("not a finite number");
    }

    private static double integer(Object value) {
        double v = number(value);
        if (v != Math.rint(v)) {
            throw new IllegalArgumentException("not an integer");
        }
        return v;
    }

    private static double require(double v, java.util.function.DoublePredicate ok) {
        if (!ok.test(v)) {
            throw new IllegalArgumentException("out of range");
        }
        return v;
    }

    /** "500", 500 or "100,100,100" as sizes, each at least 1. */
    static int[] sizes(Object value) {
        if (value instanceof int[] given) {
            return sizes(String.join(",", java.util.Arrays.stream(given).mapToObj(Integer::toString).toList()));
        }
        String text = String.valueOf(value).trim();
        int[] sizes = java.util.Arrays.stream(text.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        for (int s : sizes) {
            if (s < 1) {
                throw new IllegalArgumentException("a hidden size below 1");
            }
        }
        return sizes;
    }
}
