package org.eqp.dynamics;

import java.nio.FloatBuffer;
import org.eqp.topology.Block;
import org.eqp.topology.Topology;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@link FeedbackLayout#DENSE} feedback of a relaxation step: with the N non-input units numbered layer by layer,
 * {@code P = S W} for the states S [batch, N] and the symmetric matrix W [N, N] holding every block between non-input
 * layers in both directions (zeros where units are not connected), in one gemm. The relaxation's per-layer heap states
 * are packed into S before the product and P is unpacked into its per-layer heap feedback after it (each a copy of
 * batch x N floats, microseconds); W is rebuilt from the blocks in {@link #loadWeights}, once per batch.
 */
final class DenseFeedback {
    private final Topology topology;
    private final int batch;
    private final int n;
    /** First column of layer l in S and P (l ≥ 1). */
    private final int[] column;
    private final INDArray states;
    private final INDArray feedback;
    private final INDArray weights;
    private final FloatView statesView;
    private final FloatView feedbackView;
    private final FloatView weightsView;
    private final GemmSite product = new GemmSite(false, false);
    /** S or P in 'f' order on the heap, for the copies from and to the relaxation's layout. */
    private final float[] scratch;

    DenseFeedback(Topology topology, int batch) {
        this.topology = topology;
        this.batch = batch;
        this.n = topology.numStateUnits();
        this.column = new int[topology.numLayers()];
        for (int l = 2; l < topology.numLayers(); l++) {
            column[l] = column[l - 1] + topology.size(l - 1);
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            states = Nd4j.zeros(DataType.FLOAT, batch, n).dup('f');
            feedback = Nd4j.zeros(DataType.FLOAT, batch, n).dup('f');
            weights = Nd4j.zeros(DataType.FLOAT, n, n).dup('f');
        }
        statesView = FloatView.of(states);
        feedbackView = FloatView.of(feedback);
        weightsView = FloatView.of(weights);
        scratch = new float[batch * n];
    }

    /** Copies every non-input block of {@code params} into W, both (u, v) and (v, u). */
    void loadWeights(NetworkParams params) {
        FloatBuffer all = weightsView.buffer();
        for (int k = 0; k < topology.blocks().size(); k++) {
            Block b = topology.blocks().get(k);
            if (b.fromInput()) {
                continue;
            }
            FloatBuffer w = FloatView.of(params.weight(k)).buffer();
            int rows = topology.size(b.from());
            for (int j = 0, cols = topology.size(b.to()); j < cols; j++) {
                int v = column[b.to()] + j;
                for (int i = 0; i < rows; i++) {
                    int u = column[b.from()] + i;
                    float value = w.get(j * rows + i);
                    all.put(v * n + u, value);
                    all.put(u * n + v, value);
                }
            }
        }
    }

    /**
     * feedback[l] = (S W) restricted to layer l's columns, for the states of every non-input layer.
     *
     * @param states   per non-input layer, row-major, element (r, i) at {@code r * width[l] + i} (the relaxation's
     *                 heap states; rows beyond the batch are not read)
     * @param feedback same layout, the batch's rows and the layer's units overwritten
     * @param width    per layer, the row stride of both
     */
    void compute(float[][] states, float[][] feedback, int[] width) {
        float[] t = scratch;
        for (int l = 1; l < topology.numLayers(); l++) {
            for (int i = 0, size = topology.size(l); i < size; i++) {
                for (int r = 0, o = (column[l] + i) * batch; r < batch; r++) {
                    t[o + r] = states[l][r * width[l] + i];
                }
            }
        }
        statesView.buffer().put(0, t, 0, t.length);
        product.run(this.states, weights, this.feedback, 1.0, 0.0);
        feedbackView.buffer().get(0, t, 0, t.length);
        for (int l = 1; l < topology.numLayers(); l++) {
            for (int i = 0, size = topology.size(l); i < size; i++) {
                for (int r = 0, o = (column[l] + i) * batch; r < batch; r++) {
                    feedback[l][r * width[l] + i] = t[o + r];
                }
            }
        }
    }
}
