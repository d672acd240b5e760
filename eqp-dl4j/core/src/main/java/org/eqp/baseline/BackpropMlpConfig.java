package org.eqp.baseline;

import java.util.Arrays;
import java.util.Objects;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossL2;

/**
 * Immutable settings of a backprop MLP baseline; build with {@link #builder()}.
 *
 * <p>Defaults: hidden activation {@link ActivationClamp01}, output activation identity, loss
 * {@link LossL2}, learning rate 0.1 for every layer, seed 1234, data type FLOAT.
 *
 * <p>Learning rates are plain SGD step sizes (dimensionless, applied to the loss gradient of the
 * mini-batch). Note that DL4J's {@code LossL2} is {@code sum_k (y_k - yhat_k)^2} per example,
 * averaged over the mini-batch, i.e. twice EP's cost {@code 0.5 * ||y - yhat||^2}; its gradients are
 * therefore twice as large, so halve the rates to take the same steps as a ½-squared-error model.
 */
public final class BackpropMlpConfig {

    private final int nIn;
    private final int[] hiddenSizes;
    private final int nOut;
    private final IActivation hiddenActivation;
    private final IActivation outputActivation;
    private final ILossFunction loss;
    private final double[] layerLearningRates;
    private final long seed;
    private final DataType dataType;

    private BackpropMlpConfig(Builder b) {
        if (b.nIn <= 0) {
            throw new IllegalArgumentException("nIn must be > 0, got " + b.nIn);
        }
        if (b.nOut <= 0) {
            throw new IllegalArgumentException("nOut must be > 0, got " + b.nOut);
        }
        for (int h : b.hiddenSizes) {
            if (h <= 0) {
                throw new IllegalArgumentException("hidden sizes must be > 0, got " + Arrays.toString(b.hiddenSizes));
            }
        }
        int weightLayers = b.hiddenSizes.length + 1;
        double[] rates;
        if (b.layerLearningRates != null) {
            if (b.layerLearningRates.length != weightLayers) {
                throw new IllegalArgumentException("need one learning rate per weight layer ("
                        + weightLayers + " for hidden sizes " + Arrays.toString(b.hiddenSizes) + "), got "
                        + b.layerLearningRates.length);
            }
            rates = b.layerLearningRates.clone();
        } else {
            rates = new double[weightLayers];
            Arrays.fill(rates, b.learningRate);
        }
        for (double r : rates) {
            if (!(r > 0) || Double.isInfinite(r)) {
                throw new IllegalArgumentException("learning rates must be finite and > 0, got " + Arrays.toString(rates));
            }
        }
        this.nIn = b.nIn;
        this.hiddenSizes = b.hiddenSizes.clone();
        this.nOut = b.nOut;
        this.hiddenActivation = Objects.requireNonNull(b.hiddenActivation, "hiddenActivation");
        this.outputActivation = Objects.requireNonNull(b.outputActivation, "outputActivation");
        this.loss = Objects.requireNonNull(b.loss, "loss");
        this.layerLearningRates = rates;
        this.seed = b.seed;
        this.dataType = Objects.requireNonNull(b.dataType, "dataType");
    }

    /** A builder with the defaults listed in the class comment; nIn and nOut must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /** Number of input units. */
    public int nIn() {
        return nIn;
    }

    /** Hidden layer widths, input side first (copy). */
    public int[] hiddenSizes() {
        return hiddenSizes.clone();
    }

    /** Number of output units. */
    public int nOut() {
        return nOut;
    }

    /** Activation of every hidden layer. */
    public IActivation hiddenActivation() {
        return hiddenActivation;
    }

    /** Activation of the output layer. */
    public IActivation outputActivation() {
        return outputActivation;
    }

    /** Loss of the output layer. */
    public ILossFunction loss() {
        return loss;
    }

    /** SGD learning rate of each weight layer (weights and biases), input side first (copy). */
    public double[] layerLearningRates() {
        return layerLearningRates.clone();
    }

    /** Random seed of the weight initialisation. */
    public long seed() {
        return seed;
    }

    /** Floating-point type of parameters and activations. */
    public DataType dataType() {
        return dataType;
    }

    @Override
    public String toString() {
        return "BackpropMlpConfig{nIn=" + nIn + ", hidden=" + Arrays.toString(hiddenSizes) + ", nOut=" + nOut
                + ", hiddenActivation=" + hiddenActivation + ", outputActivation=" + outputActivation
                + ", loss=" + loss + ", rates=" + Arrays.toString(layerLearningRates) + ", seed=" + seed
                + ", dataType=" + dataType + "}";
    }

    /** Mutable builder of {@link BackpropMlpConfig}. */
    public static final class Builder {
        private int nIn;
        private int[] hiddenSizes = new int[0];
        private int nOut;
        private IActivation hiddenActivation = new ActivationClamp01();
        private IActivation outputActivation = new ActivationIdentity();
        private ILossFunction loss = new LossL2();
        private double learningRate = 0.1;
        private double[] layerLearningRates;
        private long seed = 1234;
        private DataType dataType = DataType.FLOAT;

        private Builder() {
        }

        /** Number of input units (e.g. 784 for MNIST). */
        public Builder nIn(int nIn) {
            this.nIn = nIn;
            return this;
        }

        /** Hidden layer widths, input side first; empty means a single linear layer. */
        public Builder hiddenSizes(int... hiddenSizes) {
            this.hiddenSizes = Objects.requireNonNull(hiddenSizes, "hiddenSizes").clone();
            return this;
        }

        /** Number of output units (e.g. 10 classes). */
        public Builder nOut(int nOut) {
            this.nOut = nOut;
            return this;
        }

        /** Hidden activation (default {@link ActivationClamp01}). */
        public Builder hiddenActivation(IActivation activation) {
            this.hiddenActivation = activation;
            return this;
        }

        /** Output activation (default identity). */
        public Builder outputActivation(IActivation activation) {
            this.outputActivation = activation;
            return this;
        }

        /** Output loss (default {@link LossL2}). */
        public Builder loss(ILossFunction loss) {
            this.loss = loss;
            return this;
        }

        /** One SGD rate for every layer; ignored if {@link #layerLearningRates} is set. */
        public Builder learningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** One SGD rate per weight layer (hidden layers then output), for its weights and biases. */
        public Builder layerLearningRates(double... rates) {
            this.layerLearningRates = rates == null ? null : rates.clone();
            return this;
        }

        /** Seed of the weight initialisation. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Parameter data type (default FLOAT). */
        public Builder dataType(DataType dataType) {
            this.dataType = dataType;
            return this;
        }

        /** Validates and builds; throws {@link IllegalArgumentException} on bad settings. */
        public BackpropMlpConfig build() {
            return new BackpropMlpConfig(this);
        }
    }
}
