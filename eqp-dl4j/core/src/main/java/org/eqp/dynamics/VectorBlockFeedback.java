package org.eqp.dynamics;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.eqp.topology.Block;
import org.eqp.topology.Topology;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The {@link FeedbackLayout#VECTOR_BLOCKS} feedback of a relaxation step: the same products as
 * {@link FeedbackLayout#BLOCKS} (per block, {@code s_from W} into the upper layer and {@code s_to W^T} into the lower
 * one; intralayer blocks once), computed by {@link VectorKernel} on the relaxation's heap states and added by it
 * straight into the heap feedback:
 * <ul>
 *   <li>{@link #loadWeights}, once per batch: each block's W [size(from), size(to)] and its transpose, row-major,
 *       rows padded with zeros to the receiving layer's {@link Relaxation} width;</li>
 *   <li>{@link #compute}, every step and for one part of a {@link UnitSplit}: the part's columns of the feedback
 *       zeroed, then the columns of each product that belong to the part's units added to them.</li>
 * </ul>
 * The blocks run in a fixed order and each product element is summed in a fixed order whatever columns surround it,
 * so the feedback is the same float for float whatever the split (it may differ from the BLAS layouts' in the last
 * bits).
 */
final class VectorBlockFeedback {
    private static final boolean AVAILABLE = probe();

    private final Topology topology;
    /** Batch rows, a multiple of {@link VectorKernel#ROWS}. */
    private final int rows;
    /** Per layer: the row stride of its heap states and feedback, a multiple of {@link UnitSplit#GRANULE}. */
    private final int[] width;
    /** Per block: W row-major [size(from), width(to)]. */
    private final float[][] upward;
    /** Per block between two layers: W^T row-major [size(to), width(from)]; null for input and intralayer blocks. */
    private final float[][] downward;

    /**
     * @param rows  the rows of the states and feedback passed to {@link #compute}, a multiple of
     *              {@link VectorKernel#ROWS}
     * @param width per layer, their row stride, a multiple of {@link UnitSplit#GRANULE}
     */
    VectorBlockFeedback(Topology topology, int rows, int[] width) {
        if (!AVAILABLE) {
            throw new IllegalStateException("The VECTOR_BLOCKS feedback needs the Java Vector API: start the JVM with "
                    + "--add-modules jdk.incubator.vector (Java 17+ on a CPU with AVX2 or better), or use BLOCKS");
        }
        if (rows % VectorKernel.ROWS != 0) {
            throw new IllegalArgumentException("rows must be a multiple of " + VectorKernel.ROWS + "; got " + rows);
        }
        this.topology = topology;
        this.rows = rows;
        this.width = width.clone();
        int blocks = topology.blocks().size();
        upward = new float[blocks][];
        downward = new float[blocks][];
        for (int k = 0; k < blocks; k++) {
            Block b = topology.blocks().get(k);
            if (b.fromInput()) {
                continue;
            }
            upward[k] = new float[topology.size(b.from()) * width[b.to()]];
            if (!b.intralayer()) {
                downward[k] = new float[topology.size(b.to()) * width[b.from()]];
            }
        }
    }

    /**
     * Whether the Java Vector API can be used here: the module {@code jdk.incubator.vector} is resolved, vectors hold
     * at least 8 floats, and the system property {@code eqp.vector} is not {@code false}.
     */
    static boolean isAvailable() {
        return AVAILABLE;
    }

    private static boolean probe() {
        if (!Boolean.parseBoolean(System.getProperty("eqp.vector", "true"))
                || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            return VectorKernel.LANES >= 8;
        } catch (LinkageError e) {
            return false;
        }
    }

    /** Lays out every non-input block of {@code params} (and its transpose) for the kernel. */
    void loadWeights(NetworkParams params) {
        for (int k = 0; k < topology.blocks().size(); k++) {
            Block b = topology.blocks().get(k);
            if (b.fromInput()) {
                continue;
            }
            INDArray weight = params.weight(k);
            FloatBuffer w = FloatView.of(weight).buffer();
            boolean fortran = weight.ordering() == 'f';
            int from = topology.size(b.from());
            int to = topology.size(b.to());
            float[] up = upward[k];
            float[] down = downward[k];
            for (int i = 0; i < from; i++) {
                for (int j = 0; j < to; j++) {
                    float value = w.get(fortran ? j * from + i : i * to + j);
                    up[i * width[b.to()] + j] = value;
                    if (down != null) {
                        down[j * width[b.from()] + i] = value;
                    }
                }
            }
        }
    }

    /**
     * For the units part {@code p} of {@code split} updates: {@code feedback[l]} = the sum over non-input blocks
     * touching l of the neighbour's states times W (or W^T), for the layers in {@code layers}. Reads every state,
     * writes only the part's units of those layers (and the padding columns after their last unit).
     *
     * @param states   per non-input layer, element (r, i) at {@code r * width(l) + i}
     * @param feedback same layout
     * @param layers   per layer, whether its feedback is wanted
     */
    void compute(float[][] states, float[][] feedback, UnitSplit split, int p, boolean[] layers) {
        for (int l = 1; l < topology.numLayers(); l++) {
            if (!layers[l]) {
                continue;
            }
            int from = split.first(p, l);
            int to = columnsEnd(split, p, l);
            for (int r = 0, w = width[l]; r < rows; r++) {
                Arrays.fill(feedback[l], r * w + from, r * w + to, 0f);
            }
        }
        for (int k = 0; k < topology.blocks().size(); k++) {
            Block b = topology.blocks().get(k);
            if (b.fromInput()) {
                continue;
            }
            if (layers[b.to()]) {
                product(states[b.from()], b.from(), upward[k], b.to(), feedback[b.to()], split, p);
            }
            if (downward[k] != null && layers[b.from()]) {
                product(states[b.to()], b.to(), downward[k], b.from(), feedback[b.from()], split, p);
            }
        }
    }

    /** Adds the part's columns of states[source] x weights to {@code sum}. */
    private void product(float[] source, int sourceLayer, float[] weights, int into, float[] sum, UnitSplit split,
                         int p) {
        int from = split.first(p, into);
        int to = columnsEnd(split, p, into);
        if (from < to) {
            VectorKernel.multiply(source, width[sourceLayer], rows, topology.size(sourceLayer), weights, width[into],
                    sum, from, to);
        }
    }

    /** One past the last column the kernel computes for part p of layer l: its last unit rounded up to a vector. */
    private int columnsEnd(UnitSplit split, int p, int l) {
        int end = split.end(p, l);
        return end == split.first(p, l) ? end
                : Math.min(width[l], (end + VectorKernel.LANES - 1) / VectorKernel.LANES * VectorKernel.LANES);
    }
}
