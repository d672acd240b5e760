package org.eqp.dl4j.layers;

import java.nio.FloatBuffer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.eqp.dynamics.FloatView;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossL2;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * The score of the squared-error losses computed in Java on the few output values of a batch, read in place from
 * their native buffers, instead of through ND4J's loss function (half a dozen array operations and allocations per
 * call: 8 % of an EP training step's Java time on 784-500-10 by the profile in README "Measured"). It applies to
 * {@link LossL2} and {@link LossMSE} without class weights, with the identity activation and no label mask, and gives
 * DL4J's value up to float rounding (DL4J sums in float, this in double):
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
        int rows = Math.toIntExact(outputs.size(0));
        int cols = Math.toIntExact(outputs.size(1));
        INDArray y = readable(labels);
        INDArray a = readable(outputs);
        FloatBuffer yb = FloatView.of(y).buffer();
        FloatBuffer ab = FloatView.of(a).buffer();
        boolean yRowMajor = y.ordering() == 'c';
        boolean aRowMajor = a.ordering() == 'c';
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                int rowMajor = r * cols + j;
                int columnMajor = j * rows + r;
                double d = yb.get(yRowMajor ? rowMajor : columnMajor) - ab.get(aRowMajor ? rowMajor : columnMajor);
                sum += d * d;
            }
        }
        return mse ? sum / cols : sum;
    }

    /** {@code m} itself when it is a contiguous float matrix (read in place), else a contiguous float copy. */
    private static INDArray readable(INDArray m) {
        boolean contiguous = m.length() == 1 || m.elementWiseStride() == 1;
        return m.dataType() == DataType.FLOAT && contiguous ? m : m.castTo(DataType.FLOAT).dup('f');
    }
}
