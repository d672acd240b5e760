package org.eqp.energy;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The layered Hopfield energy nIn - hidden... - nOut composed with {@link EnergyGraph} (Scellier and Bengio 2017,
 * eq. 1): state groups {@code h1}, {@code h2}, ..., {@code y}, couplings {@code W0} (input to h1), {@code W1}, ...;
 * biases {@code bh1}, ..., {@code by}. Through autodiff it relaxes and learns exactly as the fused
 * {@link org.eqp.learning.EquilibriumPropagation} path does.
 *
 * @param hidden the hidden layer sizes, bottom first, at least one
 */
public record DenseEnergy(int... hidden) implements EnergyDefinition {
    public DenseEnergy {
        if (hidden == null || hidden.length == 0 || java.util.Arrays.stream(hidden).anyMatch(h -> h < 1)) {
            throw new IllegalArgumentException("a dense energy needs hidden sizes >= 1; got "
                    + java.util.Arrays.toString(hidden));
        }
        hidden = hidden.clone();
    }

    @Override
    public SameDiffEnergy build(long nIn, long nOut, long seed) {
        EnergyGraph graph = new EnergyGraph(DataType.FLOAT, seed);
        SDVariable below = graph.input(nIn);
        for (int l = 0; l < hidden.length; l++) {
            SDVariable h = graph.state("h" + (l + 1), hidden[l]);
            graph.dense(below, h);
            below = h;
        }
        graph.dense(below, graph.state("y", nOut));
        return graph.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DenseEnergy other && java.util.Arrays.equals(hidden, other.hidden);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(hidden);
    }

    @Override
    public String toString() {
        return "DenseEnergy" + java.util.Arrays.toString(hidden);
    }
}
