package org.eqp.dl4j.layers;

import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossL2;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * The score of the squared-error losses computed in Java on the few output values of a batch, instead of through
 * ND4J's loss function (half a dozen array operations and allocations per call, a tenth of an EP training step on
 * 784-500-10 by the profile in README "Performance"). It applies to {@link LossL2} and {@link LossMSE} without class
 * weights, with the identity activation and no label mask, and gives DL4J's value up to float rounding (DL4J sums in
 * float, this in double):
 * <pre>
 *   L2:  sum_{r, j} (y_rj - a_rj)^2        MSE: the L2 sum / nOut
 * </pre>
 * summed over the batch's rows r and output columns j, before DL4J divides by the minibatch size.
 */
final class SquaredErrorScore {
    private SquaredErrorScore() {
    }

    /** Whether {@link #sum} gives this layer's loss: L2 or MSE, unweighted, identity activation, no mask. */
    static boolean applies(BaseOutputLayer conf, INDArray labelMask) {
        ILossFunction loss = conf.getLossFn();
        boolean squared = loss instanceof LossL2 l2 && l2.getWeights() == null;  // LossMSE extends LossL2
        return squared && labelMask == null && conf.getActivationFn() instanceof ActivationIdentity;
    }

    /**
     * The loss summed over the batch (not yet divided by its size).
     *
     * @param labels  [batch, nOut]
     * @param outputs [batch, nOut], the layer's pre-activation (the output units at the free equilibrium)
     * @param mse     divide by nOut, as {@link LossMSE} does
     */
    static double sum(INDArray labels, INDArray outputs, boolean mse) {
        float[][] y = labels.toFloatMatrix();
        float[][] a = outputs.toFloatMatrix();
        double sum = 0;
        for (int r = 0; r < y.length; r++) {
            for (int j = 0; j < y[r].length; j++) {
                double d = y[r][j] - a[r][j];
                sum += d * d;
            }
        }
        return mse ? sum / y[0].length : sum;
    }
}
