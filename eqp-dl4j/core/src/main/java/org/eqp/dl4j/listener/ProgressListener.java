package org.eqp.dl4j.listener;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.eqp.metrics.ProgressReporter;

/**
 * Prints a progress line with rate and ETA at most every 10 s (by default) of a long training run: advances a
 * {@link ProgressReporter} by one unit per training iteration (minibatch). Call {@code progress.finish()} when the run
 * ends.
 */
public final class ProgressListener extends BaseTrainingListener {
    private final ProgressReporter progress;

    /** @param progress sized in minibatches: batches per epoch times epochs */
    public ProgressListener(ProgressReporter progress) {
        this.progress = progress;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        progress.step();
    }
}
