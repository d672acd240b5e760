package org.eqp.topology;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Small-world ("layer-skipping") topologies of Gammell et al. (2021, journal version, the "SW" networks; DESIGN.md
 * §3), built from a layered network with seeded randomness.
 *
 * <ul>
 *   <li>{@link #replace}: every connection between adjacent layers (input to first hidden and last hidden to output
 *       included) is, independently with probability p, removed and replaced by a connection drawn uniformly from the
 *       pool of pairs of units in layers at least two apart (input to output included; never input-input,
 *       output-output or a unit with itself). A removed connection goes back into the pool, so a later draw may
 *       restore it. The achieved p is replacements / original adjacent connections.</li>
 *   <li>{@link #add}: the same draws, but nothing is removed and nothing returns to the pool.</li>
 * </ul>
 * Units are numbered layer by layer; a pair is kept as {@code lower * N + upper} in a pool with O(1) draws.
 */
public final class SmallWorld {

    /**
     * A generated topology and what the generation did.
     *
     * @param topology            adjacent blocks first (masked where connections were removed), then one masked block
     *                            per pair of non-adjacent layers that received connections
     * @param adjacentConnections connections of the layered network it started from
     * @param draws               connections drawn from the skip pool (replacements or additions)
     * @param achievedP           draws / adjacentConnections
     */
    public record Result(Topology topology, long adjacentConnections, long draws, double achievedP) {
    }

    private SmallWorld() {
    }

    /** The journal paper's small-world network: each adjacent connection moved with probability p. */
    public static Result replace(int[] layerSizes, double p, long seed) {
        return generate(layerSizes, p, seed, true);
    }

    /** Adjacent connections kept; for each, with probability p, one new skip connection added. */
    public static Result add(int[] layerSizes, double p, long seed) {
        return generate(layerSizes, p, seed, false);
    }

    private static Result generate(int[] sizes, double p, long seed, boolean removeOriginal) {
        Topology layered = Topology.layered(sizes);
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("the small-world probability p must lie in [0, 1]; got " + p);
        }
        if (sizes.length < 3) {
            throw new IllegalArgumentException("small-world needs at least three layers");
        }
        int layers = sizes.length;
        long[] offset = new long[layers + 1];
        for (int l = 0; l < layers; l++) {
            offset[l + 1] = offset[l] + sizes[l];
        }
        long units = offset[layers];

        long adjacent = 0;
        for (int l = 0; l + 1 < layers; l++) {
            adjacent += (long) sizes[l] * sizes[l + 1];
        }
        long skipCandidates = 0;
        for (int a = 0; a < layers; a++) {
            for (int b = a + 2; b < layers; b++) {
                skipCandidates += (long) sizes[a] * sizes[b];
            }
        }
        if (skipCandidates == 0 && p > 0) {
            throw new IllegalArgumentException("layers " + java.util.Arrays.toString(sizes)
                    + " leave no pair of layers two apart to connect; small-world needs at least one hidden layer");
        }
        long capacity = skipCandidates + (removeOriginal ? adjacent : 0);
        if (capacity > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("network too large for the small-world pool: " + capacity + " candidate pairs");
        }
        long[] pool = new long[(int) capacity];
        int poolSize = 0;
        for (int a = 0; a < layers; a++) {
            for (int b = a + 2; b < layers; b++) {
                for (long u = offset[a]; u < offset[a + 1]; u++) {
                    for (long v = offset[b]; v < offset[b + 1]; v++) {
                        pool[poolSize++] = u * units + v;
                    }
                }
            }
        }

        BitSet[][] present = new BitSet[layers][layers];
        for (int l = 0; l + 1 < layers; l++) {
            present[l][l + 1] = new BitSet();
            present[l][l + 1].set(0, sizes[l] * sizes[l + 1]);
        }
        SplittableRandom random = new SplittableRandom(seed);
        long draws = 0;
        for (int l = 0; l + 1 < layers; l++) {
            for (int i = 0; i < sizes[l]; i++) {
                for (int j = 0; j < sizes[l + 1]; j++) {
                    if (random.nextDouble() >= p) {
                        continue;
                    }
                    if (poolSize == 0) {
                        throw new IllegalArgumentException("small-world 'add' with p = " + p + " needs more new "
                                + "connections than the " + skipCandidates + " pairs of units two or more layers apart; "
                                + "lower p");
                    }
                    int index = random.nextInt(poolSize);
                    long drawn = pool[index];
                    pool[index] = pool[--poolSize];
                    if (removeOriginal) {
                        present[l][l + 1].clear(i * sizes[l + 1] + j);
                        pool[poolSize++] = (offset[l] + i) * units + offset[l + 1] + j;
                    }
                    connect(drawn, units, offset, sizes, present);
                    draws++;
                }
            }
        }
        return new Result(Topology.of(sizes, blocks(sizes, present)), adjacent, draws, adjacent == 0 ? 0 : draws / (double) adjacent);
    }

    /** Marks the pair {@code lower * units + upper} as connected in the mask of its two layers. */
    private static void connect(long pair, long units, long[] offset, int[] sizes, BitSet[][] present) {
        long u = pair / units;
        long v = pair % units;
        int a = layerOf(u, offset);
        int b = layerOf(v, offset);
        if (present[a][b] == null) {
            present[a][b] = new BitSet();
        }
        present[a][b].set((int) ((u - offset[a]) * sizes[b] + (v - offset[b])));
    }

    private static int layerOf(long unit, long[] offset) {
        int l = 0;
        while (unit >= offset[l + 1]) {
            l++;
        }
        return l;
    }

    private static List<Block> blocks(int[] sizes, BitSet[][] present) {
        List<Block> blocks = new ArrayList<>();
        for (int l = 0; l + 1 < sizes.length; l++) {
            BitSet bits = present[l][l + 1];
            boolean full = bits.cardinality() == sizes[l] * sizes[l + 1];
            blocks.add(full ? new Block(l, l + 1) : new Block(l, l + 1, new ConnectionMask(sizes[l], sizes[l + 1], bits)));
        }
        for (int a = 0; a < sizes.length; a++) {
            for (int b = a + 2; b < sizes.length; b++) {
                if (present[a][b] != null && !present[a][b].isEmpty()) {
                    blocks.add(new Block(a, b, new ConnectionMask(sizes[a], sizes[b], present[a][b])));
                }
            }
        }
        return blocks;
    }
}
