package org.eqp.dl4j.updater;

import java.util.List;
import java.util.Map;
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
 * external path.
 *
 * <p>Install it with {@link #install}; {@code MultiLayerNetwork.clone()} and a model restored by
 * {@code ModelSerializer} get DL4J's stock updater back until installed again.
 */
public final class ViewPreservingUpdater extends MultiLayerUpdater {

    /**
     * @param state the updater state to continue from (e.g. the stock updater's {@code getStateViewArray()}), or null
     *              for a fresh state
     */
    public ViewPreservingUpdater(MultiLayerNetwork network, INDArray state) {
        super(network, state);
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
        INDArray own = getFlattenedGradientsView();
        super.update(isBackedBy(gradient.gradient(), own) ? new OwnArrayGradient(gradient, own) : gradient, iteration,
                epoch, batchSize, workspaceMgr);
    }

    /**
     * Whether {@code a} is a contiguous view of all of {@code own}: the same memory from the same first element, the
     * same length (ND4J gives a reshaped view its own buffer object over the same memory).
     */
    static boolean isBackedBy(INDArray a, INDArray own) {
        if (a == own) {
            return true;
        }
        return a != null && own != null && a.length() == own.length() && a.dataType() == own.dataType()
                && a.data().address() == own.data().address()
                && a.offset() == own.offset() && a.elementWiseStride() == 1 && own.elementWiseStride() == 1;
    }

    @Override
    public Updater clone() {
        return new ViewPreservingUpdater(network, null);
    }

    /** A gradient whose flattened array is the network's own gradient array object; all else delegates. */
    private record OwnArrayGradient(Gradient delegate, INDArray own) implements Gradient {
        @Override
        public Map<String, INDArray> gradientForVariable() {
            return delegate.gradientForVariable();
        }

        @Override
        public INDArray gradient(List<String> order) {
            return delegate.gradient(order);
        }

        @Override
        public INDArray gradient() {
            return own;
        }

        @Override
        public void clear() {
            delegate.clear();
        }

        @Override
        public INDArray getGradientFor(String variable) {
            return delegate.getGradientFor(variable);
        }

        @Override
        public INDArray setGradientFor(String variable, INDArray gradient) {
            return delegate.setGradientFor(variable, gradient);
        }

        @Override
        public INDArray setGradientFor(String variable, INDArray gradient, Character flatteningOrder) {
            return delegate.setGradientFor(variable, gradient, flatteningOrder);
        }

        @Override
        public Character flatteningOrderForVariable(String variable) {
            return delegate.flatteningOrderForVariable(variable);
        }
    }
}
