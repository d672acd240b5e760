package org.eqp.dynamics;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.eqp.topology.Block;
import org.eqp.topology.Topology;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The {@link FeedbackLayout#VECTOR_BLOCKS} feedback of a relaxation step: the same products as
 * {@link FeedbackLayout#BLOCKS} (per block, {@code s_from W} into the upper layer and {@code s_to W^T} into the lower
 * one; intralayer blocks once), computed by {@link VectorKernel} on Java heap copies:
 * <ul>
 *   <li>{@link #loadWeights}, once per batch: each block's W [size(from), size(to)] and its transpose, row-major,
 *       rows padded with zeros to a whole number of vectors;</li>
 *   <li>{@link #compute}, every step: the states of each layer copied once into a heap array (batch padded to a
 *       multiple of 4 with zero rows), one kernel product per block and direction, each added into the layer's
 *       feedback in ND4J's 'f' order, which is then copied into the relaxation's buffer.</li>
 * </ul>
 * The sum over blocks runs in a fixed order, so a seed still gives one result (which may differ from the BLAS layouts'
 * in the last float bits).
 */
final class VectorBlockFeedback {
    private static final boolean AVAILABLE = probe();

    private final Topology topology;
    private final int batch;
    /** Batch rows padded to a multiple of {@link VectorKernel#ROWS}. */
    private final int rows;
    /** Per layer: its size rounded up to a whole number of vectors. */
    private final int[] padded;
    /** Per non-input layer: the states, element (r, i) at {@code i * rows + r}; rows ≥ batch stay zero. */
    private final float[][] states;
    /** Per non-input layer: the summed feedback, element (r, i) at {@code i * batch + r} ('f' order). */
    private final float[][] feedback;
    /** One product, row-major [rows, padded size of the receiving layer]. */
    private final float[] product;
    /** Per block: W row-major [size(from), padded(to)]. */
    private final float[][] upward;
    /** Per block between two layers: W^T row-major [size(to), padded(from)]; null for input and intralayer blocks. */
    private final float[][] downward;

    VectorBlockFeedback(Topology topology, int batch) {
        if (!AVAILABLE) {
            throw new IllegalStateException("The VECTOR_BLOCKS feedback needs the Java Vector API: start the JVM with "
                    + "--add-modules jdk.incubator.vector (Java 17+ on a CPU with AVX2 or better), or use BLOCKS");
        }
        this.topology = topology;
        this.batch = batch;
        this.rows = (batch + VectorKernel.ROWS - 1) / VectorKernel.ROWS * VectorKernel.ROWS;
        int layers = topology.numLayers();
        padded = new int[layers];
        states = new float[layers][];
        feedback = new float[layers][];
        int widest = 0;
        for (int l = 1; l < layers; l++) {
            padded[l] = (topology.size(l) + VectorKernel.LANES - 1) / VectorKernel.LANES * VectorKernel.LANES;
            states[l] = new float[topology.size(l) * rows];
            feedback[l] = new float[topology.size(l) * batch];
            widest = Math.max(widest, padded[l]);
        }
        product = new float[rows * widest];
        upward = new float[topology.blocks().size()][];
        downward = new float[topology.blocks().size()][];
        for (int k = 0; k < topology.blocks().size(); k++) {
            Block b = topology.blocks().get(k);
            if (b.fromInput()) {
                continue;
            }
            upward[k] = new float[topology.size(b.from()) * padded[b.to()]];
            if (!b.intralayer()) {
                downward[k] = new float[topology.size(b.to()) * padded[b.from()]];
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
                    up[i * padded[b.to()] + j] = value;
                    if (down != null) {
                        down[j * padded[b.from()] + i] = value;
                    }
                }
            }
        }
    }

    /** feedback[l] = the sum over non-input blocks touching l of the neighbour's states times W (or W^T). */
    void compute(FloatView[] stateView, FloatView[] feedbackOut) {
        for (int l = 1; l < topology.numLayers(); l++) {
            FloatBuffer s = stateView[l].buffer();
            if (rows == batch) {
                s.get(0, states[l], 0, stateView[l].length());
            } else {
                for (int i = 0, n = topology.size(l); i < n; i++) {
                    s.get(i * batch, states[l], i * rows, batch);
                }
            }
            Arrays.fill(feedback[l], 0f);
        }
        for (int k = 0; k < topology.blocks().size(); k++) {
            Block b = topology.blocks().get(k);
            if (b.fromInput()) {
                continue;
            }
            addProduct(b.from(), upward[k], b.to());
            if (downward[k] != null) {
                addProduct(b.to(), downward[k], b.from());
            }
        }
        for (int l = 1; l < topology.numLayers(); l++) {
            feedbackOut[l].buffer().put(0, feedback[l], 0, feedback[l].length);
        }
    }

    /** feedback[into] += states[source] x weights, the weights laid out row-major [size(source), padded(into)]. */
    private void addProduct(int source, float[] weights, int into) {
        int np = padded[into];
        VectorKernel.multiply(states[source], rows, topology.size(source), weights, np, product);
        float[] sum = feedback[into];
        for (int r = 0; r < batch; r++) {
            for (int j = 0, n = topology.size(into), p = r * np; j < n; j++) {
                sum[j * batch + r] += product[p + j];
            }
        }
    }
}
