package org.eqp.dynamics;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The nudge for any DL4J loss: {@code s_y <- clamp(s_y - eps * beta * dC/ds_y, 0, 1)}, with dC/ds_y from
 * {@link ILossFunction#computeGradient} evaluated with the layer's output activation applied to s_y
 * (e.g. softmax + MCXENT). Costs a few ND4J ops per step; squared-error losses take {@link SquaredErrorNudge}.
 */
public final class LossFunctionNudge implements NudgeForce {
    private final ILossFunction loss;
    private final IActivation activation;
    private INDArray labels;
    private double beta;

    public LossFunctionNudge(ILossFunction loss, IActivation activation) {
        this.loss = loss;
        this.activation = activation;
    }

    @Override
    public void prepare(INDArray labels, double beta) {
        this.labels = labels;
        this.beta = beta;
    }

    @Override
    public void apply(INDArray outputs, double eps) {
        INDArray grad = loss.computeGradient(labels, outputs.dup(), activation, null);
        outputs.subi(grad.muli(eps * beta));
        FloatView s = FloatView.of(outputs);
        for (int i = 0, n = s.length(); i < n; i++) {
            s.set(i, Relaxation.clamp01(s.get(i)));
        }
    }
}
