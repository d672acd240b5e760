package org.eqp.arbiter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.arbiter.optimize.api.AbstractParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;

/**
 * The search space over EP's knobs: one Arbiter parameter space per {@link Knob} (fixed, uniform, log-uniform,
 * integer range or choice); a candidate is the map knob id to value, with every knob not given at its default.
 */
public final class EpSearchSpace extends AbstractParameterSpace<Map<String, Object>> {
    private final Map<Knob, ParameterSpace<?>> spaces;

    public EpSearchSpace(Map<Knob, ParameterSpace<?>> spaces) {
        this.spaces = new LinkedHashMap<>(spaces);
        for (Knob k : Knob.values()) {
            this.spaces.putIfAbsent(k, new FixedValue<>(k.defaultValue()));
        }
    }

    /** The knobs that vary (not fixed). */
    public List<Knob> varying() {
        return spaces.entrySet().stream().filter(e -> e.getValue().numParameters() > 0).map(Map.Entry::getKey).toList();
    }

    /** Every knob at its fixed value or default; varying knobs at their default ({@link Knob#defaultValue}). */
    public Map<String, Object> defaults() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<Knob, ParameterSpace<?>> e : spaces.entrySet()) {
            Object value = e.getValue().numParameters() == 0 ? e.getValue().getValue(new double[0])
                    : e.getKey().defaultValue();
            m.put(e.getKey().id(), e.getKey().check(value, "default"));
        }
        return m;
    }

    @Override
    public Map<String, Object> getValue(double[] parameterValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<Knob, ParameterSpace<?>> e : spaces.entrySet()) {
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
        throw new UnsupportedOperationException("EpSearchSpace is not a leaf; Arbiter indexes its leaves");
    }
}
