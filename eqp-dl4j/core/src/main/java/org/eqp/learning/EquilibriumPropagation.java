package org.eqp.learning;

import java.util.LinkedHashMap;
import java.util.Map;
import org.eqp.dynamics.FloatView;
import org.eqp.dynamics.NetworkParams;
import org.eqp.dynamics.NudgeForce;
import org.eqp.dynamics.Relaxation;
import org.eqp.topology.Block;
import org.eqp.topology.Topology;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Equilibrium propagation on one network (Scellier and Bengio 2017, §3): a training step is a typestate chain that
 * cannot be taken out of order,
 * <pre>
 *   FreeEquilibrium s0 = ep.freePhase(x, params, true);        // s^0: relax with x clamped, no nudge
 *   NudgedEquilibrium sb = s0.nudge(y, signDraw);              // s^beta: relax on from s^0, outputs nudged toward y
 *   sb.writeGradients(gradients);                              // the EP estimate of dL/dtheta
 *   sb.writeInputGradient(epsilon);                            // the EP estimate of dL/dx, for a layer below
 * </pre>
 * The relaxation follows ds/dt = -dE/ds for the Hopfield energy E = 1/2 sum s_i^2 - 1/2 sum_{i != j} W_ij rho_i rho_j
 * - sum b_i rho_i, rho = clamp(., 0, 1), in Euler steps {@code s <- clamp(s + eps (W s + b - s), 0, 1)} (paper eq. 3);
 * the nudged phase adds the force -beta dC/ds_y on the outputs (eq. 8).
 *
 * <p>The gradient is the EP estimate of dL/dtheta in DL4J's descent convention, summed over the batch
 * (DL4J's updater divides by the batch size):
 * <pre>
 *   G_W = -(1/beta) * sum_batch [ rho(s_a^beta)^T rho(s_b^beta) - rho(s_a^0)^T rho(s_b^0) ]   for each block a-b
 *   G_b = -(1/beta) * sum_batch [ rho(s^beta) - rho(s^0) ]
 * </pre>
 * so that DL4J's {@code Sgd(alpha)} performs the papers' {@code W += alpha * dW} with the batch mean dW. Under
 * {@link EpSettings#symmetricNudging()} s^0 and beta are replaced by s^-beta and 2 beta (the symmetric difference
 * quotient, whose bias is second order in beta). For a masked
 * block the gradient is zero where no connection exists (plain SGD and the usual updaters then keep those weights at
 * zero; weight decay on masked entries would too, as they start at zero). An intralayer block (a = b) gets the
 * gradient of its pair weight W_ij = W_ji in both (i, j) and (j, i): the formula above is symmetric, so a symmetric
 * W stays symmetric under any element-wise updater.
 * beta is the signed nudge of the step: with random sign, draw t of {@link RandomBetaSign} negates it.
 *
 * <p>Buffers and the two handles are allocated once per batch size (the few most recent sizes are kept), so a step
 * allocates nothing inside its relaxation loops.
 */
public final class EquilibriumPropagation {
    private static final int MAX_CACHED_BATCH_SIZES = 4;
    private final Topology topology;
    private final EpSettings settings;
    final NudgeForce nudge;
    /** Per block: the connection mask as 0/1 in 'f' order, or null for a dense block. */
    private final float[][] masks;
    /** Buffers per batch size, the most recently used few (training, its last partial batch, evaluation sizes). */
    private final Map<Integer, EpBatch> batches = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, EpBatch> eldest) {
            return size() > MAX_CACHED_BATCH_SIZES;
        }
    };
    private final ParticleStore particles;
    final RandomBetaSign sign;

    /**
     * An engine whose particle store keeps up to {@link ParticleStore#DEFAULT_CAPACITY} examples.
     *
     * @param nudge the output nudge of the weakly clamped phase (from the loss function)
     * @param seed  seeds the random sign of beta ({@link RandomBetaSign})
     */
    public EquilibriumPropagation(Topology topology, EpSettings settings, NudgeForce nudge, long seed) {
        this(topology, settings, nudge, seed, ParticleStore.DEFAULT_CAPACITY);
    }

    /**
     * @param nudge            the output nudge of the weakly clamped phase (from the loss function)
     * @param seed             seeds the random sign of beta ({@link RandomBetaSign})
     * @param particleCapacity the most examples the persistent particles keep ({@link ParticleStore}), &gt;= 1
     */
    public EquilibriumPropagation(Topology topology, EpSettings settings, NudgeForce nudge, long seed,
                                  int particleCapacity) {
        this.topology = topology;
        this.settings = settings;
        this.nudge = nudge;
        this.masks = new float[topology.blocks().size()][];
        for (int k = 0; k < masks.length; k++) {
            Block b = topology.blocks().get(k);
            masks[k] = b.dense() ? null : b.mask().toFortranOrderFloats();
        }
        this.particles = new ParticleStore(topology, particleCapacity);
        this.sign = new RandomBetaSign(seed);
    }

    public Topology topology() {
        return topology;
    }

    /** The columns of the labels a nudged phase takes ({@link NudgeForce#targetColumns}). */
    int targetColumns() {
        return nudge.targetColumns(topology.size(topology.outputLayer()));
    }

    public EpSettings settings() {
        return settings;
    }

    /** The persistent particles of the training examples seen so far (empty unless the settings enable them). */
    public ParticleStore particles() {
        return particles;
    }

    /**
     * Relaxes the network with the input clamped and no nudge, to the free equilibrium s^0.
     *
     * @param input        [batch, nIn], finite values
     * @param params       weights and biases, kept for the nudged phase and the input gradient of this batch
     * @param useParticles start from (and update) the persistent particles of these examples, keyed by the input's
     *                     rows ({@link ParticleStore#keysOf}), when the settings enable them; otherwise start from
     *                     zero states. Only for an input that is the examples' features (see {@link ParticleStore}).
     * @return the free equilibrium: the handle of this batch size, reused by its next free phase
     */
    public FreeEquilibrium freePhase(INDArray input, NetworkParams params, boolean useParticles) {
        return relaxFree(input, params, useParticles && settings.persistentParticles(), null);
    }

    /**
     * Relaxes the network with the input clamped and no nudge. When the settings enable persistent particles, each
     * example starts from the particle of its key (from zero states if it has none yet) and its equilibrium becomes
     * that particle; otherwise every example starts from zero states.
     *
     * @param input        [batch, nIn], finite values
     * @param params       weights and biases, kept for the nudged phase and the input gradient of this batch
     * @param particleKeys the key of each example (length batch): {@link ParticleStore#keysOf} of its features, e.g.
     *                     the network's input when layers below compute this input
     * @return the free equilibrium: the handle of this batch size, reused by its next free phase
     * @throws IllegalArgumentException if there is not one key per input row
     */
    public FreeEquilibrium freePhase(INDArray input, NetworkParams params, long[] particleKeys) {
        if (particleKeys.length != input.size(0)) {
            throw new IllegalArgumentException("particle keys: one per example; got " + particleKeys.length
                    + " keys for " + input.size(0) + " input rows");
        }
        return relaxFree(input, params, settings.persistentParticles(), particleKeys);
    }

    /** The free phase; with particles, keyed by {@code keys}, or by the input's rows when {@code keys} is null. */
    private FreeEquilibrium relaxFree(INDArray input, NetworkParams params, boolean persistent, long[] keys) {
        requireShape(input, topology.size(0), "input", "the data's feature count or the layer's nIn");
        int size = (int) input.size(0);
        EpBatch batch = batches.get(size);
        if (batch == null) {
            batch = new EpBatch(this, size);
            batches.put(size, batch);
        }
        batch.inputView.copyMatrixToFortranOrder(input);
        if (!batch.inputView.allFinite()) {
            throw new IllegalArgumentException("The input features contain NaN or infinite values; clean or impute the "
                    + "data before using the EP network");
        }
        Relaxation relaxation = batch.relaxation;
        relaxation.clampInput(batch.input, params);
        if (persistent) {
            if (keys == null) {
                keys = ParticleStore.keys(batch.inputView, size);
            }
            particles.load(relaxation, keys);
        } else {
            relaxation.resetStates();
        }
        batch.freeResult = relaxation.run(settings.freeIterations(), settings.eps(), settings.tolerance(), null,
                settings.alternatingUpdates());
        if (persistent) {
            particles.store(relaxation, keys);
        }
        for (int l = 1; l < topology.numLayers(); l++) {
            batch.freeView[l].copyFrom(relaxation.stateView(l));
        }
        batch.params = params;
        batch.nudgedResult = null;
        batch.signedBeta = Double.NaN;
        batch.freePhases++;
        batch.phase = EpBatch.Phase.FREE;
        return batch.freeHandle;
    }

    /**
     * Sets every weight without a connection to zero (the entries outside the masks of masked blocks), so that the
     * weights match the topology again after anything but EP's own gradient has touched them.
     */
    public void zeroAbsentConnections(NetworkParams params) {
        for (int k = 0; k < masks.length; k++) {
            if (masks[k] != null) {
                FloatView.of(params.weight(k)).multiplyElementwise(masks[k]);
            }
        }
    }

    static void requireShape(INDArray a, int columns, String what, String hint) {
        if (a.rank() != 2 || a.size(1) != columns || a.size(0) < 1) {
            throw new IllegalArgumentException("Expected " + what + " of shape [batch, " + columns + "] but got "
                    + java.util.Arrays.toString(a.shape()) + "; check " + hint);
        }
    }
}
