package org.eqp.arbiter;

import java.util.List;
import java.util.Locale;
import java.util.function.DoublePredicate;

/**
 * What values a search knob takes ({@link SearchKnob#kind}), and how a value from a config file is checked and
 * normalized: numbers to Double or Integer, booleans, choices to lower case, hidden sizes to an int[].
 */
public enum KnobKind {
    /** A learning rate &gt; 0, or {@link #RATE_DEFAULT}. */
    RATE,
    POSITIVE, NON_NEGATIVE, NON_ZERO, PROBABILITY, COUNT, COUNT_OR_ZERO, BOOLEAN, CHOICE,
    /** Hidden layer sizes as "500" or "100,100,100". */
    SIZES;

    /** The value of a {@link #RATE} knob that stands for the default rates of the candidate's network. */
    public static final String RATE_DEFAULT = "default";

    /** Whether a value drawn between two numbers can be continuous (false: it is rounded to an integer). */
    public boolean continuous() {
        return this == RATE || this == POSITIVE || this == NON_NEGATIVE || this == NON_ZERO || this == PROBABILITY;
    }

    /**
     * The value checked and normalized.
     *
     * @param choices the allowed values of a {@link #CHOICE} (lower case; ignored by the other kinds)
     * @throws IllegalArgumentException if the value is not of this kind (the message is generic: the caller names
     *                                  the knob, see {@link SearchKnob#check})
     */
    public Object check(Object value, List<String> choices) {
        try {
            return switch (this) {
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
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("not a " + name(), e);
        }
    }

    /** What is allowed, for error messages ("give a number &gt; 0"). */
    public String describe(List<String> choices) {
        return switch (this) {
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

    private static double require(double v, DoublePredicate ok) {
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
