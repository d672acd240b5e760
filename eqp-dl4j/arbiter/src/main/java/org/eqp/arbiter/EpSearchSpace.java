package org.eqp.arbiter;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;

/** The search space over EP's knobs ({@link Knob}), every knob not given at its default. */
public final class EpSearchSpace extends KnobSearchSpace<Knob> {

    public EpSearchSpace(Map<Knob, ParameterSpace<?>> spaces) {
        super(spaces, List.of(Knob.values()));
    }

    /** The space a config's {@code space} mapping describes; {@code name} names the config in errors. */
    public static EpSearchSpace parse(Map<String, Object> space, String name) {
        return new EpSearchSpace(knobSpaces(space, List.of(Knob.values()), name));
    }
}
