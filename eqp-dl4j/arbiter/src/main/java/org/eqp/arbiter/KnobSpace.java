package org.eqp.arbiter;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.arbiter.optimize.api.AbstractParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;

/**
 * One varying knob as an Arbiter leaf: Arbiter's candidate value u in [0, 1] (random, or a grid point) maps to
 * <ul>
 *   <li>{@link Shape#UNIFORM}: {@code lo + u (hi - lo)};</li>
 *   <li>{@link Shape#LOG_UNIFORM}: {@code exp(log lo + u (log hi - log lo))}, each decade equally likely
 *       (0 &lt; lo);</li>
 *   <li>{@link Shape#INTEGER}: an integer in [lo, hi], each equally likely;</li>
 *   <li>{@link Shape#CHOICE}: one of the choices, each equally likely.</li>
 * </ul>
 * Leaves compare by identity, so two knobs with the same range still vary independently (Arbiter merges equal
 * leaves).
 */
public final class KnobSpace extends AbstractParameterSpace<Object> {

    /** How u maps to a value. */
    public enum Shape {
        UNIFORM, LOG_UNIFORM, INTEGER, CHOICE
    }

    private final Shape shape;
    private final double lo;
    private final double hi;
    private final List<Object> choices;
    private int index = -1;

    private KnobSpace(Shape shape, double lo, double hi, List<Object> choices) {
        this.shape = shape;
        this.lo = lo;
        this.hi = hi;
        this.choices = choices;
    }

    /** A range: uniform, log-uniform (lo &gt; 0) or integer. */
    public static KnobSpace range(Shape shape, double lo, double hi) {
        if (shape == Shape.CHOICE) {
            throw new IllegalArgumentException("a choice takes a list of values, not a range");
        }
        if (!(lo <= hi) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new IllegalArgumentException("a range needs finite lo <= hi; got [" + lo + ", " + hi + "]");
        }
        if (shape == Shape.LOG_UNIFORM && !(lo > 0)) {
            throw new IllegalArgumentException("a log-uniform range needs lo > 0; got " + lo);
        }
        return new KnobSpace(shape, lo, hi, List.of());
    }

    /**
     * A knob's space as a config file gives it: a fixed value, or {@code {uniform | loguniform | int: [lo, hi]}}, or
     * {@code {choice: [...]}}; every value checked by the knob ({@link SearchKnob#check}).
     *
     * @param where names the field in errors, e.g. {@code "deep.yaml: space.lr"}
     * @throws IllegalArgumentException naming {@code where} and what is allowed
     */
    @SuppressWarnings("unchecked")
    public static ParameterSpace<?> parse(SearchKnob knob, Object spec, String where) {
        if (!(spec instanceof Map<?, ?> m)) {
            return new FixedValue<>(knob.check(spec, where));
        }
        if (m.size() != 1) {
            throw new IllegalArgumentException(where + ": give one of {uniform: [lo, hi]}, {loguniform: [lo, hi]}, "
                    + "{int: [lo, hi]}, {choice: [a, b, ...]} or a fixed value");
        }
        Map.Entry<String, Object> e = ((Map<String, Object>) m).entrySet().iterator().next();
        if (!(e.getValue() instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException(where + ": " + e.getKey() + " takes a list, e.g. [0.1, 1.0]");
        }
        if (e.getKey().equals("choice")) {
            return choice(list.stream().map(v -> knob.check(v, where)).toList());
        }
        Shape shape = switch (e.getKey()) {
            case "uniform" -> Shape.UNIFORM;
            case "loguniform" -> Shape.LOG_UNIFORM;
            case "int" -> Shape.INTEGER;
            default -> throw new IllegalArgumentException(where + ": unknown distribution '" + e.getKey()
                    + "'; allowed: uniform, loguniform, int, choice");
        };
        if (list.size() != 2) {
            throw new IllegalArgumentException(where + ": " + e.getKey() + " takes [lo, hi]; got " + list);
        }
        if (shape != Shape.INTEGER && !knob.continuous()) {
            throw new IllegalArgumentException(where + ": " + knob.id() + " takes whole or discrete values; use "
                    + "{int: [lo, hi]} or {choice: [...]}");
        }
        Object lo = knob.check(list.get(0), where);
        Object hi = knob.check(list.get(1), where);
        try {
            return range(shape, ((Number) lo).doubleValue(), ((Number) hi).doubleValue());
        } catch (IllegalArgumentException | ClassCastException ex) {
            throw new IllegalArgumentException(where + ": " + (ex.getMessage() == null ? "not a range" : ex.getMessage()));
        }
    }

    /** One of the given values (at least one). */
    public static KnobSpace choice(List<Object> choices) {
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("a choice needs at least one value");
        }
        return new KnobSpace(Shape.CHOICE, 0, 0, List.copyOf(choices));
    }

    @Override
    public Object getValue(double[] parameterValues) {
        if (index < 0) {
            throw new IllegalStateException("the search has not assigned this space an index");
        }
        double u = Math.min(1, Math.max(0, parameterValues[index]));
        return switch (shape) {
            case UNIFORM -> lo + u * (hi - lo);
            case LOG_UNIFORM -> Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo)));
            case INTEGER -> (int) Math.min(hi, Math.floor(lo + u * (hi - lo + 1)));
            case CHOICE -> choices.get(Math.min(choices.size() - 1, (int) Math.floor(u * choices.size())));
        };
    }

    @Override
    public int numParameters() {
        return 1;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public List<ParameterSpace> collectLeaves() {
        return List.of(this);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Map<String, ParameterSpace> getNestedSpaces() {
        return Map.of();
    }

    @Override
    public boolean isLeaf() {
        return true;
    }

    @Override
    public void setIndices(int... indices) {
        this.index = indices[0];
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
