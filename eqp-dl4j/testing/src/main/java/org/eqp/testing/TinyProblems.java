package org.eqp.testing;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Small seeded datasets for tests. */
public final class TinyProblems {
    private TinyProblems() {
    }

    /**
     * Two Gaussian blobs per class in [0,1]^features, one-hot labels: class c has its mean at 0.25 or 0.75 on
     * feature c (mod features) and 0.5 elsewhere. Linearly separable with margin; chance error = 1 - 1/classes.
     */
    public static DataSet blobs(int examples, int features, int classes, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[examples * features];
        float[] y = new float[examples * classes];
        for (int i = 0; i < examples; i++) {
            int c = i % classes;
            for (int f = 0; f < features; f++) {
                double mean = f == c % features ? 0.85 : 0.3;
                x[i * features + f] = (float) Math.min(1, Math.max(0, mean + 0.1 * rnd.nextGaussian()));
            }
            y[i * classes + c] = 1f;
        }
        return new DataSet(Nd4j.create(x, new long[] {examples, features}).castTo(DataType.FLOAT),
                Nd4j.create(y, new long[] {examples, classes}).castTo(DataType.FLOAT));
    }
}
