package org.eqp.data;

import org.nd4j.linalg.dataset.DataSet;

/**
 * A dataset in memory, split into training and test parts.
 *
 * @param name        dataset name ("mnist", "wine", "csv:PATH", ...)
 * @param train       features [N, numFeatures] in [0, 1] (float), labels one-hot [N, numClasses] or [N, 1] for regression
 * @param test        the same for the test part
 * @param numFeatures input width
 * @param numClasses  number of classes; 0 for regression (targets scaled to [0, 1])
 */
public record LoadedDataset(String name, DataSet train, DataSet test, int numFeatures, int numClasses) {

    public boolean isRegression() {
        return numClasses == 0;
    }

    /** The width of a network's output for this dataset: one unit per class, or one for a regression target. */
    public int numOutputs() {
        return isRegression() ? 1 : numClasses;
    }
}
