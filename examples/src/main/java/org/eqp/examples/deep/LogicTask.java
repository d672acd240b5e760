package org.eqp.examples.deep;

import java.util.Locale;

/** The logic operations of Farinha et al. 2020: two binary inputs, one binary output, all four patterns. */
public enum LogicTask {
    AND(new double[] {0, 0, 0, 1}, 45),
    OR(new double[] {0, 1, 1, 1}, 46),
    XOR(new double[] {0, 1, 1, 0}, 30);

    /** The four input patterns, in the order of the targets. */
    public static final double[][] INPUTS = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    /**
     * Edges of the paper's graph: 2 inputs, 5 hidden units and 1 output (8 neurons, each sending to the 6 non-input
     * neurons but itself: 42 edges) and the bias unit's 6 edges.
     */
    public static final int PAPER_EDGES = 48;
    private final double[] targets;
    private final int paperPrunedEdges;

    LogicTask(double[] targets, int paperPrunedEdges) {
        this.targets = targets;
        this.paperPrunedEdges = paperPrunedEdges;
    }

    /**
     * The sparsity of the paper's figure 2 network for this task: 45, 46 and 30 of {@link #PAPER_EDGES} edges pruned,
     * 93.75 %, 95.83 % and 62.50 %.
     */
    public double paperSparsity() {
        return paperPrunedEdges / (double) PAPER_EDGES;
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
