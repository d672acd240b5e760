package org.eqp.examples.deep;

import java.util.List;
import org.eqp.examples.report.QuantileBandPlot;

/**
 * The runs of one logic task under one recipe, and what the reports say about them: how many learnt the task, the
 * median sparsity, the best learnt run's sparsity and the runs at or above the paper's figure 2 sparsity.
 *
 * @param task   the logic task
 * @param recipe how the runs were trained
 * @param runs   one per seed (at least one)
 */
public record TaskRuns(LogicTask task, DeepRecipe recipe, List<DeepRuns.Run> runs) {
    /** Sparsities are counts of edges over a few dozen; this absorbs the rounding of the division. */
    private static final double SPARSITY_TOLERANCE = 1e-9;

    public TaskRuns {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a task's outcome needs at least one run");
        }
        runs = List.copyOf(runs);
    }

    /** Runs that ended with zero classification errors. */
    public int learnt() {
        return (int) runs.stream().filter(DeepRuns.Run::learnt).count();
    }

    public double medianFinalMse() {
        return QuantileBandPlot.quantile(runs.stream().mapToDouble(DeepRuns.Run::finalMse).toArray(), 0.5);
    }

    public double maxFinalMse() {
        return runs.stream().mapToDouble(DeepRuns.Run::finalMse).max().orElseThrow();
    }

    /** Median over all runs of the sparsity, bias edges counted. */
    public double medianSparsity() {
        return QuantileBandPlot.quantile(runs.stream().mapToDouble(DeepRuns.Run::sparsity).toArray(), 0.5);
    }

    /** Median over all runs of the sparsity without the bias unit's edges. */
    public double medianSparsityWithoutBias() {
        return QuantileBandPlot.quantile(runs.stream().mapToDouble(DeepRuns.Run::sparsityWithoutBias).toArray(), 0.5);
    }

    /** The highest sparsity among the runs that learnt the task, NaN if none did. */
    public double bestLearntSparsity() {
        return runs.stream().filter(DeepRuns.Run::learnt).mapToDouble(DeepRuns.Run::sparsity).max().orElse(Double.NaN);
    }

    /** Runs at or above the paper's sparsity for the task ({@link LogicTask#paperSparsity}), learnt or not. */
    public int atPaperSparsity() {
        return (int) runs.stream().filter(this::atPaperSparsity).count();
    }

    /** Runs that learnt the task at or above the paper's sparsity. */
    public int learntAtPaperSparsity() {
        return (int) runs.stream().filter(r -> r.learnt() && atPaperSparsity(r)).count();
    }

    private boolean atPaperSparsity(DeepRuns.Run run) {
        return run.sparsity() >= task.paperSparsity() - SPARSITY_TOLERANCE;
    }
}
