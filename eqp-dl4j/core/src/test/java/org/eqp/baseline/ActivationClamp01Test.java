package org.eqp.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationHardSigmoid;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.ObjectMapper;

class ActivationClamp01Test {

    @Test
    void clampsValuesToUnitInterval() {
        // given
        INDArray in = Nd4j.createFromArray(-0.5, 0.0, 0.25, 1.0, 1.5);
        // when
        INDArray out = new ActivationClamp01().getActivation(in.dup(), true);
        // then
        assertArrayEquals(new double[] {0, 0, 0.25, 1, 1}, out.toDoubleVector(), 0.0);
    }

    @Test
    void derivativeIsOneInsideZeroOutside() {
        // given
        INDArray in = Nd4j.createFromArray(-0.5, 0.0, 0.25, 0.75, 1.0, 1.5);
        INDArray eps = Nd4j.createFromArray(1.0, 2.0, 3.0, 4.0, 5.0, 6.0);
        // when
        Pair<INDArray, INDArray> grad = new ActivationClamp01().backprop(in.dup(), eps);
        // then
        assertArrayEquals(new double[] {0, 0, 3, 4, 0, 0}, grad.getFirst().toDoubleVector(), 0.0);
        assertNull(grad.getSecond());
    }

    @Test
    void differsFromDl4jHardSigmoid() {
        // given: DL4J hard sigmoid is clamp(0.2x + 0.5), not clamp(x)
        INDArray x = Nd4j.createFromArray(0.25);
        // when
        double ours = new ActivationClamp01().getActivation(x.dup(), false).getDouble(0);
        double dl4j = new ActivationHardSigmoid().getActivation(x.dup(), false).getDouble(0);
        // then
        assertEquals(0.25, ours, 0.0);
        assertNotEquals(ours, dl4j);
    }

    @Test
    void jsonRoundTripViaInterfaceTypeInfo() throws Exception {
        // given
        ObjectMapper mapper = new ObjectMapper();
        IActivation act = new ActivationClamp01();
        // when
        String json = mapper.writerFor(IActivation.class).writeValueAsString(act);
        IActivation back = mapper.readValue(json, IActivation.class);
        // then
        assertEquals(act, back);
        assertEquals(act.hashCode(), back.hashCode());
    }
}
