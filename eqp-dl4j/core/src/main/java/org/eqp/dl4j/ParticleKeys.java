package org.eqp.dl4j;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.dl4j.layers.EpLayerRuntime;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keys the persistent particles of a network's EP layers by the network's input, so that they follow the training
 * examples when layers below an EP layer compute its input.
 *
 * <p>A layer's particles are keyed by a hash of each example's features ({@link org.eqp.learning.ParticleStore}). An EP
 * layer that reads the network's input (the first layer of a {@code MultiLayerNetwork}, a graph layer fed by a graph
 * input) can take them from its own input. Under a trainable layer (a {@code DenseLayer} under an
 * {@code EpOutputLayer}, the convolutions under an {@code EpLayer}) its input changes after every update, so keyed by
 * it each example would gain a new particle at every step; DL4J hands a layer only its own input, so the network's
 * input has to be pointed out to it: {@code ParticleKeys.fromNetworkInput(net)} after {@code net.init()}. Such a layer
 * with particles on and no network input to key them refuses to train, naming this fix.
 *
 * <p>{@code MultiLayerNetwork.fit}, {@code output} and {@code feedForward} set the network's input before any layer
 * runs, as {@code ComputationGraph}'s do for its inputs, so the keys are those of the examples of the current pass. A
 * copy of the network ({@code clone()}, {@code ModelSerializer}) is a new network: call this on it too
 * ({@link EpModelSerializer}'s restore methods and {@link EpModelSerializer#copyParticles} do).
 */
public final class ParticleKeys {
    private ParticleKeys() {
    }

    /**
     * Keys the particles of every EP layer of {@code model} by the model's input: a MultiLayerNetwork's
     * {@code getInput()}, or a ComputationGraph's {@code getInputs()} (all of them, in order). Harmless for a layer
     * that reads the network's input itself: the keys are the same.
     *
     * @param model a {@code MultiLayerNetwork} or {@code ComputationGraph}, initialised
     * @return the model
     * @throws IllegalArgumentException for another kind of model
     */
    public static <M extends Model> M fromNetworkInput(M model) {
        Layer[] layers;
        java.util.function.Supplier<INDArray[]> input;
        if (model instanceof MultiLayerNetwork net) {
            layers = net.getLayers();
            input = () -> new INDArray[] {net.getInput()};
        } else if (model instanceof ComputationGraph graph) {
            layers = graph.getLayers();
            input = graph::getInputs;
        } else {
            throw new IllegalArgumentException("ParticleKeys handles MultiLayerNetwork and ComputationGraph; got "
                    + model.getClass().getName());
        }
        if (layers == null) {
            throw new IllegalArgumentException("the network has no layers yet: call init() before ParticleKeys");
        }
        for (Layer layer : layers) {
            if (layer instanceof EpLayerRuntime ep) {
                ep.keyParticlesBy(input);
            }
        }
        return model;
    }
}
