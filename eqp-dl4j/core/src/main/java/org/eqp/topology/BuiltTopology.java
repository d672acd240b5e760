package org.eqp.topology;

/**
 * A topology and what building it did: how many connections the network it started from had, how many were drawn
 * into layer-skipping pairs, and the achieved p.
 *
 * @param topology            the blocks: adjacent blocks first (masked where connections were removed), then one
 *                            masked block per pair of non-adjacent layers that received connections
 * @param originalConnections connections of the network the generator started from (the layered one; with
 *                            intralayer connections for {@link SmallWorld#intralayerReplace}); for a topology that was
 *                            not generated, its own connection count
 * @param draws               connections drawn from the skip pool (replacements or additions); 0 when not generated
 * @param achievedP           draws / originalConnections; for {@link SmallWorld#intralayerReplace} the preprint's
 *                            1 - ((N - 1) / N)^n with N = originalConnections, n = draws
 */
public record BuiltTopology(Topology topology, long originalConnections, long draws, double achievedP) {

    /** A topology taken as it is: nothing drawn, p = 0. */
    public static BuiltTopology asGiven(Topology topology) {
        long connections = 0;
        for (Block b : topology.blocks()) {
            connections += topology.connectionCount(b);
        }
        return new BuiltTopology(topology, connections, 0, 0.0);
    }
}
