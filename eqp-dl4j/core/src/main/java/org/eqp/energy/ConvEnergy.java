package org.eqp.energy;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A convolutional energy (Ernoult et al. 2019): images [channels, height, width] coupled to a chain of feature-map
 * state groups {@code c1}, {@code c2}, ... by {@link EnergyGraph#convPool} ("valid" kernel x kernel convolution, then
 * pool x pool max pooling), the last maps coupled densely to the output group {@code y} [batch, nOut]. For MNIST
 * (1 x 28 x 28), kernel 5, pool 2 and maps {32, 64}: c1 is [32, 12, 12], c2 [64, 4, 4].
 *
 * @param channels   input channels
 * @param height     input height
 * @param width      input width
 * @param featureMaps the channels of each feature-map group, bottom first, at least one
 * @param kernel     convolution kernel size
 * @param pool       max-pooling size (and stride)
 */
public record ConvEnergy(int channels, int height, int width, int[] featureMaps, int kernel, int pool)
        implements EnergyDefinition {
    public ConvEnergy {
        if (channels < 1 || height < 1 || width < 1 || kernel < 1 || pool < 1 || featureMaps == null
                || featureMaps.length == 0 || java.util.Arrays.stream(featureMaps).anyMatch(c -> c < 1)) {
            throw new IllegalArgumentException("a conv energy needs positive input sizes, kernel, pool and feature-map "
                    + "channels; got " + channels + "x" + height + "x" + width + ", maps "
                    + java.util.Arrays.toString(featureMaps) + ", kernel " + kernel + ", pool " + pool);
        }
        featureMaps = featureMaps.clone();
        long h = height;
        long w = width;
        for (int c : featureMaps) {
            h = (h - kernel + 1) / pool;
            w = (w - kernel + 1) / pool;
            if (h < 1 || w < 1) {
                throw new IllegalArgumentException("the images (" + height + "x" + width + ") shrink to nothing after "
                        + "the conv " + kernel + " + pool " + pool + " couplings of " + featureMaps.length + " maps");
            }
        }
    }

    /** The MNIST energy of Ernoult et al. 2019: 1 x 28 x 28, maps {32, 64}, kernel 5, pool 2. */
    public static ConvEnergy mnist(int... featureMaps) {
        return new ConvEnergy(1, 28, 28, featureMaps, 5, 2);
    }

    @Override
    public SameDiffEnergy build(long nIn, long nOut, long seed) {
        if (nIn != (long) channels * height * width) {
            throw new IllegalArgumentException("the conv energy takes " + channels + "x" + height + "x" + width + " = "
                    + (long) channels * height * width + " inputs; the layer has nIn = " + nIn);
        }
        EnergyGraph graph = new EnergyGraph(DataType.FLOAT, seed);
        SDVariable below = graph.input(channels, height, width);
        long h = height;
        long w = width;
        for (int g = 0; g < featureMaps.length; g++) {
            h = (h - kernel + 1) / pool;
            w = (w - kernel + 1) / pool;
            SDVariable maps = graph.state("c" + (g + 1), featureMaps[g], h, w);
            graph.convPool(below, maps, kernel, pool);
            below = maps;
        }
        graph.dense(below, graph.state("y", nOut));
        return graph.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConvEnergy c && channels == c.channels && height == c.height && width == c.width
                && kernel == c.kernel && pool == c.pool && java.util.Arrays.equals(featureMaps, c.featureMaps);
    }

    @Override
    public String toString() {
        return "ConvEnergy[" + channels + "x" + height + "x" + width + ", maps " + java.util.Arrays.toString(featureMaps)
                + ", kernel " + kernel + ", pool " + pool + "]";
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(channels, height, width, kernel, pool, java.util.Arrays.hashCode(featureMaps));
    }
}
