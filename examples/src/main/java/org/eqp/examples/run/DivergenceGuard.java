package org.eqp.examples.run;

import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.eqp.dl4j.layers.EpLayerStats;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Stops a training run with a {@link TrainingDivergedException} as soon as NaN or Inf shows: in a batch's loss or in
 * the free-phase states of an EP layer (checked after every batch: scalars the training computed anyway), or in any
 * parameter (one pass over the parameters: at every epoch end, before the epoch is measured, and whenever
 * {@link #requireFinite} is called, e.g. before a checkpoint is written, so that no checkpoint holds a diverged
 * network). The message names the layer, the batch and the likely fix.
 */
final class DivergenceGuard extends BaseTrainingListener {
    private final String run;

    /** @param run what is trained, for the message ("EP", "backprop") */
    DivergenceGuard(String run) {
        this.run = run;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        MultiLayerNetwork net = (MultiLayerNetwork) model;
        long batch = iteration + 1L;
        if (!Double.isFinite(net.score())) {
            throw diverged(net, batch, epoch + 1, "its loss is " + net.score());
        }
        for (Layer layer : net.getLayers()) {
            if (layer instanceof EpLayerStats ep && ep.lastStepStats() != null
                    && !Double.isFinite(ep.lastStepStats().freeResidual())) {
                throw diverged(net, batch, epoch + 1, "the free-phase states of " + name(layer)
                        + " hold NaN or Inf");
            }
        }
    }

    @Override
    public void onEpochEnd(Model model) {
        requireFinite((MultiLayerNetwork) model);
    }

    /** Checks every parameter of a network standing between two batches (or at the end of an epoch). */
    void requireFinite(MultiLayerNetwork net) {
        String bad = firstNonFiniteParameter(net);
        if (bad != null) {
            throw new TrainingDivergedException(message(net, net.getIterationCount(), net.getEpochCount() + 1, bad));
        }
    }

    /** Names the first layer and parameter holding NaN or Inf after a non-finite loss or state, else the symptom. */
    private TrainingDivergedException diverged(MultiLayerNetwork net, long batch, int epoch, String symptom) {
        String bad = firstNonFiniteParameter(net);
        return new TrainingDivergedException(message(net, batch, epoch, bad != null ? bad : symptom));
    }

    /** The message, with the likely fix: a lower rate, and for an EP network a lower beta too. */
    private String message(MultiLayerNetwork net, long batch, int epoch, String what) {
        boolean ep = java.util.Arrays.stream(net.getLayers()).anyMatch(l -> l instanceof EpLayerStats);
        return String.format(Locale.ROOT, "%s training diverged at batch %d (epoch %d): %s; likely fix: a lower "
                + "learning rate (--lr)%s", run, batch, epoch, what, ep ? " or beta (--beta)" : "");
    }

    private static String firstNonFiniteParameter(MultiLayerNetwork net) {
        for (Layer layer : net.getLayers()) {
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                INDArray values = p.getValue();
                if (BooleanIndexing.or(values, Conditions.isNan())
                        || BooleanIndexing.or(values, Conditions.isInfinite())) {
                    return "parameter " + p.getKey() + " of " + name(layer) + " holds NaN or Inf";
                }
            }
        }
        return null;
    }

    private static String name(Layer layer) {
        String name = layer.conf().getLayer().getLayerName();
        return (name != null ? name : "layer" + layer.getIndex()) + " ("
                + layer.conf().getLayer().getClass().getSimpleName() + ")";
    }
}
