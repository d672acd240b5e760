package org.eqp.dl4j.layers;

/**
 * What the last training step of an EP layer did, for listeners ({@link EpLayerStats}).
 *
 * @param batchSize      examples in the batch
 * @param batchMeans     whether the layer's weight and bias gradients are batch means (DL4J's minibatch training),
 *                       else batch sums
 * @param onlineErrors   examples whose free-phase output argmax differed from the label argmax, measured before
 *                       this batch's update (the seed's "online" training error); -1 for single-output (regression)
 * @param freeSteps      Euler steps of the free phase
 * @param freeResidual   RMS velocity |ds/dt| of the last free step (0 at an exact equilibrium)
 * @param nudgedSteps    Euler steps of the nudged phase
 * @param signedBeta     the nudge strength used, with its random sign
 */
public record EpStepStats(int batchSize, boolean batchMeans, int onlineErrors, int freeSteps, double freeResidual,
                          int nudgedSteps, double signedBeta) {
}
