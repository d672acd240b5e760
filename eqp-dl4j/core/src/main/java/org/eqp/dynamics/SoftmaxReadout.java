package org.eqp.dynamics;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A softmax readout of the network's last relaxing layer s_y (its "output units"; in an {@code EpOutputLayer} the last
 * hidden layer) kept out of the energy (Laborieux et al. 2021, "Scaling equilibrium
 * propagation to deep ConvNets by drastically reducing its gradient estimator bias", §2.3 and eq. 5): the prediction
 * is {@code p = softmax(z)}, {@code z = s_y R + c}, with the readout weights R [units, classes] and bias c [1, classes]
 * not part of the Hopfield energy, so the relaxation never sees them. The cost is the (optionally class-weighted)
 * cross-entropy {@code C = -sum_k w_k y_k log p_k} (w = 1 without class weights), whose gradient through the readout
 * is
 * <pre>
 *   dC/dz = p * sum_k w_k y_k - w * y          [batch, classes]   (= p - y for unweighted one-hot labels)
 *   dC/ds_y = dC/dz R^T                         [batch, units]
 *   dC/dR = s_y^T dC/dz,  dC/dc = sum_batch dC/dz
 * </pre>
 * As a {@link NudgeForce} it acts inside the Euler step ({@link #insideStep()}):
 * {@code s_y <- clamp(s_y + eps * (W s + b - s_y - beta * dC/ds_y), 0, 1)}, the force {@code -beta R (p - y)} of the
 * paper's eq. 5 in our row-vector convention entering the pre-activation as there. Applied after the clamp instead,
 * a unit held at 0 or 1 by its drive would be pulled inside by the nudge of one sign only, and since the cross-entropy
 * gradient never vanishes the random-sign estimate would push such units ever deeper into saturation (measured: iris
 * collapsed to 30 % error after 160 epochs, MNIST drifted from 4.8 % to 7.9 % in 5 epochs). The
 * The readout's own gradient is the plain cross-entropy gradient at the free equilibrium ({@link #writeGradients}): R and c
 * enter the loss directly and not the equilibrium, so no EP estimate is needed for them.
 *
 * <p>Call {@link #bind} with the current parameters before each use. The buffers are allocated outside any workspace
 * when the batch size changes (never inside the relaxation loop); a nudge step is two gemms and one Java pass.
 */
public final class SoftmaxReadout implements NudgeForce {
    private final int units;
    private final int classes;
    /** Class weights w, or null for w = 1. */
    private final float[] classWeights;
    private INDArray weights;
    private INDArray bias;
    private Buffers buffers;
    private double beta;
    private final GemmSite weightGradientProduct = new GemmSite(true, false);
    private final GemmSite forceProduct = new GemmSite(false, true);
    private final GemmSite logitProduct = new GemmSite(false, false);

    /** The buffers of one batch size, 'f' order. */
    private static final class Buffers {
        final int rows;
        /** Targets y [rows, classes] (the view does not keep its array alive: the field does). */
        final INDArray targetArray;
        final FloatView targets;
        /** Logits z, turned into dC/dz in place [rows, classes]. */
        final INDArray scores;
        /** The logits of the last {@link #logits} call [rows, classes]. */
        final INDArray freeLogits;

        Buffers(int rows, int classes) {
            this.rows = rows;
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                targetArray = Nd4j.zeros(DataType.FLOAT, rows, classes).dup('f');
                scores = Nd4j.zeros(DataType.FLOAT, rows, classes).dup('f');
                freeLogits = Nd4j.zeros(DataType.FLOAT, rows, classes).dup('f');
            }
            targets = FloatView.of(targetArray);
        }
    }

    /**
     * @param units        output units read out (the size of the network's last relaxing layer)
     * @param classes      classes of the softmax
     * @param classWeights per-class weights w of the cross-entropy ({@code classes} finite values), or null for none
     */
    public SoftmaxReadout(int units, int classes, float[] classWeights) {
        if (units < 1 || classes < 2) {
            throw new IllegalArgumentException("a softmax readout needs at least 1 unit and 2 classes; got " + units
                    + " units, " + classes + " classes");
        }
        if (classWeights != null && classWeights.length != classes) {
            throw new IllegalArgumentException("the cross-entropy's class weights need one value per class (" + classes
                    + "); got " + classWeights.length);
        }
        this.units = units;
        this.classes = classes;
        this.classWeights = classWeights == null ? null : classWeights.clone();
    }

    /**
     * Sets the readout parameters to use from now on (views are kept, not copied).
     *
     * @param weights R, [units, classes], FLOAT
     * @param bias    c, [1, classes], FLOAT, contiguous
     */
    public void bind(INDArray weights, INDArray bias) {
        if (weights.rank() != 2 || weights.size(0) != units || weights.size(1) != classes || bias.length() != classes) {
            throw new IllegalArgumentException("readout parameters must be R [" + units + ", " + classes + "] and c [1, "
                    + classes + "]; got " + java.util.Arrays.toString(weights.shape()) + " and "
                    + java.util.Arrays.toString(bias.shape()));
        }
        this.weights = weights;
        this.bias = bias;
    }

    /**
     * The logits {@code z = s_y R + c} of the output states.
     *
     * @param states s_y, [batch, units]
     * @return [batch, classes], 'f' order: a live buffer that the next call on a batch of this size overwrites
     */
    public INDArray logits(INDArray states) {
        Buffers b = buffers(rows(states));
        writeLogits(states, b.freeLogits);
        return b.freeLogits;
    }

    /**
     * Writes the readout's cross-entropy gradient at the given (free-equilibrium) states, in DL4J's descent
     * convention summed over the batch: {@code G_R = s_y^T dC/dz}, {@code G_c = sum_batch dC/dz}.
     *
     * @param states         s_y^0, [batch, units]
     * @param labels         y, [batch, classes], any ordering
     * @param weightGradient G_R, [units, classes], overwritten
     * @param biasGradient   G_c, [1, classes], contiguous, overwritten
     * @return the examples whose predicted class (argmax z) differs from the label's argmax
     */
    public int writeGradients(INDArray states, INDArray labels, INDArray weightGradient, INDArray biasGradient) {
        Buffers b = buffers(rows(states));
        b.targets.copyMatrixToFortranOrder(labels);
        int errors = scoresToLossGradient(states, b);
        weightGradientProduct.run(states, b.scores, weightGradient, 1.0, 0.0);
        FloatBuffer delta = FloatView.of(b.scores).buffer();
        FloatView g = FloatView.of(biasGradient);
        for (int k = 0; k < classes; k++) {
            double sum = 0;
            for (int r = 0, base = k * b.rows; r < b.rows; r++) {
                sum += delta.get(base + r);
            }
            g.set(k, (float) sum);
        }
        return errors;
    }

    /** The readout's classes. */
    @Override
    public int targetColumns(int outputUnits) {
        return classes;
    }

    @Override
    public void prepare(INDArray labels, double beta) {
        buffers(rows(labels)).targets.copyMatrixToFortranOrder(labels);
        this.beta = beta;
    }

    @Override
    public boolean insideStep() {
        return true;
    }

    /** f = -beta * dC/ds_y = -beta * (dC/dz) R^T. */
    @Override
    public void writeForce(INDArray outputs, INDArray force) {
        scoresToLossGradient(outputs, buffers);
        forceProduct.run(buffers.scores, weights, force, -beta, 0.0);
    }

    @Override
    public void apply(INDArray outputs, double eps) {
        throw new UnsupportedOperationException("the softmax readout's nudge acts inside the Euler step (writeForce)");
    }

    /**
     * Leaves dC/dz of {@code states} against the buffered targets in {@code b.scores}; returns the examples whose
     * argmax z differs from argmax y.
     */
    private int scoresToLossGradient(INDArray states, Buffers b) {
        writeLogits(states, b.scores);
        FloatBuffer z = FloatView.of(b.scores).buffer();
        FloatBuffer y = b.targets.buffer();
        int rows = b.rows;
        int errors = 0;
        for (int r = 0; r < rows; r++) {
            int predicted = 0;
            int label = 0;
            float max = z.get(r);
            double weightedLabels = 0;
            for (int k = 0; k < classes; k++) {
                float zk = z.get(k * rows + r);
                if (zk > max) {
                    max = zk;
                    predicted = k;
                }
                float yk = y.get(k * rows + r);
                if (yk > y.get(label * rows + r)) {
                    label = k;
                }
                weightedLabels += weight(k) * yk;
            }
            if (predicted != label) {
                errors++;
            }
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                sum += Math.exp(z.get(k * rows + r) - max);
            }
            for (int k = 0; k < classes; k++) {
                int i = k * rows + r;
                double p = Math.exp(z.get(i) - max) / sum;
                z.put(i, (float) (p * weightedLabels - weight(k) * y.get(i)));
            }
        }
        return errors;
    }

    private float weight(int k) {
        return classWeights == null ? 1f : classWeights[k];
    }

    /** out = states R + c. */
    private void writeLogits(INDArray states, INDArray out) {
        if (weights == null) {
            throw new IllegalStateException("bind the readout's parameters before using it");
        }
        logitProduct.run(states, weights, out, 1.0, 0.0);
        FloatBuffer z = FloatView.of(out).buffer();
        FloatView c = FloatView.of(bias);
        int rows = rows(states);
        for (int k = 0; k < classes; k++) {
            float ck = c.get(k);
            for (int r = 0, base = k * rows; r < rows; r++) {
                z.put(base + r, z.get(base + r) + ck);
            }
        }
    }

    private Buffers buffers(int rows) {
        if (buffers == null || buffers.rows != rows) {
            buffers = new Buffers(rows, classes);
        }
        return buffers;
    }

    private int rows(INDArray matrix) {
        return Math.toIntExact(matrix.size(0));
    }
}
