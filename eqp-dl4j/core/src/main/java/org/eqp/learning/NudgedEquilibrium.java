package org.eqp.learning;

import java.nio.FloatBuffer;
import java.util.List;
import org.eqp.dynamics.FloatView;
import org.eqp.dynamics.GemmSite;
import org.eqp.dynamics.NetworkParams;
import org.eqp.dynamics.Relaxation;
import org.eqp.dynamics.RelaxationResult;
import org.eqp.topology.Block;
import org.eqp.topology.Topology;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The nudged equilibrium s^beta of a batch, as {@link FreeEquilibrium#nudge} returns it: it writes EP's estimates of
 * the loss gradient (formulas in {@link EquilibriumPropagation}). Like the free handle it is reused per batch size;
 * it serves until the next free phase on a batch of its size, after which it refuses to write.
 */
public final class NudgedEquilibrium {
    private final EquilibriumPropagation engine;
    private final EpBatch batch;
    /** Per block: the products of the weight gradient (nudged and free states) and of the input gradient. */
    private final GemmSite[] nudgedCorrelation;
    private final GemmSite[] freeCorrelation;
    private final GemmSite[] inputGradient;

    NudgedEquilibrium(EquilibriumPropagation engine, EpBatch batch) {
        this.engine = engine;
        this.batch = batch;
        int blocks = engine.topology().blocks().size();
        nudgedCorrelation = GemmSite.each(blocks, true, false);
        freeCorrelation = GemmSite.each(blocks, true, false);
        inputGradient = GemmSite.each(blocks, false, true);
    }

    /** The nudge strength used, with its random sign. */
    public double signedBeta() {
        requireCurrent();
        return batch.signedBeta;
    }

    /** What the nudged phase's relaxation did (under symmetric nudging, the +beta phase's). */
    public RelaxationResult relaxation() {
        requireCurrent();
        return batch.nudgedResult;
    }

    /**
     * Examples of the batch whose free-phase output argmax differs from the target argmax (the seed's online training
     * error, measured before the update); -1 when there is a single output unit (regression), when the labels are
     * not one per output unit (a readout's classes: the readout counts its errors) or when the targets are a gradient
     * from above rather than labels ({@link org.eqp.dynamics.LinearCostNudge}).
     */
    public int freeArgmaxErrors() {
        requireCurrent();
        Topology topology = engine.topology();
        int nOut = topology.size(topology.outputLayer());
        if (nOut < 2 || engine.targetColumns() != nOut || !engine.nudge.boundedTargets()) {
            return -1;
        }
        FloatBuffer out = batch.freeView[topology.outputLayer()].buffer();
        FloatBuffer y = batch.targetView.buffer();
        int rows = batch.size();
        int errors = 0;
        for (int r = 0; r < rows; r++) {
            if (argmaxOfRow(out, r, rows, nOut) != argmaxOfRow(y, r, rows, nOut)) {
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
     * Writes G_W and G_b of this step into {@code gradients} (same layout as the parameters: W_k [size(from),
     * size(to)], b_l [1, size(l)]), descent convention, summed over the batch; zero where a block has no connection.
     */
    public void writeGradients(NetworkParams gradients) {
        writeGradients(gradients, 1.0);
    }

    /**
     * {@link #writeGradients(NetworkParams)} times {@code scale}, at no extra cost (the scale goes into the products):
     * {@code 1 / batch size} writes the batch mean.
     */
    public void writeGradients(NetworkParams gradients, double scale) {
        requireCurrent();
        double invBeta = scale / batch.betaSpan;
        Topology topology = engine.topology();
        List<Block> blocks = topology.blocks();
        Relaxation relaxation = batch.relaxation;
        for (int k = 0; k < blocks.size(); k++) {
            Block b = blocks.get(k);
            INDArray g = gradients.weight(k);
            if (b.fromInput()) {
                nudgedCorrelation[k].run(batch.input, batch.difference[b.to()], g, -invBeta, 0.0);
            } else {
                nudgedCorrelation[k].run(relaxation.state(b.from()), relaxation.state(b.to()), g, -invBeta, 0.0);
                freeCorrelation[k].run(batch.low[b.from()], batch.low[b.to()], g, invBeta, 1.0);
            }
        }
        engine.zeroAbsentConnections(gradients); // no gradient where no connection exists
        int rows = batch.size();
        for (int l = 1; l < topology.numLayers(); l++) {
            FloatBuffer diff = batch.differenceView[l].buffer();
            FloatView g = FloatView.of(gradients.bias(l));
            for (int j = 0, n = topology.size(l); j < n; j++) {
                double sum = 0;
                for (int r = 0, base = j * rows; r < rows; r++) {
                    sum += diff.get(base + r);
                }
                g.set(j, (float) (-invBeta * sum));
            }
        }
    }

    /**
     * EP's estimate of dL/dx for a layer below (x is clamped, so x plays the role of a parameter):
     * {@code -(1/beta) * sum over the blocks from the input of (s_b^beta - s_b^0) W^T}, with the weights the free
     * phase relaxed with. Row i is dC_i/dx_i for example i, not divided by the batch size (DL4J's epsilon convention;
     * its updater divides the layer below's summed gradient). It tends to the true gradient as beta -&gt; 0, units
     * pinned at a bound included. At finite beta it is biased like the weight gradient: at eps = 0.5, beta = +-1 (the
     * outputs set to y, or to clamp(2 s_y - y)) with 4 nudged steps we measured cosines 0.86-0.999 with the true
     * gradient but norms 0.07-0.4 of it, so a backprop layer below wants a rate several times EP's.
     *
     * @param out [batch, nIn], 'f' order, overwritten
     */
    public void writeInputGradient(INDArray out) {
        requireCurrent();
        double invBeta = 1.0 / batch.betaSpan;
        boolean first = true;
        List<Block> blocks = engine.topology().blocks();
        for (int k = 0; k < blocks.size(); k++) {
            Block b = blocks.get(k);
            if (b.fromInput()) {
                inputGradient[k].run(batch.difference[b.to()], batch.params.weight(k), out, -invBeta,
                        first ? 0.0 : 1.0);
                first = false;
            }
        }
    }

    private void requireCurrent() {
        if (batch.phase != EpBatch.Phase.NUDGED) {
            throw new IllegalStateException("this nudged equilibrium is gone: a free phase on a batch of the same size "
                    + "has run since; use the gradients of a step before the next freePhase");
        }
    }
}
