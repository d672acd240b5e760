package org.eqp.dl4j.updater;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link ComputationGraphUpdater} with {@link ViewPreservingUpdater}'s fix: the standard update path whenever
 * the gradient is the graph's own flattened gradient array (DL4J 1.0.0-M2.1's identity check sends every graph step
 * down its slower "external gradient" path). Bit-identical results ({@code ViewPreservingUpdaterTest}).
 */
public final class ViewPreservingGraphUpdater extends ComputationGraphUpdater {

    /** @param state the updater state to continue from, or null for a fresh state */
    public ViewPreservingGraphUpdater(ComputationGraph graph, INDArray state) {
        super(graph, state);
        PreshapedUpdaterBlock.replaceAll(updaterBlocks);
    }

    /**
     * Replaces the graph's updater by a view-preserving one that continues its state. Call after {@code init()}.
     *
     * @return the graph
     * @throws IllegalStateException if the graph is not initialised
     */
    public static ComputationGraph install(ComputationGraph graph) {
        if (graph.params() == null) {
            throw new IllegalStateException("Call init() on the graph before installing its updater");
        }
        if (!(graph.getUpdater() instanceof ViewPreservingGraphUpdater)) {
            INDArray state = graph.getUpdater().getStateViewArray();
            graph.setUpdater(new ViewPreservingGraphUpdater(graph, state == null ? null : state.dup()));
        }
        return graph;
    }

    @Override
    public synchronized void update(Gradient gradient, int iteration, int epoch, int batchSize,
                                    LayerWorkspaceMgr workspaceMgr) {
        super.update(OwnGradientArray.standardPath(gradient, getFlattenedGradientsView()), iteration, epoch, batchSize,
                workspaceMgr);
    }
}
