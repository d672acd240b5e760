package org.eqp.energy;

import java.util.Random;
import java.util.function.DoubleSupplier;
import org.eqp.dynamics.NetworkParams;
import org.eqp.dynamics.Relaxation;
import org.eqp.topology.Block;
import org.eqp.topology.ConnectionMask;
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

    /**
     * dL/dtheta for every weight and bias by central differences, each side by re-evaluating {@code loss} (which
     * re-relaxes): (L(theta + h) - L(theta - h)) / (the actual float32 step). Both stored entries of an intralayer pair
     * weight move together; entries without a connection (a masked block's zeros, an intralayer diagonal) keep a zero
     * gradient, as EP's does.
     */
    static NetworkParams finiteDifferenceGradient(NetworkParams params, DoubleSupplier loss, double h) {
        Topology topology = params.topology();
        NetworkParams gradient = zerosLike(topology);
        for (int k = 0; k < topology.blocks().size(); k++) {
            Block block = topology.blocks().get(k);
            differentiate(params.weight(k), gradient.weight(k), block.dense() ? null : block.mask(), block.intralayer(),
                    loss, h);
        }
        for (int l = 1; l < topology.numLayers(); l++) {
            differentiate(params.bias(l), gradient.bias(l), null, false, loss, h);
        }
        return gradient;
    }

    /**
     * Central differences of {@code loss} for every entry of a matrix (a parameter, or the input batch) that the mask
     * connects (all when null); with {@code pairs} (an intralayer block) entries (r, c) and (c, r) move together.
     */
    static void differentiate(INDArray matrix, INDArray out, ConnectionMask mask, boolean pairs, DoubleSupplier loss,
                              double h) {
        for (int r = 0; r < matrix.size(0); r++) {
            for (int c = 0; c < matrix.size(1); c++) {
                if (mask != null && !mask.connected(r, c)) {
                    continue;
                }
                float original = matrix.getFloat(r, c);
                float plus = (float) (original + h);
                float minus = (float) (original - h);
                set(matrix, r, c, plus, pairs);
                double lossPlus = loss.getAsDouble();
                set(matrix, r, c, minus, pairs);
                double lossMinus = loss.getAsDouble();
                set(matrix, r, c, original, pairs);
                out.putScalar(r, c, (lossPlus - lossMinus) / ((double) plus - minus));
            }
        }
    }

    private static void set(INDArray matrix, int r, int c, float value, boolean pairs) {
        matrix.putScalar(r, c, value);
        if (pairs) {
            matrix.putScalar(c, r, value);
        }
    }

    /** a.b / (|a| |b|). */
    static double cosine(double[] a, double[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
