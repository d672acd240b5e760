package org.eqp.learning;

import java.nio.FloatBuffer;
import org.eqp.dynamics.FeedbackLayout;
import org.eqp.dynamics.FloatView;
import org.eqp.dynamics.RelaxationResult;
import org.eqp.topology.Topology;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The free equilibrium s^0 of a batch, as {@link EquilibriumPropagation#freePhase} returns it: its states, and the one
 * way on to the nudged phase, {@link #nudge}.
 *
 * <p>There is one handle per batch size, reused by every free phase on a batch of that size (so a training step
 * allocates nothing): a handle always shows the latest free phase of its size, and {@link #sequence()} tells a holder
 * when that changed. Each free phase can be nudged once.
 */
public final class FreeEquilibrium {
    private final EquilibriumPropagation engine;
    private final EpBatch batch;

    FreeEquilibrium(EquilibriumPropagation engine, EpBatch batch) {
        this.engine = engine;
        this.batch = batch;
    }

    public int batchSize() {
        return batch.size();
    }

    /**
     * The output states s_y^0, [batch, nOut], 'f' order: a live buffer that the next free phase on a batch of this
     * size overwrites. Copy it to keep it; never write to it.
     */
    public INDArray outputs() {
        return batch.free[engine.topology().outputLayer()];
    }

    /** The states s_l^0 of layer l (1 ≤ l ≤ output), [batch, size(l)], 'f' order, live like {@link #outputs()}. */
    public INDArray state(int layer) {
        Topology topology = engine.topology();
        if (layer < 1 || layer > topology.outputLayer()) {
            throw new IllegalArgumentException("layer must be a non-input layer, 1.." + topology.outputLayer()
                    + "; got " + layer);
        }
        return batch.free[layer];
    }

    /** What the free phase's relaxation did. */
    public RelaxationResult relaxation() {
        return batch.freeResult;
    }

    /** How the relaxation of this batch size computes the feedback among non-input units. */
    public FeedbackLayout layout() {
        return batch.relaxation.layout();
    }

    /** The number of free phases run on batches of this size so far (this handle's batch is the latest). */
    public long sequence() {
        return batch.freePhases;
    }

    /**
     * The nudged phase: from s^0, relaxes on with the outputs pulled toward the targets by the force
     * {@code -beta * dC/ds_y} (Scellier and Bengio 2017, eq. 8), to s^beta, and records s^beta - s^0. Under
     * {@link EpSettings#symmetricNudging()} it first relaxes from s^0 at -beta to s^-beta, then again from s^0 at
     * +beta, and records s^beta - s^-beta, which the gradients divide by 2 beta.
     *
     * @param labels   targets y, [batch, nOut] (the nudge's {@link org.eqp.dynamics.NudgeForce#targetColumns}), any
     *                 ordering, finite and in [0, 1] (the reach of the output units); for a
     *                 {@link org.eqp.dynamics.LinearCostNudge}, the gradient dL/ds_y from above, finite
     * @param signDraw the index of this phase's random-sign draw, counting the draws of the whole training run from 0;
     *                 with {@link EpSettings#randomSignBeta()} beta is negated when {@link RandomBetaSign} says so for
     *                 this index (the caller advances its count by one per nudged phase); ignored otherwise
     * @return the nudged equilibrium, which writes the gradients
     * @throws IllegalStateException if this free equilibrium was already nudged
     */
    public NudgedEquilibrium nudge(INDArray labels, long signDraw) {
        if (batch.phase != EpBatch.Phase.FREE) {
            throw new IllegalStateException("this free equilibrium was already nudged (the network now sits at "
                    + "s^beta); run freePhase again before the next nudged phase");
        }
        setTargets(labels);
        EpSettings settings = engine.settings();
        double beta = settings.beta();
        if (settings.randomSignBeta() && engine.sign.negative(signDraw)) {
            beta = -beta;
        }
        int layers = engine.topology().numLayers();
        if (settings.symmetricNudging()) {
            relaxNudged(-beta);
            for (int l = 1; l < layers; l++) {
                batch.lowView[l].copyFrom(batch.relaxation.stateView(l));
                batch.relaxation.stateView(l).copyFrom(batch.freeView[l]);
            }
        }
        batch.nudgedResult = relaxNudged(beta);
        for (int l = 1; l < layers; l++) {
            FloatBuffer nudged = batch.relaxation.stateView(l).buffer();
            FloatBuffer low = batch.lowView[l].buffer();
            FloatBuffer diff = batch.differenceView[l].buffer();
            for (int i = 0, n = batch.differenceView[l].length(); i < n; i++) {
                diff.put(i, nudged.get(i) - low.get(i));
            }
        }
        batch.signedBeta = beta;
        batch.betaSpan = settings.symmetricNudging() ? 2 * beta : beta;
        batch.phase = EpBatch.Phase.NUDGED;
        return batch.nudgedHandle;
    }

    /** Relaxes on from the current states with the outputs nudged at the signed strength {@code beta}. */
    private RelaxationResult relaxNudged(double beta) {
        EpSettings settings = engine.settings();
        engine.nudge.prepare(batch.targets, beta);
        return batch.relaxation.run(settings.nudgedIterations(), settings.eps(), settings.tolerance(), engine.nudge,
                settings.alternatingUpdates());
    }

    /** Copies the targets into the batch's buffer, checking their shape and range. */
    private void setTargets(INDArray labels) {
        int nOut = engine.targetColumns();
        EquilibriumPropagation.requireShape(labels, nOut, "labels", "use one-hot labels with nOut = number of classes");
        if (labels.size(0) != batch.size()) {
            throw new IllegalArgumentException("Got " + labels.size(0) + " label rows for a batch of " + batch.size()
                    + " examples");
        }
        FloatView targets = batch.targetView;
        targets.copyMatrixToFortranOrder(labels);
        if (!engine.nudge.boundedTargets()) {
            if (!targets.allFinite()) {
                throw new IllegalArgumentException("The gradient arriving from the layers above contains NaN or "
                        + "infinite values; lower the learning rate or check the loss");
            }
            return;
        }
        FloatBuffer y = targets.buffer();
        for (int i = 0, n = targets.length(); i < n; i++) {
            float v = y.get(i);
            if (!(v >= 0f && v <= 1f)) {
                throw new IllegalArgumentException("Labels must be finite and lie in [0, 1] (EP output units are "
                        + "bounded by the hard sigmoid); found " + v
                        + ". Use one-hot labels, or scale regression targets to [0, 1].");
            }
        }
    }
}
