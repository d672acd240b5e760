package org.eqp.energy;

import java.io.Serializable;
import org.nd4j.shade.jackson.annotation.JsonTypeInfo;

/**
 * How to build a {@link SameDiffEnergy} for a layer: a small immutable value that the layer configuration stores
 * (JSON-polymorphic by class name, as DL4J stores its {@code IUpdater}s), so a network holding the energy round-trips
 * through JSON and {@code ModelSerializer}. Built in: {@link DenseEnergy} (the layered Hopfield energy) and
 * {@link ConvEnergy} (convolution + pooling couplings). A user's own energy is one class implementing this, with its
 * knobs as Jackson-serializable fields (a record works), building any SameDiff graph.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, include = JsonTypeInfo.As.PROPERTY, property = "@class")
public interface EnergyDefinition extends Serializable {

    /**
     * Builds the energy: its input placeholder takes nIn values per example (any shape of that many, e.g. [1, 28, 28]
     * for 784), its output group is [batch, nOut]; initial parameters drawn from the seed. Variable names must not
     * contain '_' (DL4J splits gradient keys on it).
     *
     * @throws IllegalArgumentException when nIn or nOut do not fit the definition
     */
    SameDiffEnergy build(long nIn, long nOut, long seed);
}
