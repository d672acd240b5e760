package org.eqp.dl4j.updater;

import java.util.List;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * DL4J's {@link UpdaterBlock} on the standard update path (the gradient is the network's own gradient array), without
 * the two reshaped views of the gradient that DL4J 1.0.0-M2.1 builds on every step and throws away.
 *
 * <p>A block's gradient view is already a one-dimensional view of its slice of the network's gradient, made once when
 * the updater is built, so the reshapes give the same memory in the same shape; each, though, is a native array
 * creation that runs JavaCPP's memory check (6 % of EP's {@code fit} on 784-500-10 in the profile of README
 * "Performance"). This block applies the same three operations to the same views: the regularization applied before
 * the updater (L1, L2), the updater itself (SGD, Adam, ...) and the one applied after it (weight decay). Results are
 * bit-identical to DL4J's block ({@code ViewPreservingUpdaterTest}). The external-gradient path is DL4J's own.
 */
final class PreshapedUpdaterBlock extends UpdaterBlock {

    private PreshapedUpdaterBlock(UpdaterBlock stock) {
        super(stock.getParamOffsetStart(), stock.getParamOffsetEnd(), stock.getUpdaterViewOffsetStart(),
                stock.getUpdaterViewOffsetEnd(), stock.getLayersAndVariablesInBlock());
        setUpdaterView(stock.getUpdaterView());
        setUpdaterViewRequiresInitialization(stock.isUpdaterViewRequiresInitialization());
        setGradientView(stock.getGradientView());
        setGradientUpdater(stock.getGradientUpdater());
    }

    /**
     * Replaces every block of {@code blocks} (an updater's own list, built by its constructor) by a preshaped one
     * over the same views and the same updater state.
     */
    static void replaceAll(List<UpdaterBlock> blocks) {
        blocks.replaceAll(b -> b instanceof PreshapedUpdaterBlock ? b : new PreshapedUpdaterBlock(b));
    }

    /** The standard path of {@link UpdaterBlock#update(int, int)}: regularization, updater, regularization. */
    @Override
    public void update(int iteration, int epoch) {
        if (getLayersAndVariablesInBlock().get(0).getLayer().numParams() == 0) {
            return;
        }
        applyRegularizationAllVariables(Regularization.ApplyStep.BEFORE_UPDATER, iteration, epoch, false,
                getGradientView(), null);
        getGradientUpdater().applyUpdater(getGradientView(), iteration, epoch);
        applyRegularizationAllVariables(Regularization.ApplyStep.POST_UPDATER, iteration, epoch, false,
                getGradientView(), null);
    }
}
