package org.eqp.dl4j.updater;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the view-preserving updaters share: a network's gradient handed to DL4J's updater so that its identity check
 * ({@code gradient.gradient() != getFlattenedGradientsView()}) sees the network's own gradient array object whenever
 * the gradient is a view of all of it, and DL4J runs its standard update path ({@link ViewPreservingUpdater}).
 */
final class OwnGradientArray {
    private OwnGradientArray() {
    }

    /**
     * {@code gradient}, or, when its flattened array is a view of all of {@code own}, the same gradient whose
     * flattened array is {@code own} itself.
     */
    static Gradient standardPath(Gradient gradient, INDArray own) {
        return isBackedBy(gradient.gradient(), own) ? new OwnArrayGradient(gradient, own) : gradient;
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
