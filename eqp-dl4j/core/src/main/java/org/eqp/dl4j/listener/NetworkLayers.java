package org.eqp.dl4j.listener;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** The layers of a DL4J model, for listeners that look for EP layers. */
public final class NetworkLayers {
    private NetworkLayers() {
    }

    /** The layers of a MultiLayerNetwork or ComputationGraph; none for other models. */
    public static Layer[] of(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            return net.getLayers();
        }
        if (model instanceof ComputationGraph graph) {
            return graph.getLayers();
        }
        return new Layer[0];
    }
}
