package org.eqp.energy;

import java.util.Random;
import org.eqp.dynamics.NetworkParams;
import org.eqp.dynamics.Relaxation;
import org.eqp.topology.Block;
import org.eqp.topology.Topology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Shared fixtures of the energy tests: DOUBLE default data types for the duration of each test (restored
 * afterwards), random float32 networks in the engine's layout, and copies of relaxation states.
 */
abstract class EnergyTestSupport {
    private DataType previousDataType;
    private DataType previousFloatType;

    @BeforeEach
    void useDoublePrecision() {
        previousDataType = Nd4j.dataType();
        previousFloatType = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterEach
    void restorePrecision() {
        Nd4j.setDefaultDataTypes(previousDataType, previousFloatType);
    }

    /** A FLOAT 'f'-order matrix with entries uniform in [lo, hi). */
    static INDArray uniform(Random random, long rows, long cols, double lo, double hi) {
        double[][] values = new double[(int) rows][(int) cols];
        for (double[] row : values) {
            for (int c = 0; c < row.length; c++) {
                row[c] = lo + (hi - lo) * random.nextDouble();
            }
        }
        return Nd4j.create(values).castTo(DataType.FLOAT).dup('f');
    }

    /**
     * FLOAT parameters: block weights uniform in +-(weightFactor * sqrt(6 / (n_from + n_to))) (Glorot scale times a
     * factor; intralayer blocks symmetrized), zero where a mask has no connection; biases uniform in [biasLo, biasHi).
     */
    static NetworkParams randomParams(Topology topology, Random random, double weightFactor, double biasLo, double biasHi) {
        INDArray[] weights = new INDArray[topology.blocks().size()];
        for (int k = 0; k < weights.length; k++) {
            Block b = topology.blocks().get(k);
            int nFrom = topology.size(b.from());
            int nTo = topology.size(b.to());
            double a = weightFactor * Math.sqrt(6.0 / (nFrom + nTo));
            weights[k] = uniform(random, nFrom, nTo, -a, a);
            if (b.intralayer()) { // one weight per pair of units
                weights[k] = weights[k].add(weights[k].transpose()).muli(0.5).dup('f');
            }
            if (!b.dense()) {
                for (int i = 0; i < nFrom; i++) {
                    for (int j = 0; j < nTo; j++) {
                        if (!b.mask().connected(i, j)) {
                            weights[k].putScalar(i, j, 0f);
                        }
                    }
                }
            }
        }
        INDArray[] biases = new INDArray[topology.numLayers()];
        for (int l = 1; l < biases.length; l++) {
            biases[l] = uniform(random, 1, topology.size(l), biasLo, biasHi);
        }
        return new NetworkParams(topology, weights, biases);
    }

    /** FLOAT zero arrays in the parameter layout, for gradients written by the engine. */
    static NetworkParams zerosLike(Topology topology) {
        INDArray[] weights = new INDArray[topology.blocks().size()];
        for (int k = 0; k < weights.length; k++) {
            Block b = topology.blocks().get(k);
            weights[k] = Nd4j.zeros(DataType.FLOAT, topology.size(b.from()), topology.size(b.to())).dup('f');
        }
        INDArray[] biases = new INDArray[topology.numLayers()];
        for (int l = 1; l < biases.length; l++) {
            biases[l] = Nd4j.zeros(DataType.FLOAT, 1, topology.size(l)).dup('f');
        }
        return new NetworkParams(topology, weights, biases);
    }

    /** DOUBLE copies of the current states of every non-input layer (index 0 null). */
    static INDArray[] copyStates(Relaxation relaxation) {
        INDArray[] states = new INDArray[relaxation.topology().numLayers()];
        for (int l = 1; l < states.length; l++) {
            states[l] = relaxation.state(l).castTo(DataType.DOUBLE).dup('c');
        }
        return states;
    }

    /** Overwrites the relaxation's states with {@code states} (index 0 ignored). */
    static void setStates(Relaxation relaxation, INDArray[] states) {
        for (int l = 1; l < states.length; l++) {
            relaxation.state(l).assign(states[l].castTo(DataType.FLOAT));
        }
    }

    /** Smallest and largest entry over all layers of {@code states} (index 0 ignored). */
    static double[] range(INDArray[] states) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int l = 1; l < states.length; l++) {
            min = Math.min(min, states[l].minNumber().doubleValue());
            max = Math.max(max, states[l].maxNumber().doubleValue());
        }
        return new double[] {min, max};
    }

    /** Flattens every weight then every bias of {@code params} into one DOUBLE vector. */
    static double[] flatten(NetworkParams params) {
        Topology topology = params.topology();
        int n = Math.toIntExact(topology.numParams());
        double[] out = new double[n];
        int i = 0;
        for (int k = 0; k < topology.blocks().size(); k++) {
            for (double v : params.weight(k).castTo(DataType.DOUBLE).dup('c').data().asDouble()) {
                out[i++] = v;
            }
        }
        for (int l = 1; l < topology.numLayers(); l++) {
            for (double v : params.bias(l).castTo(DataType.DOUBLE).dup('c').data().asDouble()) {
                out[i++] = v;
            }
        }
        return out;
    }

    /** ||a - b|| / ||b||. */
    static double relativeError(double[] a, double[] b) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - b[i]) * (a[i] - b[i]);
            norm += b[i] * b[i];
        }
        return Math.sqrt(diff / norm);
    }
}
