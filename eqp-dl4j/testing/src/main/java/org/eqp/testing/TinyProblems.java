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
     * One Gaussian blob per class in [0, 1]^features, one-hot labels [examples, classes]: example i has class
     * c = i mod classes, and its features are independent N(mean, 0.1^2) draws clipped to [0, 1], with mean 0.85 on
     * feature c mod features and 0.3 on every other feature. With features &gt;= classes each class stands out in a
     * feature of its own by 0.55 = 5.5 standard deviations, so the classes are nearly (not strictly) linearly
     * separable; chance error = 1 - 1/classes. The same arguments always give the same data.
     *
     * @param examples rows; {@code features} columns, {@code classes} label columns; seeded by {@code seed}
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
