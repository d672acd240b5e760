package org.eqp.dynamics;

import java.nio.FloatBuffer;
import java.util.List;
import org.eqp.topology.Block;
import org.eqp.topology.Topology;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Relaxes the states of an EP network with the input clamped: the Euler integration of
 * ds/dt = -dE/ds = W rho(s) + b - s with rho = clamp(., 0, 1), for the Hopfield energy
 * E = 1/2 sum s_i^2 - 1/2 sum_{i != j} W_ij rho_i rho_j - sum b_i rho_i (over every pair of connected units:
 * between layers, skipping layers, or within a layer)
 * (Scellier and Bengio 2017, eq. 1 and 3; the seed code's convention, {@link org.eqp.learning} "Conventions"):
 * <pre>  s &lt;- clamp(s + eps * (W s + b - s), 0, 1)   for every non-input layer, synchronously.</pre>
 * Because states are clamped after every step, rho(s) = s.
 *
 * <p>Buffers are allocated once per batch size, outside any workspace, in 'f' order (so gemm writes
 * into them in place). A step computes the feedback among non-input units in the {@link FeedbackLayout} chosen for the
 * topology and batch size (two gemms per block between non-input layers, one gemm with all non-input units in one
 * matrix, or the per-block products in the Java Vector API), then one fused Java pass over the states; the input's
 * contribution {@code x W_0 + b} is constant while x is clamped and is computed once in {@link #clampInput}.
 */
public final class Relaxation {
    private final Topology topology;
    private final int batchSize;
    private final INDArray[] state;
    private final INDArray[] preActivation;
    private final INDArray[] drive;
    /** Per block: whether its gemm into the upper / lower layer is the first write of that step (beta = 0). */
    private final boolean[] firstIntoUpper;
    private final boolean[] firstIntoLower;
    private final FloatView[] stateView;
    private final FloatView[] preView;
    private final FloatView[] driveView;
    /** The states before a measured step, to measure its whole move (Euler step and nudge). */
    private final INDArray[] previous;
    private final FloatView[] previousView;
    /** The nudge force on the outputs of a force acting inside the Euler step, [batch, nOut]. */
    private final INDArray outputForce;
    private final FloatBuffer outputForceBuffer;
    private final long unitsPerBatch;
    private final FeedbackLayout layout;
    /** DENSE layout: every non-input state [batch, N], the feedback [batch, N], the symmetric W [N, N]; else null. */
    private final DenseFeedback dense;
    /** VECTOR_BLOCKS layout: heap copies of the states and of the laid-out weights; else null. */
    private final VectorBlockFeedback vector;
    private NetworkParams params;
    private double lastSquaredChange;

    /**
     * @param topology  the network
     * @param batchSize number of examples relaxed together (rows of every state buffer)
     */
    public Relaxation(Topology topology, int batchSize) {
        this(topology, batchSize, FeedbackLayout.choose(topology, batchSize));
    }

    /**
     * @param topology  the network
     * @param batchSize number of examples relaxed together (rows of every state buffer)
     * @param layout    how the feedback among non-input units is computed (same result up to float rounding)
     */
    public Relaxation(Topology topology, int batchSize, FeedbackLayout layout) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1; got " + batchSize);
        }
        this.topology = topology;
        this.batchSize = batchSize;
        this.unitsPerBatch = (long) batchSize * topology.numStateUnits();
        int layers = topology.numLayers();
        state = new INDArray[layers];
        preActivation = new INDArray[layers];
        drive = new INDArray[layers];
        stateView = new FloatView[layers];
        preView = new FloatView[layers];
        driveView = new FloatView[layers];
        previous = new INDArray[layers];
        previousView = new FloatView[layers];
        boolean[] receivesFeedback = new boolean[layers]; // layers without feedback keep a zero preActivation
        List<Block> blocks = topology.blocks();
        firstIntoUpper = new boolean[blocks.size()];
        firstIntoLower = new boolean[blocks.size()];
        for (int k = 0; k < blocks.size(); k++) {
            Block b = blocks.get(k);
            if (!b.fromInput()) {
                firstIntoUpper[k] = !receivesFeedback[b.to()];
                receivesFeedback[b.to()] = true;
                if (!b.intralayer()) {
                    firstIntoLower[k] = !receivesFeedback[b.from()];
                    receivesFeedback[b.from()] = true;
                }
            }
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            for (int l = 1; l < layers; l++) {
                long[] shape = {batchSize, topology.size(l)};
                state[l] = Nd4j.zeros(DataType.FLOAT, shape).dup('f');
                preActivation[l] = Nd4j.zeros(DataType.FLOAT, shape).dup('f');
                drive[l] = Nd4j.zeros(DataType.FLOAT, shape).dup('f');
                stateView[l] = FloatView.of(state[l]);
                preView[l] = FloatView.of(preActivation[l]);
                driveView[l] = FloatView.of(drive[l]);
                previous[l] = Nd4j.zeros(DataType.FLOAT, shape).dup('f');
                previousView[l] = FloatView.of(previous[l]);
            }
            outputForce = Nd4j.zeros(DataType.FLOAT, batchSize, topology.size(topology.outputLayer())).dup('f');
            outputForceBuffer = FloatView.of(outputForce).buffer();
        }
        this.layout = layout;
        this.dense = layout == FeedbackLayout.DENSE ? new DenseFeedback(topology, batchSize) : null;
        this.vector = layout == FeedbackLayout.VECTOR_BLOCKS ? new VectorBlockFeedback(topology, batchSize) : null;
    }

    /** How this relaxation computes the feedback among non-input units. */
    public FeedbackLayout layout() {
        return layout;
    }

    public Topology topology() {
        return topology;
    }

    public int batchSize() {
        return batchSize;
    }

    /** The state of layer {@code l} (1 ≤ l ≤ output), shape [batch, size(l)], 'f' order, live (not a copy). */
    public INDArray state(int l) {
        return state[l];
    }

    /** Direct element access to {@link #state(int)}; element index = column * batch + row. */
    public FloatView stateView(int l) {
        return stateView[l];
    }

    /**
     * Clamps the input and precomputes the constant drive of every layer: {@code b_l + sum x W} over the blocks
     * from the input into layer l.
     *
     * @param input  shape [batch, size(0)], any ordering, same data type as the buffers
     * @param params the weights and biases to relax with (kept until the next call)
     */
    public void clampInput(INDArray input, NetworkParams params) {
        this.params = params;
        List<Block> blocks = topology.blocks();
        boolean[] written = new boolean[topology.numLayers()];
        for (int k = 0; k < blocks.size(); k++) {
            Block b = blocks.get(k);
            if (b.fromInput()) {
                Nd4j.gemm(input, params.weight(k), drive[b.to()], false, false, 1.0, written[b.to()] ? 1.0 : 0.0);
                written[b.to()] = true;
            }
        }
        if (dense != null) {
            dense.loadWeights(params);
        }
        if (vector != null) {
            vector.loadWeights(params);
        }
        for (int l = 1; l < topology.numLayers(); l++) {
            FloatBuffer d = driveView[l].buffer();
            FloatView bias = FloatView.of(params.bias(l));
            boolean add = written[l];
            for (int j = 0, n = topology.size(l); j < n; j++) {
                float bj = bias.get(j);
                for (int r = 0, base = j * batchSize; r < batchSize; r++) {
                    d.put(base + r, (add ? d.get(base + r) : 0f) + bj);
                }
            }
        }
    }

    /** Sets every non-input state to zero (the seed code's initial state). */
    public void resetStates() {
        for (int l = 1; l < topology.numLayers(); l++) {
            stateView[l].fill(0f);
        }
    }

    /**
     * Runs up to {@code maxSteps} synchronous Euler steps from the current states.
     *
     * @param maxSteps  number of steps (≥ 1)
     * @param eps       Euler step size (> 0)
     * @param tolerance stop early once no unit moved more than this in one step; 0 disables
     * @param nudge     the output nudge of the weakly clamped phase, or null for the free phase
     */
    public RelaxationResult run(int maxSteps, double eps, double tolerance, NudgeForce nudge) {
        if (params == null) {
            throw new IllegalStateException("clampInput must be called before run");
        }
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be at least 1; got " + maxSteps);
        }
        int steps = 0;
        double maxChange;
        boolean everyStep = tolerance > 0;
        do {
            steps++;
            maxChange = step((float) eps, nudge, everyStep || steps == maxSteps);
        } while (steps < maxSteps && !(everyStep && maxChange < tolerance));
        return new RelaxationResult(steps, maxChange, Math.sqrt(lastSquaredChange / unitsPerBatch) / eps);
    }

    /**
     * One synchronous Euler step, then the nudge if any (which clamps the outputs the step left unclamped). When {@code
     * measure} is set, returns the largest |Δs| of the whole step and leaves the sum of squared changes in a field;
     * otherwise returns NaN (fixed-count runs measure only their last step: the statistics cost a snapshot and a serial
     * reduction). Measuring the outputs after the nudge matters: at a nudged equilibrium the Euler step and the nudge
     * cancel, while each alone moves the outputs by about 2 * eps * beta * |y - s_y|.
     */
    private float step(float eps, NudgeForce nudge, boolean measure) {
        computeFeedback();
        if (measure) {
            for (int l = 1; l < topology.numLayers(); l++) {
                previousView[l].copyFrom(stateView[l]);
            }
        }
        boolean inside = nudge != null && nudge.insideStep();
        if (inside) {
            nudge.writeForce(state[topology.outputLayer()], outputForce);
        }
        eulerStep(eps, inside ? outputForceBuffer : null, nudge == null || inside);
        if (nudge != null && !inside) {
            nudge.apply(state[topology.outputLayer()], eps);
        }
        return measure ? measureChange() : Float.NaN;
    }

    /** Largest |s - previous| over all non-input units; the sum of squares goes to {@link #lastSquaredChange}. */
    private float measureChange() {
        float maxChange = 0;
        float sumSq = 0;
        for (int l = 1; l < topology.numLayers(); l++) {
            FloatBuffer now = stateView[l].buffer();
            FloatBuffer before = previousView[l].buffer();
            for (int i = 0, n = stateView[l].length(); i < n; i++) {
                float change = now.get(i) - before.get(i);
                sumSq += change * change;
                float absChange = change < 0 ? -change : change;
                if (absChange > maxChange) {
                    maxChange = absChange;
                }
            }
        }
        lastSquaredChange = sumSq;
        return maxChange;
    }

    /**
     * s &lt;- clamp(s + eps * (pre + drive - s), 0, 1) for every non-input layer, without statistics; with
     * {@code outputForce} (a nudge inside the step) the outputs' velocity adds it; with {@code clampOutputs} false the
     * output layer takes the step unclamped, for a nudge after the step to clamp after it moved it. That order matters
     * at the bounds: an output the step pushes out of [0, 1] stays on its bound unless the nudge outweighs that push,
     * so the nudged fixed point is the constrained equilibrium of E + beta' C ({@link NudgeForce}). Clamping before the
     * nudge (the seed code) instead leaves such an output at 2 * eps * beta * (y - bound) off its bound, an O(beta)
     * move whose share of EP's estimates does not vanish as beta -&gt; 0; the two orders agree when
     * 2 * eps * beta = +-1 (eps = 0.5, beta = +-1), where the nudge sets s_y to y or to clamp(2 s_y - y).
     */
    private void eulerStep(float eps, FloatBuffer outputForce, boolean clampOutputs) {
        int output = topology.outputLayer();
        for (int l = 1; l < topology.numLayers(); l++) {
            FloatBuffer s = stateView[l].buffer();
            FloatBuffer pre = preView[l].buffer();
            FloatBuffer d = driveView[l].buffer();
            boolean clamp = clampOutputs || l != output;
            if (outputForce != null && l == output) {
                for (int i = 0, n = stateView[l].length(); i < n; i++) {
                    float old = s.get(i);
                    float next = old + eps * (pre.get(i) + d.get(i) - old + outputForce.get(i));
                    s.put(i, clamp ? clamp01(next) : next);
                }
            } else {
                for (int i = 0, n = stateView[l].length(); i < n; i++) {
                    float old = s.get(i);
                    float next = old + eps * (pre.get(i) + d.get(i) - old);
                    s.put(i, clamp ? clamp01(next) : next);
                }
            }
        }
    }

    /**
     * preActivation[l] = sum over non-input blocks touching l of the neighbour's state times W (or W^T); an intralayer
     * block adds s_l W_ll once (W_ll is symmetric).
     */
    private void computeFeedback() {
        if (dense != null) {
            dense.compute(stateView, preView);
            return;
        }
        if (vector != null) {
            vector.compute(stateView, preView);
            return;
        }
        List<Block> blocks = topology.blocks();
        for (int k = 0; k < blocks.size(); k++) {
            Block b = blocks.get(k);
            if (b.fromInput()) {
                continue;
            }
            INDArray w = params.weight(k);
            Nd4j.gemm(state[b.from()], w, preActivation[b.to()], false, false, 1.0, firstIntoUpper[k] ? 0.0 : 1.0);
            if (!b.intralayer()) {
                Nd4j.gemm(state[b.to()], w, preActivation[b.from()], false, true, 1.0, firstIntoLower[k] ? 0.0 : 1.0);
            }
        }
    }

    static float clamp01(float v) {
        return v < 0 ? 0 : (v > 1 ? 1 : v);
    }
}
