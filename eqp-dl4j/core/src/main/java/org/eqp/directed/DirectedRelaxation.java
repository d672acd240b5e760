package org.eqp.directed;

/**
 * Euler integration of a directed network's dynamics for one example (the rule's dynamics, see {@link DirectedRule}):
 * {@code s_j <- clamp(s_j + dt * v_j(s), 0, 1)} for every non-input unit, synchronously, the inputs (and the bias unit,
 * at 1) clamped. The cost is C = 1/2 ||s_out - y||^2, so the nudge is {@code -beta (s_out - y)} on the outputs.
 */
public final class DirectedRelaxation {
    private final DirectedNetwork network;
    private final DirectedRule rule;
    private final double dt;
    private final double[] leak;
    private final double[] velocity;
    /** sum over input units i of W_ij s_i, for the inputs of {@link #inputDriveOf}. */
    private final double[] inputDrive;
    private double[] inputDriveOf;

    /** Captures the leak factors of the current weights (they stay fixed while the network relaxes). */
    public DirectedRelaxation(DirectedNetwork network, DirectedRule rule, double dt) {
        this.network = network;
        this.rule = rule;
        this.dt = dt;
        int n = network.graph().size();
        this.leak = new double[n];
        this.velocity = new double[n];
        this.inputDrive = new double[n];
        for (int j = network.graph().inputs(); j < n; j++) {
            leak[j] = rule == DirectedRule.DEEP ? network.outgoingSum(j) : 1.0;
        }
    }

    /**
     * A state vector with the inputs clamped (the bias unit at 1) and every other unit at zero.
     *
     * @param x the data inputs (without the bias unit)
     */
    public double[] initialState(double[] x) {
        DirectedGraph g = network.graph();
        int dataInputs = g.inputs() - (g.hasBiasUnit() ? 1 : 0);
        if (x.length != dataInputs) {
            throw new IllegalArgumentException("expected " + dataInputs + " input values; got " + x.length);
        }
        for (double v : x) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("input values must be finite; got " + v + ". Clean or impute the data");
            }
        }
        double[] s = new double[g.size()];
        System.arraycopy(x, 0, s, 0, x.length);
        if (g.hasBiasUnit()) {
            s[g.biasUnit()] = 1;
        }
        return s;
    }

    /**
     * The velocity {@code ds/dt} of every non-input unit at state s (eq. 1 for DEEP), with the output nudge when
     * {@code target} is given; entries of input units are 0. The returned array is reused by the next call.
     */
    public double[] velocity(double[] s, double beta, double[] target) {
        DirectedGraph g = network.graph();
        int n = g.size();
        int p = g.inputs();
        refreshInputDrive(s);
        for (int j = p; j < n; j++) {
            double drive = inputDrive[j];
            for (int i = p; i < n; i++) {
                drive += network.weight(i, j) * s[i];
            }
            velocity[j] = drive - leak[j] * s[j];
        }
        if (target != null) {
            int first = g.firstOutput();
            for (int o = 0; o < g.outputs(); o++) {
                velocity[first + o] -= beta * (s[first + o] - target[o]);
            }
        }
        return velocity;
    }

    /**
     * The input units are clamped, so their drive {@code sum_{i input} W_ij s_i} is computed once per input pattern
     * (recomputed whenever the input values differ from the last ones seen).
     */
    private void refreshInputDrive(double[] s) {
        DirectedGraph g = network.graph();
        int p = g.inputs();
        if (inputDriveOf != null && java.util.Arrays.equals(s, 0, p, inputDriveOf, 0, p)) {
            return;
        }
        inputDriveOf = java.util.Arrays.copyOf(s, p);
        for (int j = p; j < g.size(); j++) {
            double drive = 0;
            for (int i = 0; i < p; i++) {
                drive += network.weight(i, j) * s[i];
            }
            inputDrive[j] = drive;
        }
    }

    /** One synchronous Euler step in place, then the hard-sigmoid bound; returns the largest |change|. */
    public double step(double[] s, double beta, double[] target) {
        double[] v = velocity(s, beta, target);
        double largest = 0;
        for (int j = network.graph().inputs(); j < s.length; j++) {
            double next = Math.min(1, Math.max(0, s[j] + dt * v[j]));
            largest = Math.max(largest, Math.abs(next - s[j]));
            s[j] = next;
        }
        return largest;
    }

    public DirectedRule rule() {
        return rule;
    }
}
