package org.eqp.learning;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.eqp.dynamics.FloatView;
import org.eqp.dynamics.NetworkParams;
import org.eqp.dynamics.NudgeForce;
import org.eqp.dynamics.Relaxation;
import org.eqp.dynamics.RelaxationResult;
import org.eqp.topology.Block;
import org.eqp.topology.Topology;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One EP training step on a batch, in three calls: {@link #freePhase}, {@link #nudgedPhase},
 * {@link #writeGradients} (Scellier and Bengio 2017, §3; the seed code's conventions in DESIGN.md §3).
 *
 * <p>The gradient is the EP estimate of dL/dtheta in DL4J's descent convention, summed over the batch
 * (DL4J's updater divides by the batch size):
 * <pre>
 *   G_W = -(1/beta) * sum_batch [ rho(s_a^beta)^T rho(s_b^beta) - rho(s_a^0)^T rho(s_b^0) ]   for each block a-b
 *   G_b = -(1/beta) * sum_batch [ rho(s^beta) - rho(s^0) ]
 * </pre>
 * so that DL4J's {@code Sgd(alpha)} performs the papers' {@code W += alpha * dW} with the batch mean dW. For a masked
 * block the gradient is zero where no connection exists (plain SGD and the usual updaters then keep those weights at
 * zero; weight decay on masked entries would too, as they start at zero). An intralayer block (a = b) gets the
 * gradient of its pair weight W_ij = W_ji in both (i, j) and (j, i): the formula above is symmetric, so a symmetric
 * W stays symmetric under any element-wise updater.
 * beta is the signed nudge of this step (random sign: negated with probability 1/2).
 */
public final class EquilibriumPropagation {
    private static final int MAX_CACHED_BATCH_SIZES = 4;
    private final Topology topology;
    private final EpSettings settings;
    private final NudgeForce nudge;
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
    private final Random signRandom;

    private EpBatch current;
    private RelaxationResult lastFree;
    private RelaxationResult lastNudged;
    private double lastBeta = Double.NaN;
    private boolean targetsSet;

    /**
     * @param nudge the output nudge of the weakly clamped phase (from the loss function)
     * @param seed  seeds the random sign of beta
     */
    public EquilibriumPropagation(Topology topology, EpSettings settings, NudgeForce nudge, long seed) {
        this.topology = topology;
        this.settings = settings;
        this.nudge = nudge;
        this.masks = new float[topology.blocks().size()][];
        for (int k = 0; k < masks.length; k++) {
            Block b = topology.blocks().get(k);
            masks[k] = b.dense() ? null : b.mask().toFortranOrderFloats();
        }
        this.particles = new ParticleStore(topology);
        this.signRandom = new Random(seed);
    }

    public Topology topology() {
        return topology;
    }

    public EpSettings settings() {
        return settings;
    }

    public ParticleStore particles() {
        return particles;
    }

    /**
     * Relaxes the network with the input clamped and no nudge, to the free equilibrium s^0.
     *
     * @param input        [batch, nIn], finite values
     * @param params       weights and biases
     * @param useParticles start from (and update) the persistent particles of these examples when the settings
     *                     enable them; otherwise start from zero states
     * @return the output states at the free equilibrium, [batch, nOut], a buffer overwritten by the next free phase
     */
    public INDArray freePhase(INDArray input, NetworkParams params, boolean useParticles) {
        requireShape(input, topology.size(0), "input", "the data's feature count or the layer's nIn");
        current = batches.computeIfAbsent((int) input.size(0), b -> new EpBatch(topology, b));
        current.inputView.copyMatrixToFortranOrder(input);
        if (!current.inputView.allFinite()) {
            throw new IllegalArgumentException("The input features contain NaN or infinite values; clean or impute the "
                    + "data before using the EP network");
        }
        Relaxation relaxation = current.relaxation;
        relaxation.clampInput(current.input, params);
        boolean persistent = useParticles && settings.persistentParticles();
        long[] keys = null;
        if (persistent) {
            keys = ParticleStore.keys(current.inputView, relaxation.batchSize());
            particles.load(relaxation, keys);
        } else {
            relaxation.resetStates();
        }
        lastFree = relaxation.run(settings.freeIterations(), settings.eps(), settings.tolerance(), null);
        if (persistent) {
            particles.store(relaxation, keys);
        }
        for (int l = 1; l < topology.numLayers(); l++) {
            current.freeView[l].copyFrom(relaxation.stateView(l));
        }
        lastNudged = null;
        targetsSet = false;
        return current.free[topology.outputLayer()];
    }

    /**
     * Sets the targets of the batch of the last free phase, checking them: finite, in [0, 1] (the reach of the
     * output units).
     *
     * @param labels [batch, nOut], any ordering
     */
    public void setTargets(INDArray labels) {
        if (current == null) {
            throw new IllegalStateException("setTargets must follow freePhase on the same batch");
        }
        int nOut = topology.size(topology.outputLayer());
        requireShape(labels, nOut, "labels", "use one-hot labels with nOut = number of classes");
        if (labels.size(0) != current.relaxation.batchSize()) {
            throw new IllegalArgumentException("Got " + labels.size(0) + " label rows for a batch of "
                    + current.relaxation.batchSize() + " examples");
        }
        current.targetView.copyMatrixToFortranOrder(labels);
        FloatBuffer y = current.targetView.buffer();
        for (int i = 0, n = current.targetView.length(); i < n; i++) {
            float v = y.get(i);
            if (!(v >= 0f && v <= 1f)) {
                throw new IllegalArgumentException("Labels must be finite and lie in [0, 1] (EP output units are bounded "
                        + "by the hard sigmoid); found " + v + ". Use one-hot labels, or scale regression targets to [0, 1].");
            }
        }
        targetsSet = true;
    }

    /**
     * Examples of the last batch whose free-phase output argmax differs from the target argmax (the seed's online
     * training error); -1 when there is a single output unit (regression).
     */
    public int freeArgmaxErrors() {
        if (!targetsSet) {
            throw new IllegalStateException("freeArgmaxErrors needs setTargets after the free phase");
        }
        int nOut = topology.size(topology.outputLayer());
        if (nOut < 2) {
            return -1;
        }
        FloatBuffer out = current.freeView[topology.outputLayer()].buffer();
        FloatBuffer y = current.targetView.buffer();
        int batch = current.relaxation.batchSize();
        int errors = 0;
        for (int r = 0; r < batch; r++) {
            if (argmaxOfRow(out, r, batch, nOut) != argmaxOfRow(y, r, batch, nOut)) {
                errors++;
            }
        }
        return errors;
    }

    private static int argmaxOfRow(FloatBuffer fOrder, int row, int rows, int cols) {
        int best = 0;
        for (int c = 1; c < cols; c++) {
            if (fOrder.get(c * rows + row) > fOrder.get(best * rows + row)) {
                best = c;
            }
        }
        return best;
    }

    /**
     * Continues from the free equilibrium with the outputs nudged toward the targets given to {@link #setTargets},
     * to s^beta, and records s^beta - s^0.
     *
     * @return the signed beta used
     */
    public double nudgedPhase() {
        if (!targetsSet || lastNudged != null) {
            throw new IllegalStateException("nudgedPhase must follow freePhase and setTargets on the same batch");
        }
        double beta = settings.beta();
        if (settings.randomSignBeta() && signRandom.nextBoolean()) {
            beta = -beta;
        }
        nudge.prepare(current.targets, beta);
        Relaxation relaxation = current.relaxation;
        lastNudged = relaxation.run(settings.nudgedIterations(), settings.eps(), settings.tolerance(), nudge);
        for (int l = 1; l < topology.numLayers(); l++) {
            FloatBuffer nudged = relaxation.stateView(l).buffer();
            FloatBuffer free = current.freeView[l].buffer();
            FloatBuffer diff = current.differenceView[l].buffer();
            for (int i = 0, n = current.differenceView[l].length(); i < n; i++) {
                diff.put(i, nudged.get(i) - free.get(i));
            }
        }
        lastBeta = beta;
        return beta;
    }

    /**
     * Writes the EP gradient of the last step into {@code gradients} (same layout as the parameters),
     * descent convention, summed over the batch (class javadoc).
     */
    public void writeGradients(NetworkParams gradients) {
        requireNudged();
        double invBeta = 1.0 / lastBeta;
        List<Block> blocks = topology.blocks();
        Relaxation relaxation = current.relaxation;
        for (int k = 0; k < blocks.size(); k++) {
            Block b = blocks.get(k);
            INDArray g = gradients.weight(k);
            if (b.fromInput()) {
                Nd4j.gemm(current.input, current.difference[b.to()], g, true, false, -invBeta, 0.0);
            } else {
                Nd4j.gemm(relaxation.state(b.from()), relaxation.state(b.to()), g, true, false, -invBeta, 0.0);
                Nd4j.gemm(current.free[b.from()], current.free[b.to()], g, true, false, invBeta, 1.0);
            }
            if (masks[k] != null) {
                FloatView.of(g).multiplyElementwise(masks[k]); // no gradient where no connection exists
            }
        }
        int batch = relaxation.batchSize();
        for (int l = 1; l < topology.numLayers(); l++) {
            FloatBuffer diff = current.differenceView[l].buffer();
            FloatView g = FloatView.of(gradients.bias(l));
            for (int j = 0, n = topology.size(l); j < n; j++) {
                double sum = 0;
                for (int r = 0, base = j * batch; r < batch; r++) {
                    sum += diff.get(base + r);
                }
                g.set(j, (float) (-invBeta * sum));
            }
        }
    }

    /**
     * EP's estimate of dL/dx for the layer below (x is clamped, so x plays the role of a parameter):
     * {@code -(1/beta) * sum over input blocks of (s_b^beta - s_b^0) W^T}.
     *
     * @param out [batch, nIn], 'f' order, overwritten
     */
    public void writeInputGradient(NetworkParams params, INDArray out) {
        requireNudged();
        double invBeta = 1.0 / lastBeta;
        boolean first = true;
        List<Block> blocks = topology.blocks();
        for (int k = 0; k < blocks.size(); k++) {
            Block b = blocks.get(k);
            if (b.fromInput()) {
                Nd4j.gemm(current.difference[b.to()], params.weight(k), out, false, true, -invBeta, first ? 0.0 : 1.0);
                first = false;
            }
        }
    }

    private static void requireShape(INDArray a, int columns, String what, String hint) {
        if (a.rank() != 2 || a.size(1) != columns || a.size(0) < 1) {
            throw new IllegalArgumentException("Expected " + what + " of shape [batch, " + columns + "] but got "
                    + java.util.Arrays.toString(a.shape()) + "; check " + hint);
        }
    }

    private void requireNudged() {
        if (lastNudged == null) {
            throw new IllegalStateException("gradients need a free phase and then a nudged phase on the same batch");
        }
    }

    /** The free equilibrium of layer l from the last free phase, [batch, size(l)], live buffer. */
    public INDArray freeState(int layer) {
        return current.free[layer];
    }

    /** What the last free phase did, or null before the first. */
    public RelaxationResult lastFreeRelaxation() {
        return lastFree;
    }

    /** What the last nudged phase did, or null if none followed the last free phase. */
    public RelaxationResult lastNudgedRelaxation() {
        return lastNudged;
    }
}
