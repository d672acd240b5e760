package org.eqp.dl4j.conf;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The l1 term of Farinha et al. 2020 (section 3, "sparsity-inducing l1 regularization is added to the learning rule")
 * as a DL4J {@link Regularization}, a fixed step added to the update as the authors' code adds it: after the updater
 * has turned the gradient into the update u, the weights W' = W - u are moved a fixed {@code amount} toward zero,
 * {@code W'' = W' - amount * sign(W')}. The step is not scaled by the learning rate and takes the sign of the updated
 * weight. The authors' notebook takes the sign before the update ({@code r_W = -reg_W * sign(W)}, then
 * {@code W += dt_W * dW + r_W}); the two differ only when an update carries a weight across zero or moves it off zero
 * (a pruned weight growing back, which the notebook gives no l1 step in that update). sign(0) = 0, so a weight the
 * update leaves at exactly zero (absent or pruned edges) stays there.
 *
 * <p>DL4J's own {@code L1Regularization} ({@code .l1(c)}) is not this rule: it adds {@code c * sign(W)} to the gradient
 * before the updater, so with {@code Sgd(a)} the step is {@code a * c} (the authors' 1.5e-4 at their rate 100 would
 * shrink 100 times harder), it takes the sign of the weight before the update (a weight the update carries across
 * zero is pushed further from it), and an adaptive updater (Adam) rescales it. Use this class for the authors' rule,
 * DL4J's for a penalty c ||W||_1 on the loss.
 *
 * <p>It adds nothing to the score: the step is not the gradient of a fixed penalty (its size does not follow the
 * learning rate), and the papers report the plain cost.
 */
public class L1AfterUpdate implements Regularization {
    private double amount;

    /** For JSON. */
    public L1AfterUpdate() {
    }

    /** @param amount the step toward zero per update (&ge; 0, finite; the authors: 1.5e-4) */
    public L1AfterUpdate(double amount) {
        setAmount(amount);
    }

    /** Applied to the update the updater produced, just before DL4J subtracts it from the parameters. */
    @Override
    public ApplyStep applyStep() {
        return ApplyStep.POST_UPDATER;
    }

    /**
     * Adds {@code amount * sign(param - update)} to {@code update} in place, so that DL4J's step
     * {@code param -= update} lands on {@code W' - amount * sign(W')}.
     *
     * @param param  the weights before this update (any shape)
     * @param update the updater's output, same shape, subtracted from {@code param} afterwards
     * @param lr     ignored: the step does not scale with the learning rate
     */
    @Override
    public void apply(INDArray param, INDArray update, double lr, int iteration, int epoch) {
        if (amount == 0) {
            return;
        }
        INDArray updated = param.sub(update);
        update.addi(Transforms.sign(updated, false).muli(amount));
    }

    @Override
    public double score(INDArray param, int iteration, int epoch) {
        return 0;
    }

    @Override
    public Regularization clone() {
        return new L1AfterUpdate(amount);
    }

    public double getAmount() {
        return amount;
    }

    public void setAmount(double amount) {
        if (!(amount >= 0) || Double.isInfinite(amount)) {
            throw new IllegalArgumentException("the l1 step must be finite and >= 0; got " + amount);
        }
        this.amount = amount;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof L1AfterUpdate other && Double.compare(amount, other.amount) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(amount);
    }

    @Override
    public String toString() {
        return "L1AfterUpdate(" + amount + ")";
    }
}
