package org.eqp.dynamics;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The nudge of a linear cost C = sum_i &lt;delta_i, s_y,i&gt; for an EP block inside a larger network, where delta is
 * the gradient of the network's loss with respect to the block's outputs, as it arrives from the layers above:
 * <pre>  s_y &lt;- clamp(s_y - eps * beta * delta, 0, 1)</pre>
 * after each Euler step. The force does not depend on s_y, so the nudged fixed point is exactly the equilibrium of
 * E + beta * C (no 1 / (1 - 2 eps beta) factor as for the squared error), and EP's estimates tend to dL/dtheta and
 * dL/dx as beta tends to 0 (Scellier and Bengio 2017, Theorem 1, which holds for any differentiable cost).
 */
public final class LinearCostNudge implements NudgeForce {
    private FloatView delta;
    private double beta;

    /**
     * @param delta dL/ds_y per example, [batch, nOut], 'f' order, any finite values
     * @param beta  signed nudge strength, non-zero
     */
    @Override
    public void prepare(INDArray delta, double beta) {
        this.delta = FloatView.of(delta);
        this.beta = beta;
    }

    @Override
    public void apply(INDArray outputs, double eps) {
        FloatView view = FloatView.of(outputs);
        FloatBuffer s = view.buffer();
        FloatBuffer d = delta.buffer();
        float k = (float) (eps * beta);
        for (int i = 0, n = view.length(); i < n; i++) {
            s.put(i, Relaxation.clamp01(s.get(i) - k * d.get(i)));
        }
    }

    /** The gradient from above may take any finite value. */
    @Override
    public boolean boundedTargets() {
        return false;
    }
}
