package org.eqp.arbiter;

import java.util.List;
import java.util.Locale;

/**
 * The hyperparameters an EP search can vary, one line each: the name used in config files, the kind of value, the
 * default (the quickstart settings of {@code ./eqp train}), and what is allowed.
 */
public enum Knob {
    MODEL("model", Kind.CHOICE, "ep", List.of("ep", "backprop")),
    LR("lr", Kind.POSITIVE, 0.05, null),
    BETA("beta", Kind.NON_ZERO, 1.0, null),
    EPS("eps", Kind.POSITIVE, 0.5, null),
    FREE("free", Kind.COUNT, 20, null),
    NUDGED("nudged", Kind.COUNT, 4, null),
    RANDOM_SIGN("random_sign", Kind.BOOLEAN, true, null),
    HIDDEN("hidden", Kind.SIZES, "500", null),
    TOPOLOGY("topology", Kind.CHOICE, "layered",
            List.of("layered", "small-world", "small-world-add", "small-world-intralayer")),
    P("p", Kind.PROBABILITY, 0.1, null),
    REPLACEMENTS("replacements", Kind.COUNT_OR_ZERO, 0, null),
    SKIP_INIT("skip_init", Kind.NON_NEGATIVE, 0.0, null),
    UPDATER("updater", Kind.CHOICE, "sgd", List.of("sgd", "adam")),
    EPOCHS("epochs", Kind.COUNT, 1, null),
    BATCH("batch", Kind.COUNT, 20, null);

    /** What values a knob takes. */
    public enum Kind {
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
        return kind == Kind.POSITIVE || kind == Kind.NON_NEGATIVE || kind == Kind.NON_ZERO || kind == Kind.PROBABILITY;
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
