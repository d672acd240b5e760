package org.eqp.dynamics;

import java.util.Arrays;
import org.eqp.topology.Block;
import org.eqp.topology.Topology;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameters of an EP network, as views (usually into a DL4J layer's flat parameter vector).
 *
 * <p>{@code weights[k]} belongs to {@code topology.blocks().get(k)} and has shape
 * {@code [size(from), size(to)]}; {@code biases[l]} (l ≥ 1) has shape {@code [1, size(l)]};
 * {@code biases[0]} is null (the input layer is clamped and has no bias).
 */
public record NetworkParams(Topology topology, INDArray[] weights, INDArray[] biases) {

    public NetworkParams {
        if (weights.length != topology.blocks().size() || biases.length != topology.numLayers()) {
            throw new IllegalArgumentException("Expected " + topology.blocks().size() + " weight blocks and "
                    + topology.numLayers() + " bias slots; got " + weights.length + " and " + biases.length);
        }
        for (int k = 0; k < weights.length; k++) {
            Block b = topology.blocks().get(k);
            long[] expected = {topology.size(b.from()), topology.size(b.to())};
            if (!Arrays.equals(weights[k].shape(), expected)) {
                throw new IllegalArgumentException("Weights of block " + b + " have shape " + Arrays.toString(weights[k].shape())
                        + "; expected " + Arrays.toString(expected));
            }
        }
        for (int l = 1; l < biases.length; l++) {
            if (biases[l].length() != topology.size(l)) {
                throw new IllegalArgumentException("Bias of layer " + l + " has " + biases[l].length() + " entries; expected "
                        + topology.size(l));
            }
        }
    }

    public INDArray weight(int blockIndex) {
        return weights[blockIndex];
    }

    public INDArray bias(int layer) {
        return biases[layer];
    }
}
