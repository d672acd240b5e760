package org.eqp.dynamics;

import java.nio.FloatBuffer;
import java.util.ArrayList;
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
 * <p>Where the states live: {@link #state(int)} / {@link #stateView(int)} are ND4J arrays [batch, size(l)] in 'f'
 * order, which hold the states between runs (callers read and set them there). A {@link #run} copies them once into
 * Java heap arrays, row-major, each row padded to a whole number of {@link UnitSplit#GRANULE}s and the rows to a
 * multiple of 4 (padding stays zero), steps there, and copies them back: the JIT vectorizes plain loops over heap
 * arrays, while every access to ND4J's native memory through a {@code FloatBuffer} costs several ns; and row-major
 * rows let the Vector API kernel add each product straight into the feedback.
 *
 * <p>A step computes the feedback among non-input units in the {@link FeedbackLayout} chosen for the topology and batch
 * size (two gemms per block between non-input layers, one gemm with all non-input units in one matrix, or the per-block
 * products in the Java Vector API), then one fused pass over the states; the input's contribution {@code x W_0 + b} is
 * constant while x is clamped and is computed once in {@link #clampInput}. With the Vector API layout and enough work
 * per step ({@link StepTeam#minSplitFlops()}), each step is split over the threads of the JVM's {@link StepTeam} by
 * units ({@link UnitSplit}): the feedback and the update of a unit are computed by one thread with the same float operations whatever the thread count, so the result is
 * bit-identical for any number of threads.
 */
public final class Relaxation {
    private final Topology topology;
    private final int batchSize;
    /** Batch rows padded to a multiple of 4: the rows of the heap arrays (padding rows stay zero). */
    private final int rows;
    /** Per layer: the row stride of its heap arrays, its size rounded up to a whole number of granules. */
    private final int[] width;
    /** Scratch for the copies between ND4J's 'f' order and the heap layout: batch x the widest layer. */
    private final float[] transposeScratch;
    private final INDArray[] state;
    private final FloatView[] stateView;
    /** The constant drive b + x W_0 per layer, computed in ND4J once per batch, then copied to {@link #drive}. */
    private final INDArray[] inputDrive;
    private final FloatView[] inputDriveView;
    /**
     * Heap arrays per non-input layer, element (r, i) at r * width(l) + i: the states, and the states a step writes (a
     * step reads every state to compute the feedback while its parts update theirs, so it writes into the other array;
     * the two swap after each step); the feedback; the drive.
     */
    private float[][] s;
    private float[][] next;
    private final float[][] pre;
    private final float[][] drive;
    /** The nudge force on the outputs of a force acting inside the Euler step, [batch, nOut]. */
    private final INDArray outputForce;
    private final FloatView outputForceView;
    /** The same force in the heap layout, read only while a force acts inside the step. */
    private final float[] force;
    private final long unitsPerBatch;
    /** The flops of one step's products among non-input units (2 per multiply-add), for {@link StepTeam}'s threshold. */
    private final double stepFlops;
    private final FeedbackLayout layout;
    /** DENSE layout: every non-input state [batch, N], the feedback [batch, N], the symmetric W [N, N]; else null. */
    private final DenseFeedback dense;
    /** BLOCKS layout: the feedback per layer in ND4J arrays, for the gemms; else null. */
    private final INDArray[] gemmFeedback;
    private final FloatView[] gemmFeedbackView;
    /** Per block: whether its gemm into the upper / lower layer is the first write of that step. */
    private final boolean[] firstIntoUpper;
    private final boolean[] firstIntoLower;
    /** Per block: its products into the upper and lower layer's feedback (BLOCKS), and from the input (drive). */
    private final GemmSite[] intoUpper;
    private final GemmSite[] intoLower;
    private final GemmSite[] fromInput;
    /** VECTOR_BLOCKS layout: the kernel's laid-out weights; else null. */
    private final VectorBlockFeedback vector;
    private final UnitSplit alone;
    private UnitSplit shared;
    /** Per granule of {@link UnitSplit}: the largest |change| and the sum of squared changes of a measured step. */
    private final float[] granuleMax;
    private final double[] granuleSquares;
    private NetworkParams params;
    private double lastSquaredChange;

    /** The layer groups a step updates one after the other: all at once, or odd layers then even ones. */
    private final boolean[][] synchronousGroups;
    private final boolean[][] alternatingGroups;

    /**
     * What the step running on the team does: fields, so that a step allocates nothing, written before
     * {@link StepTeam#run} (whose atomic hand-over makes them visible to the workers).
     */
    private final java.util.function.IntConsumer stepPart = this::stepPart;
    private UnitSplit stepSplit;
    private boolean[] stepGroup;
    private float stepEps;
    private boolean stepForce;
    private boolean stepClampOutputs;
    private boolean stepMeasure;

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
        this.rows = (batchSize + 3) / 4 * 4;
        this.unitsPerBatch = (long) batchSize * topology.numStateUnits();
        this.stepFlops = FeedbackLayout.blockFlops(topology, batchSize);
        int layers = topology.numLayers();
        state = new INDArray[layers];
        stateView = new FloatView[layers];
        inputDrive = new INDArray[layers];
        inputDriveView = new FloatView[layers];
        s = new float[layers][];
        next = new float[layers][];
        pre = new float[layers][];
        drive = new float[layers][];
        int output = topology.outputLayer();
        width = new int[layers];
        int widest = 0;
        for (int l = 1; l < layers; l++) {
            width[l] = UnitSplit.granules(topology.size(l)) * UnitSplit.GRANULE;
            widest = Math.max(widest, topology.size(l));
        }
        transposeScratch = new float[batchSize * widest];
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            for (int l = 1; l < layers; l++) {
                state[l] = Nd4j.zeros(DataType.FLOAT, batchSize, topology.size(l)).dup('f');
                stateView[l] = FloatView.of(state[l]);
                inputDrive[l] = Nd4j.zeros(DataType.FLOAT, batchSize, topology.size(l)).dup('f');
                inputDriveView[l] = FloatView.of(inputDrive[l]);
                s[l] = new float[rows * width[l]];
                next[l] = new float[rows * width[l]];
                pre[l] = new float[rows * width[l]];
                drive[l] = new float[rows * width[l]];
            }
            outputForce = Nd4j.zeros(DataType.FLOAT, batchSize, topology.size(output)).dup('f');
        }
        outputForceView = FloatView.of(outputForce);
        force = new float[rows * width[output]];
        this.layout = layout;
        this.dense = layout == FeedbackLayout.DENSE ? new DenseFeedback(topology, batchSize) : null;
        this.vector = layout == FeedbackLayout.VECTOR_BLOCKS ? new VectorBlockFeedback(topology, rows, width) : null;
        if (layout == FeedbackLayout.BLOCKS) {
            gemmFeedback = new INDArray[layers];
            gemmFeedbackView = new FloatView[layers];
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                for (int l = 1; l < layers; l++) {
                    gemmFeedback[l] = Nd4j.zeros(DataType.FLOAT, batchSize, topology.size(l)).dup('f');
                    gemmFeedbackView[l] = FloatView.of(gemmFeedback[l]);
                }
            }
        } else {
            gemmFeedback = null;
            gemmFeedbackView = null;
        }
        List<Block> blocks = topology.blocks();
        firstIntoUpper = new boolean[blocks.size()];
        firstIntoLower = new boolean[blocks.size()];
        intoUpper = GemmSite.each(blocks.size(), false, false);
        intoLower = GemmSite.each(blocks.size(), false, true);
        fromInput = GemmSite.each(blocks.size(), false, false);
        boolean[] receivesFeedback = new boolean[layers];
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
        synchronousGroups = new boolean[1][layers];
        for (int l = 1; l < layers; l++) {
            synchronousGroups[0][l] = true;
        }
        alternatingGroups = unconnectedGroups(topology);
        alone = new UnitSplit(topology, 1);
        granuleMax = new float[alone.granules()];
        granuleSquares = new double[alone.granules()];
    }

    /**
     * The layer groups of an alternating step: a greedy colouring of the non-input layers in order (each takes the
     * first group holding no layer it shares a block with), so no group holds two connected layers. A layered network
     * gets the odd layers, then the even ones; skip connections between layers of one parity split them further.
     *
     * @return [group][layer], true where the layer belongs to the group
     */
    static boolean[][] unconnectedGroups(Topology topology) {
        int layers = topology.numLayers();
        boolean[][] connected = new boolean[layers][layers];
        for (Block b : topology.blocks()) {
            if (!b.fromInput() && !b.intralayer()) {
                connected[b.from()][b.to()] = true;
                connected[b.to()][b.from()] = true;
            }
        }
        List<boolean[]> groups = new ArrayList<>();
        for (int l = 1; l < layers; l++) {
            boolean[] home = null;
            for (boolean[] group : groups) {
                boolean free = true;
                for (int m = 1; m < layers && free; m++) {
                    free = !(group[m] && connected[l][m]);
                }
                if (free) {
                    home = group;
                    break;
                }
            }
            if (home == null) {
                home = new boolean[layers];
                groups.add(home);
            }
            home[l] = true;
        }
        return groups.toArray(new boolean[0][]);
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
                fromInput[k].run(input, params.weight(k), inputDrive[b.to()], 1.0, written[b.to()] ? 1.0 : 0.0);
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
            FloatBuffer x = inputDriveView[l].buffer();
            FloatView bias = FloatView.of(params.bias(l));
            boolean add = written[l];
            float[] d = drive[l];
            int w = width[l];
            for (int j = 0, n = topology.size(l); j < n; j++) {
                float bj = bias.get(j);
                for (int r = 0, in = j * batchSize; r < batchSize; r++) {
                    d[r * w + j] = (add ? x.get(in + r) : 0f) + bj;
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
        return run(maxSteps, eps, tolerance, nudge, false);
    }

    /**
     * Runs up to {@code maxSteps} Euler steps from the current states, synchronous or alternating.
     *
     * <p>Alternating: a step updates groups of mutually unconnected layers one after the other, each from the states
     * its predecessors left ({@link #unconnectedGroups}; Scellier et al. 2023's asynchronous sweeps). In a layered
     * network these are the odd layers (1, 3, ...), then the even ones. The layers of a group do not interact, so
     * each part-step is the synchronous update of its layers given the others, information crosses the whole network
     * in one step instead of one layer per step, and at eps = 1 each part-step minimizes the energy over its layers
     * exactly (block coordinate descent: E never rises). A small-world network whose skips join layers of one parity
     * gets more groups for the same work (one update per layer per step). The fixed points are the synchronous
     * dynamics' (the equilibria of E), so EP's estimates are unchanged; only the path there differs.
     *
     * @param alternating update the groups of unconnected layers in turn within each step (else all layers at once)
     */
    public RelaxationResult run(int maxSteps, double eps, double tolerance, NudgeForce nudge, boolean alternating) {
        if (params == null) {
            throw new IllegalStateException("clampInput must be called before run");
        }
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be at least 1; got " + maxSteps);
        }
        StepTeam team = vector != null && stepFlops >= StepTeam.minSplitFlops() ? StepTeam.tryAcquire() : null;
        try {
            stepSplit = team == null ? alone : splitFor(team.parts());
            for (int l = 1; l < topology.numLayers(); l++) {
                load(stateView[l], s[l], l);
            }
            int steps = 0;
            double maxChange;
            boolean everyStep = tolerance > 0;
            do {
                steps++;
                maxChange = step(team, (float) eps, nudge, everyStep || steps == maxSteps,
                        alternating ? alternatingGroups : synchronousGroups);
            } while (steps < maxSteps && !(everyStep && maxChange < tolerance));
            for (int l = 1; l < topology.numLayers(); l++) {
                store(s[l], stateView[l], l);
            }
            return new RelaxationResult(steps, maxChange, Math.sqrt(lastSquaredChange / unitsPerBatch) / eps);
        } finally {
            if (team != null) {
                team.release();
            }
        }
    }

    private UnitSplit splitFor(int parts) {
        if (shared == null || shared.parts() != parts) {
            shared = new UnitSplit(topology, parts);
        }
        return shared;
    }

    /**
     * One Euler step: for each group of layers in turn, the group's update and, after the group holding the outputs,
     * the nudge if any (which clamps the outputs the step left unclamped). When {@code measure} is set, returns the
     * largest |Δs| of the whole step and leaves the sum of squared changes in a field; otherwise returns NaN
     * (fixed-count runs measure only their last step). Measuring the outputs after the nudge matters: at a nudged
     * equilibrium the Euler step and the nudge cancel, while each alone moves the outputs by about
     * 2 * eps * beta * |y - s_y|.
     */
    private float step(StepTeam team, float eps, NudgeForce nudge, boolean measure, boolean[][] groups) {
        for (boolean[] group : groups) {
            updateGroup(team, eps, nudge, measure, group);
        }
        return measure ? sumGranules() : Float.NaN;
    }

    /** Updates the layers of {@code group} from the current states (see {@link #step}). */
    private void updateGroup(StepTeam team, float eps, NudgeForce nudge, boolean measure, boolean[] group) {
        int output = topology.outputLayer();
        boolean nudged = nudge != null && group[output];
        boolean inside = nudged && nudge.insideStep();
        boolean after = nudged && !inside;
        if (inside) {
            store(s[output], stateView[output], output);
            nudge.writeForce(state[output], outputForce);
            load(outputForceView, force, output);
        }
        if (vector == null) {
            computeFeedbackInNd4j();
        }
        stepGroup = group;
        stepEps = eps;
        stepForce = inside;
        stepClampOutputs = !after;
        stepMeasure = measure;
        if (team == null) {
            stepPart(0);
        } else {
            team.run(stepPart);
        }
        for (int l = 1; l < group.length; l++) {
            if (group[l]) {
                float[] stepped = next[l];
                next[l] = s[l];
                s[l] = stepped;
            }
        }
        if (after) {
            store(s[output], stateView[output], output);
            nudge.apply(state[output], eps);
            load(stateView[output], s[output], output);
            if (measure) {
                measureOutputsAfterNudge();
            }
        }
    }

    /**
     * Part {@code p} of a step's update of the layers in {@link #stepGroup}: the feedback of its units (Vector API layout), then their Euler update
     * s &lt;- clamp(s + eps * (pre + drive - s [+ force]), 0, 1), with the outputs unclamped when a nudge follows (it
     * clamps them: an output the step pushes out of [0, 1] stays on its bound unless the nudge outweighs that push, so
     * the nudged fixed point is the constrained equilibrium of E + beta' C, {@link NudgeForce}; clamping before the
     * nudge, the seed code's order, leaves such an output 2 * eps * beta * (y - bound) off its bound, an O(beta) move
     * whose share of EP's estimates does not vanish as beta -&gt; 0; the two orders agree when 2 * eps * beta = +-1).
     */
    private void stepPart(int p) {
        UnitSplit split = stepSplit;
        boolean[] group = stepGroup;
        if (vector != null) {
            vector.compute(s, pre, split, p, group);
        }
        int output = topology.outputLayer();
        float eps = stepEps;
        for (int l = 1; l < topology.numLayers(); l++) {
            if (!group[l]) {
                continue;
            }
            int first = split.first(p, l);
            int end = split.end(p, l);
            boolean isOutput = l == output;
            boolean clamp = stepClampOutputs || !isOutput;
            float[] f = isOutput && stepForce ? force : null;
            int w = width[l];
            if (!stepMeasure || (isOutput && !clamp)) {
                for (int r = 0; r < batchSize; r++) {
                    update(s[l], next[l], pre[l], drive[l], f, r * w + first, r * w + end, eps, clamp);
                }
                continue;
            }
            for (int g0 = first; g0 < end; g0 += UnitSplit.GRANULE) {
                measuredUpdate(s[l], next[l], pre[l], drive[l], f, w, g0, Math.min(end, g0 + UnitSplit.GRANULE), eps,
                        clamp, split.granuleIndex(l, g0 / UnitSplit.GRANULE));
            }
        }
    }

    /** out[i] = s + eps * (pre + drive - s [+ f]), clamped to [0, 1] if asked, for i in [a, b). */
    private static void update(float[] s, float[] out, float[] pre, float[] d, float[] f, int a, int b, float eps,
                               boolean clamp) {
        if (f != null) {
            for (int i = a; i < b; i++) {
                float old = s[i];
                float stepped = old + eps * (pre[i] + d[i] - old + f[i]);
                out[i] = clamp ? clamp01(stepped) : stepped;
            }
        } else if (clamp) {
            for (int i = a; i < b; i++) {
                float old = s[i];
                out[i] = clamp01(old + eps * (pre[i] + d[i] - old));
            }
        } else {
            for (int i = a; i < b; i++) {
                float old = s[i];
                out[i] = old + eps * (pre[i] + d[i] - old);
            }
        }
    }

    /**
     * As {@link #update} for units [u0, u1) of every row, recording the granule's largest |change| and its sum of
     * squared changes (each granule is measured by one thread, in the same order whatever the split). The update and
     * the measurement are two loops per row: the update loop then vectorizes, and the pair costs 0.6x the single loop
     * that did both (measured on a 20 x 500 layer: 17.5 against 28.4 us).
     */
    private void measuredUpdate(float[] s, float[] out, float[] pre, float[] d, float[] f, int width, int u0, int u1,
                                float eps, boolean clamp, int granule) {
        float max = 0;
        double squares = 0;
        for (int r = 0; r < batchSize; r++) {
            int a = r * width + u0;
            int b = r * width + u1;
            update(s, out, pre, d, f, a, b, eps, clamp);
            float rowSquares = 0;
            for (int i = a; i < b; i++) {
                float change = out[i] - s[i];
                rowSquares += change * change;
                max = Math.max(max, Math.abs(change));
            }
            squares += rowSquares;
        }
        granuleMax[granule] = max;
        granuleSquares[granule] = squares;
    }

    /**
     * The outputs' granule statistics of a nudged step, measured after the nudge that followed it, against the
     * outputs before the step (still in {@link #next}, the array the step read).
     */
    private void measureOutputsAfterNudge() {
        int output = topology.outputLayer();
        float[] now = s[output];
        float[] before = next[output];
        int w = width[output];
        int size = topology.size(output);
        for (int g = 0, n = UnitSplit.granules(size); g < n; g++) {
            float max = 0;
            double squares = 0;
            for (int r = 0; r < batchSize; r++) {
                for (int i = r * w + g * UnitSplit.GRANULE, b = r * w + Math.min(size, (g + 1) * UnitSplit.GRANULE);
                     i < b; i++) {
                    float change = now[i] - before[i];
                    squares += change * change;
                    max = Math.max(max, Math.abs(change));
                }
            }
            granuleMax[alone.granuleIndex(output, g)] = max;
            granuleSquares[alone.granuleIndex(output, g)] = squares;
        }
    }

    /** Largest |change| over all granules; their summed squares go to {@link #lastSquaredChange}, in a fixed order. */
    private float sumGranules() {
        float max = 0;
        double squares = 0;
        for (int g = 0; g < granuleMax.length; g++) {
            max = Math.max(max, granuleMax[g]);
            squares += granuleSquares[g];
        }
        lastSquaredChange = squares;
        return max;
    }

    /**
     * The feedback among non-input units by ND4J into the heap feedback: DENSE, one gemm over all of them; BLOCKS, two
     * gemms per block on the ND4J state arrays.
     */
    private void computeFeedbackInNd4j() {
        if (dense != null) {
            dense.compute(s, pre, width);
            return;
        }
        for (int l = 1; l < topology.numLayers(); l++) {
            store(s[l], stateView[l], l);
        }
        List<Block> blocks = topology.blocks();
        for (int k = 0; k < blocks.size(); k++) {
            Block b = blocks.get(k);
            if (b.fromInput()) {
                continue;
            }
            INDArray w = params.weight(k);
            intoUpper[k].run(state[b.from()], w, gemmFeedback[b.to()], 1.0, firstIntoUpper[k] ? 0.0 : 1.0);
            if (!b.intralayer()) {
                intoLower[k].run(state[b.to()], w, gemmFeedback[b.from()], 1.0, firstIntoLower[k] ? 0.0 : 1.0);
            }
        }
        for (int l = 1; l < topology.numLayers(); l++) {
            load(gemmFeedbackView[l], pre[l], l);
        }
    }

    /** Copies an ND4J [batch, n] 'f'-order view into layer {@code l}'s heap layout (row-major, stride width(l)). */
    private void load(FloatView from, float[] to, int l) {
        int n = topology.size(l);
        int w = width[l];
        float[] t = transposeScratch;
        from.buffer().get(0, t, 0, batchSize * n);
        for (int r = 0; r < batchSize; r++) {
            for (int i = 0, o = r * w; i < n; i++) {
                to[o + i] = t[i * batchSize + r];
            }
        }
    }

    /** Copies layer {@code l}'s heap layout into an ND4J [batch, n] 'f'-order view. */
    private void store(float[] from, FloatView to, int l) {
        int n = topology.size(l);
        int w = width[l];
        float[] t = transposeScratch;
        for (int i = 0; i < n; i++) {
            for (int r = 0, o = i * batchSize; r < batchSize; r++) {
                t[o + r] = from[r * w + i];
            }
        }
        to.buffer().put(0, t, 0, batchSize * n);
    }

    /**
     * v clamped to [0, 1] (NaN stays NaN). Branch-free on purpose: states sit at a bound or inside it at random, so a
     * branch mispredicts about half the time; {@code Math.min/max} compile to min/max instructions the JIT vectorizes
     * (measured 0.4 against 3-4 ns per element in the Euler update).
     */
    static float clamp01(float v) {
        return Math.min(Math.max(v, 0f), 1f);
    }
}
