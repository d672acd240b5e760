package org.eqp.dynamics;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The nudge for the squared-error cost C = scale * ||y - s_y||^2, fused into one Java pass:
 * <pre>  s_y &lt;- clamp(s_y + 2 * eps * beta * scale * (y - s_y), 0, 1)</pre>
 * With scale = 1 this is the seed code's nudge (DL4J {@code LossL2}); DL4J's {@code LossMSE} averages
 * over the nOut outputs, i.e. scale = 1/nOut.
 */
public final class SquaredErrorNudge implements NudgeForce {
    private final double scale;
    private FloatView targets;
    private double beta;

    /** @param scale the cost's factor in front of ||y - s_y||^2 (1 for LossL2, 1/nOut for LossMSE) */
    public SquaredErrorNudge(double scale) {
        this.scale = scale;
    }

    @Override
    public void prepare(INDArray targets, double beta) {
        this.targets = FloatView.of(targets);
        this.beta = beta;
    }

    @Override
    public void apply(INDArray outputs, double eps) {
        FloatView view = FloatView.of(outputs);
        FloatBuffer s = view.buffer();
        FloatBuffer y = targets.buffer();
        float k = (float) (2 * eps * beta * scale);
        for (int i = 0, n = view.length(); i < n; i++) {
            float v = s.get(i);
            s.put(i, Relaxation.clamp01(v + k * (y.get(i) - v)));
        }
    }
}
