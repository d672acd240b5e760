package org.eqp.baseline;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Hard clamp to the unit interval: {@code y = min(max(x, 0), 1)}, the state nonlinearity of
 * equilibrium propagation (Scellier &amp; Bengio 2017, "rho").
 *
 * <p>Derivative: 1 for {@code 0 < x < 1}, 0 otherwise (also 0 exactly at the kinks x = 0 and x = 1).
 *
 * <p>Why not DL4J's built-ins: {@code ActivationHardSigmoid} is {@code min(1, max(0, 0.2 x + 0.5))}
 * (slope 0.2, centred at 0), so it is <em>not</em> clamp(x, 0, 1). {@code ActivationReLU} with
 * {@code maxValue = 1} computes the same values but its derivative convention at the kinks is the
 * native op's, not documented here.
 *
 * <p>Stateless and parameter-free; JSON-serializable through DL4J's {@code @class} type info (public
 * no-arg constructor, all instances equal), so {@code MultiLayerConfiguration.toJson()/fromJson()}
 * and {@code ModelSerializer} round-trip it. Like DL4J's own activations it works in place on
 * {@code in}.
 */
public class ActivationClamp01 extends BaseActivationFunction {

    private static final long serialVersionUID = 1L;

    /** Public no-arg constructor (needed by JSON deserialization). */
    public ActivationClamp01() {
    }

    /** Clamps {@code in} to [0, 1] in place and returns it. */
    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        Transforms.max(in, 0.0, false);
        Transforms.min(in, 1.0, false);
        return in;
    }

    /**
     * Gradient with respect to the pre-activation: {@code epsilon * 1[0 < in < 1]}, written into
     * {@code in}. No parameter gradient (second element is {@code null}).
     */
    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        INDArray inside = in.gt(0.0).castTo(in.dataType()).muli(in.lt(1.0).castTo(in.dataType()));
        in.assign(inside).muli(epsilon);
        return new Pair<>(in, null);
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == ActivationClamp01.class;
    }

    @Override
    public int hashCode() {
        return ActivationClamp01.class.getName().hashCode();
    }

    @Override
    public String toString() {
        return "clamp01";
    }
}
