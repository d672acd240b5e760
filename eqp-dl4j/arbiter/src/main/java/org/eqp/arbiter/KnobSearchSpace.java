package org.eqp.arbiter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.arbiter.optimize.api.AbstractParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;

/**
 * A search space over a set of knobs: one Arbiter parameter space per knob (fixed, uniform, log-uniform, integer range
 * or choice); a candidate is the map knob id to value, with every knob not given at its default.
 *
 * @param <K> the knobs ({@link Knob} for EP)
 */
public class KnobSearchSpace<K extends SearchKnob> extends AbstractParameterSpace<Map<String, Object>> {
    private final Map<K, ParameterSpace<?>> spaces;

    /**
     * @param spaces the knobs the config gives, in its order
     * @param all    every knob; those not given are fixed at their defaults
     */
    public KnobSearchSpace(Map<K, ParameterSpace<?>> spaces, List<K> all) {
        this.spaces = new LinkedHashMap<>(spaces);
        for (K k : all) {
            this.spaces.putIfAbsent(k, new FixedValue<>(k.defaultValue()));
        }
    }

    /**
     * The space a config's {@code space} mapping describes ({@link KnobSpace#parse} per knob).
     *
     * @param name names the config in errors
     * @throws IllegalArgumentException for an unknown knob or a bad value, naming the file and the field
     */
    public static <K extends SearchKnob> KnobSearchSpace<K> parse(Map<String, Object> space, List<K> all, String name) {
        return new KnobSearchSpace<>(knobSpaces(space, all, name), all);
    }

    /** Each knob the {@code space} mapping names, with its parsed parameter space, in the mapping's order. */
    static <K extends SearchKnob> Map<K, ParameterSpace<?>> knobSpaces(Map<String, Object> space, List<K> all,
                                                                      String name) {
        Map<K, ParameterSpace<?>> spaces = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : space.entrySet()) {
            K knob = SearchKnob.of(all, e.getKey(), name + ": space");
            spaces.put(knob, KnobSpace.parse(knob, e.getValue(), name + ": space." + e.getKey()));
        }
        return spaces;
    }

    /** The knobs that vary (not fixed). */
    public List<K> varying() {
        return spaces.entrySet().stream().filter(e -> e.getValue().numParameters() > 0).map(Map.Entry::getKey).toList();
    }

    /** Every knob at its fixed value or default; varying knobs at their default ({@link SearchKnob#defaultValue}). */
    public Map<String, Object> defaults() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<K, ParameterSpace<?>> e : spaces.entrySet()) {
            Object value = e.getValue().numParameters() == 0 ? e.getValue().getValue(new double[0])
                    : e.getKey().defaultValue();
            m.put(e.getKey().id(), e.getKey().check(value, "default"));
        }
        return m;
    }

    @Override
    public Map<String, Object> getValue(double[] parameterValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<K, ParameterSpace<?>> e : spaces.entrySet()) {
            m.put(e.getKey().id(), e.getKey().check(e.getValue().getValue(parameterValues), "candidate"));
        }
        return m;
    }

    @Override
    public int numParameters() {
        return spaces.values().stream().mapToInt(ParameterSpace::numParameters).sum();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public List<ParameterSpace> collectLeaves() {
        List<ParameterSpace> leaves = new ArrayList<>();
        for (ParameterSpace<?> s : spaces.values()) {
            leaves.addAll(s.collectLeaves());
        }
        return leaves;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Map<String, ParameterSpace> getNestedSpaces() {
        Map<String, ParameterSpace> m = new LinkedHashMap<>();
        spaces.forEach((k, s) -> m.put(k.id(), s));
        return m;
    }

    @Override
    public boolean isLeaf() {
        return false;
    }

    @Override
    public void setIndices(int... indices) {
        throw new UnsupportedOperationException("a knob search space is not a leaf; Arbiter indexes its leaves");
    }
}
