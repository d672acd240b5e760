package org.eqp.learning;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eqp.dynamics.NetworkParams;
import org.eqp.dynamics.SquaredErrorNudge;
import org.eqp.topology.Topology;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A convergence tolerance must not cut the nudged phase short: it measures the whole step, nudge included. */
class NudgedPhaseToleranceTest {

    @Test
    void nudgedPhaseWithToleranceReachesTheSameEquilibriumAsFixedCounts() {
        // given a 3-2-2 network, one example and a target away from the free output
        Topology topology = Topology.layered(3, 2, 2);
        NetworkParams params = new NetworkParams(topology, new INDArray[] {
                matrix(new double[][] {{0.3, -0.2}, {0.1, 0.4}, {-0.3, 0.2}}),
                matrix(new double[][] {{0.5, -0.4}, {0.2, 0.3}})},
                new INDArray[] {null, matrix(new double[][] {{0.5, 0.4}}), matrix(new double[][] {{0.5, 0.5}})});
        INDArray x = matrix(new double[][] {{0.9, 0.2, 0.6}});
        INDArray y = matrix(new double[][] {{1.0, 0.0}});

        // when EP runs with fixed counts and with a tolerance
        NetworkParams fixed = gradients(topology);
        engine(topology, 0).freePhase(x, params, false).nudge(y, 0).writeGradients(fixed);
        NetworkParams withTolerance = gradients(topology);
        NudgedEquilibrium tolerant = engine(topology, 1e-6).freePhase(x, params, false).nudge(y, 0);
        tolerant.writeGradients(withTolerance);

        // then the nudged phase ran more than one step and both give the same update
        assertTrue(tolerant.relaxation().steps() > 1, "nudged phase stopped after " + tolerant.relaxation().steps()
                + " step(s)");
        double difference = fixed.weight(0).sub(withTolerance.weight(0)).norm2Number().doubleValue();
        double scale = fixed.weight(0).norm2Number().doubleValue();
        assertTrue(difference < 1e-3 * scale, "input-block gradient differs: " + fixed.weight(0) + " vs " + withTolerance.weight(0));
    }

    private static EquilibriumPropagation engine(Topology topology, double tolerance) {
        return new EquilibriumPropagation(topology, new EpSettings(0.5, 0.1, 500, 500, false, false, tolerance, false),
                new SquaredErrorNudge(1), 1);
    }

    private static NetworkParams gradients(Topology topology) {
        return new NetworkParams(topology,
                new INDArray[] {Nd4j.zeros(DataType.FLOAT, 3, 2).dup('f'), Nd4j.zeros(DataType.FLOAT, 2, 2).dup('f')},
                new INDArray[] {null, Nd4j.zeros(DataType.FLOAT, 1, 2), Nd4j.zeros(DataType.FLOAT, 1, 2)});
    }

    private static INDArray matrix(double[][] values) {
        return Nd4j.create(values).castTo(DataType.FLOAT).dup('f');
    }
}
