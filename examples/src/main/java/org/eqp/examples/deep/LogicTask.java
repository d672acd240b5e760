package org.eqp.examples.deep;

import java.util.Locale;

/** The logic operations of Farinha et al. 2020: two binary inputs, one binary output, all four patterns. */
public enum LogicTask {
    AND(new double[] {0, 0, 0, 1}),
    OR(new double[] {0, 1, 1, 1}),
    XOR(new double[] {0, 1, 1, 0});

    /** The four input patterns, in the order of the targets. */
    public static final double[][] INPUTS = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    private final double[] targets;

    LogicTask(double[] targets) {
        this.targets = targets;
    }

    /** The targets, one row per pattern. */
    public double[][] targets() {
        double[][] y = new double[targets.length][];
        for (int i = 0; i < y.length; i++) {
            y[i] = new double[] {targets[i]};
        }
        return y;
    }

    /** and, or, xor. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LogicTask parse(String id) {
        for (LogicTask t : values()) {
            if (t.id().equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("--task takes and, or or xor; got '" + id + "'");
    }
}
