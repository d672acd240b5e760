package org.eqp.dl4j.updater;

import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link MultiLayerUpdater} with one fix: it runs DL4J's standard update path whenever the gradient is the
 * network's own flattened gradient array, as it is in every {@code fit}.
 *
 * <p>Why: DL4J 1.0.0-M2.1 decides between its standard path and its "external gradient" path (meant for gradients
 * computed in another network) by object identity, {@code gradient.gradient() != getFlattenedGradientsView()}, and
 * {@code DefaultGradient.gradient()} returns a new reshaped view on each call, so every step of every network takes
 * the external path. That path rebuilds, for every parameter variable and twice per step (before and after the
 * updater), sub-array views of the whole parameter and gradient vectors: ND4J array creations that cost more than
 * the update itself on small batches (the profile in README "Performance"). The standard path uses views made once.
 * Both paths apply the same operations to the same memory, so results are bit-identical
 * ({@code ViewPreservingUpdaterTest}); any gradient not backed by the network's gradient array still takes the
 * external path. On the standard path its updater blocks are {@link PreshapedUpdaterBlock}s, which skip two more
 * per-step array creations.
 *
 * <p>Install it with {@link #install}; {@code MultiLayerNetwork.clone()} and a model restored by
 * {@code ModelSerializer} get DL4J's stock updater back until installed again. {@link ViewPreservingGraphUpdater}
 * is the same for a {@code ComputationGraph}.
 */
public final class ViewPreservingUpdater extends MultiLayerUpdater {

    /**
     * @param state the updater state to continue from (e.g. the stock updater's {@code getStateViewArray()}), or null
     *              for a fresh state
     */
    public ViewPreservingUpdater(MultiLayerNetwork network, INDArray state) {
        super(network, state);
        PreshapedUpdaterBlock.replaceAll(updaterBlocks);
    }

    /**
     * Replaces the network's updater by a view-preserving one that continues its state (momentum, Adam moments).
     * Call after {@code init()}.
     *
     * @return the network
     * @throws IllegalStateException if the network is not initialised
     */
    public static MultiLayerNetwork install(MultiLayerNetwork network) {
        if (network.params() == null) {
            throw new IllegalStateException("Call init() on the network before installing its updater");
        }
        if (!(network.getUpdater() instanceof ViewPreservingUpdater)) {
            Updater stock = network.getUpdater();
            INDArray state = stock == null ? null : stock.getStateViewArray();
            network.setUpdater(new ViewPreservingUpdater(network, state == null ? null : state.dup()));
        }
        return network;
    }

    @Override
    public synchronized void update(Gradient gradient, int iteration, int epoch, int batchSize,
                                    LayerWorkspaceMgr workspaceMgr) {
        super.update(OwnGradientArray.standardPath(gradient, getFlattenedGradientsView()), iteration, epoch, batchSize,
                workspaceMgr);
    }

    @Override
    public Updater clone() {
        return new ViewPreservingUpdater(network, null);
    }
}
