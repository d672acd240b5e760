package org.eqp.spark;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Exact comparisons of arrays (INDArray.equals allows 1e-5). */
final class Diffs {
    private Diffs() {
    }

    /** max |a - b| over the elements; a and b have the same shape. */
    static double maxAbs(INDArray a, INDArray b) {
        return Transforms.abs(a.sub(b)).maxNumber().doubleValue();
    }
}
