package org.eqp.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.eqp.dynamics.NetworkParams;
import org.eqp.topology.Topology;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** HopfieldEnergy's analytic gradients against central finite differences of its own energy. */
class HopfieldEnergyFiniteDifferenceTest extends EnergyTestSupport {
    private static final double H = 1e-5;
    private static final double TOLERANCE = 1e-7;

    private final Topology topology = Topology.layered(3, 4, 3, 2);
    private final Random random = new Random(11);
    private final HopfieldEnergy energy = new HopfieldEnergy(topology);
    private final INDArray x = uniform(random, 2, 3, 0, 1).castTo(DataType.DOUBLE);
    private final NetworkParams params = toDouble(randomParams(topology, random, 1.0, -0.2, 0.2));
    private final INDArray[] states = interiorStates();

    @Test
    void stateGradientMatchesFiniteDifferences() {
        // given states strictly inside (0, 1), where rho' = 1
        // when
        INDArray[] analytic = energy.stateGradient(x, states, params);
        // then
        for (int l = 1; l < topology.numLayers(); l++) {
            assertMatchesFiniteDifferences(states[l], analytic[l], "dE/ds_" + l);
        }
    }

    @Test
    void weightAndBiasGradientsMatchFiniteDifferences() {
        // given states strictly inside (0, 1)
        // when
        NetworkParams analytic = energy.parameterGradient(x, states);
        // then
        for (int k = 0; k < topology.blocks().size(); k++) {
            assertMatchesFiniteDifferences(params.weight(k), analytic.weight(k), "dE/dW_" + k);
        }
        for (int l = 1; l < topology.numLayers(); l++) {
            assertMatchesFiniteDifferences(params.bias(l), analytic.bias(l), "dE/db_" + l);
        }
    }

    @Test
    void batchEnergyIsTheSumOfTheExampleEnergies() {
        // given / when
        double[] perExample = energy.energyPerExample(x, states, params);
        // then
        assertEquals(2, perExample.length);
        assertEquals(perExample[0] + perExample[1], energy.energy(x, states, params), 1e-12);
    }

    /** Perturbs each entry of {@code variable} in place by +-H and compares (E+ - E-) / 2H with {@code analytic}. */
    private void assertMatchesFiniteDifferences(INDArray variable, INDArray analytic, String what) {
        for (int r = 0; r < variable.size(0); r++) {
            for (int c = 0; c < variable.size(1); c++) {
                double original = variable.getDouble(r, c);
                variable.putScalar(r, c, original + H);
                double plus = energy.energy(x, states, params);
                variable.putScalar(r, c, original - H);
                double minus = energy.energy(x, states, params);
                variable.putScalar(r, c, original);
                double numeric = (plus - minus) / (2 * H);
                assertEquals(numeric, analytic.getDouble(r, c), TOLERANCE, what + " at (" + r + ", " + c + ")");
            }
        }
    }

    private INDArray[] interiorStates() {
        INDArray[] s = new INDArray[topology.numLayers()];
        for (int l = 1; l < s.length; l++) {
            s[l] = uniform(random, 2, topology.size(l), 0.05, 0.95).castTo(DataType.DOUBLE);
        }
        return s;
    }

    private static NetworkParams toDouble(NetworkParams p) {
        INDArray[] w = new INDArray[p.weights().length];
        for (int k = 0; k < w.length; k++) {
            w[k] = p.weight(k).castTo(DataType.DOUBLE);
        }
        INDArray[] b = new INDArray[p.biases().length];
        for (int l = 1; l < b.length; l++) {
            b[l] = p.bias(l).castTo(DataType.DOUBLE);
        }
        return new NetworkParams(p.topology(), w, b);
    }
}
