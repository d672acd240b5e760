package org.eqp.examples.run;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.eqp.report.ProgressReporter;

/** Advances a {@link ProgressReporter} by one unit per training iteration (minibatch). */
final class ProgressListener extends BaseTrainingListener {
    private final ProgressReporter progress;

    ProgressListener(ProgressReporter progress) {
        this.progress = progress;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        progress.step();
    }
}
