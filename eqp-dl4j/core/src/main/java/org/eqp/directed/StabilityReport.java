package org.eqp.directed;

import java.util.ArrayList;
import java.util.List;

/**
 * Farinha et al. 2020, Proposition 2: the free equilibrium of DEEP's dynamics is locally asymptotically stable if, for
 * every non-input unit j, {@code sum_i W_ji > 0} (its outgoing weights sum to a positive leak) and
 * {@code sum_{i non-input} |W_ij| < |sum_i W_ji|} (its incoming weights from other relaxing units are dominated by that
 * leak: Gershgorin diagonal dominance of the Jacobian). Sufficient, not necessary: a unit failing them may still
 * settle.
 */
public final class StabilityReport {

    /**
     * One non-input unit.
     *
     * @param unit            index
     * @param outgoingSum     sum_i W_ji
     * @param incomingAbsSum  sum over non-input i of |W_ij|
     * @param satisfied       both conditions hold
     */
    public record Unit(int unit, double outgoingSum, double incomingAbsSum, boolean satisfied) {
    }

    private final List<Unit> units;

    private StabilityReport(List<Unit> units) {
        this.units = List.copyOf(units);
    }

    /** Checks every non-input unit of the network. */
    public static StabilityReport of(DirectedNetwork network) {
        DirectedGraph g = network.graph();
        List<Unit> units = new ArrayList<>();
        for (int j = g.inputs(); j < g.size(); j++) {
            double out = network.outgoingSum(j);
            double in = 0;
            for (int i = g.inputs(); i < g.size(); i++) {
                in += Math.abs(network.weight(i, j));
            }
            units.add(new Unit(j, out, in, out > 0 && in < Math.abs(out)));
        }
        return new StabilityReport(units);
    }

    public List<Unit> units() {
        return units;
    }

    /** Whether every non-input unit satisfies the conditions (then s^0 is locally asymptotically stable). */
    public boolean allSatisfied() {
        return units.stream().allMatch(Unit::satisfied);
    }
}
