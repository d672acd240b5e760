package org.eqp.arbiter;

import java.util.List;

/**
 * A hyperparameter a search can vary, as a config file names it: its id, the {@link KnobKind} of its values, its
 * default and (for a choice) the allowed values. {@link Knob} holds EP's knobs; other searches bring their own.
 */
public interface SearchKnob {

    /** The name in config files and results. */
    String id();

    KnobKind kind();

    /** The value when a config does not give the knob. */
    Object defaultValue();

    /** The allowed values of a {@link KnobKind#CHOICE} knob (lower case), empty for the other kinds. */
    List<String> choices();

    /** Whether a value drawn between two numbers can be continuous (false: it is rounded to an integer). */
    default boolean continuous() {
        return kind().continuous();
    }

    /**
     * The value checked and normalized ({@link KnobKind#check}), or an error naming {@code where}, this knob and what
     * is allowed.
     */
    default Object check(Object value, String where) {
        try {
            return kind().check(value, choices());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": '" + value + "' is not allowed for " + id() + "; "
                    + kind().describe(choices()), e);
        }
    }

    /** The knob among {@code knobs} named {@code id} in a config file, or an error listing the names. */
    static <K extends SearchKnob> K of(List<K> knobs, String id, String where) {
        for (K k : knobs) {
            if (k.id().equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException(where + ": unknown hyperparameter '" + id + "'; known: "
                + String.join(", ", knobs.stream().map(SearchKnob::id).toList()));
    }
}
