package org.eqp.topology;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Small-world ("layer-skipping") topologies of Gammell et al. (2021, journal version, the "SW" networks; the rules
 * in the {@linkplain org.eqp.topology package documentation}), built from a layered network with seeded randomness.
 *
 * <ul>
 *   <li>{@link #replace}: every connection between adjacent layers (input to first hidden and last hidden to output
 *       included) is, independently with probability p, removed and replaced by a connection drawn uniformly from the
 *       pool of pairs of units in layers at least two apart (input to output included; never input-input,
 *       output-output or a unit with itself). A removed connection goes back into the pool, so a later draw may
 *       restore it. The achieved p is replacements / original adjacent connections.</li>
 *   <li>{@link #add}: the same draws, but nothing is removed and nothing returns to the pool.</li>
 *   <li>{@link #intralayerReplace}: the earlier preprint's topology (Gammell et al. 2020, Algorithm 1): every pair of
 *       units within each hidden layer connected, then a fixed number n of replacements, each moving a uniformly
 *       chosen existing connection (adjacent, intralayer, or an earlier replacement) to a uniformly chosen
 *       unconnected pair of units in layers at least two apart; a removed connection becomes a candidate again.</li>
 * </ul>
 * Units are numbered layer by layer; a pair is kept as {@code lower * N + upper} in a pool with O(1) draws.
 */
public final class SmallWorld {

    private SmallWorld() {
    }

    /** The journal paper's small-world network: each adjacent connection moved with probability p. */
    public static BuiltTopology replace(int[] layerSizes, double p, long seed) {
        return generate(layerSizes, p, seed, true);
    }

    /** Adjacent connections kept; for each, with probability p, one new skip connection added. */
    public static BuiltTopology add(int[] layerSizes, double p, long seed) {
        return generate(layerSizes, p, seed, false);
    }

    /**
     * The preprint's topology: hidden layers fully connected within themselves, then {@code replacements} moves of an
     * existing connection to a layer-skipping pair (class javadoc). Reports p = 1 - ((N - 1) / N)^n, N the
     * connections before the moves (footnote 2 of the preprint).
     *
     * @param replacements n, between 0 and the number of connections of the starting network
     */
    public static BuiltTopology intralayerReplace(int[] sizes, long replacements, long seed) {
        Topology.layered(sizes);
        UnitNumbering units = new UnitNumbering(sizes);
        int layers = sizes.length;
        long original = 0;
        for (int l = 0; l + 1 < layers; l++) {
            original += (long) sizes[l] * sizes[l + 1];
        }
        for (int l = 1; l + 1 < layers; l++) {
            original += (long) sizes[l] * (sizes[l] - 1) / 2;
        }
        if (replacements < 0 || replacements > original) {
            throw new IllegalArgumentException("the number of replacements must lie in [0, " + original + "] (the "
                    + "connections of the starting network " + java.util.Arrays.toString(sizes) + "); got " + replacements);
        }
        long[] candidates = skipPairs(sizes, units, 0);
        if (candidates.length == 0 && replacements > 0) {
            throw new IllegalArgumentException("layers " + java.util.Arrays.toString(sizes) + " leave no pair of layers "
                    + "two apart to connect; the preprint's topology needs at least one hidden layer");
        }
        if (original > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("network too large for the preprint's topology: " + original + " connections");
        }
        long[] existing = new long[(int) original];
        int n = 0;
        for (int l = 0; l + 1 < layers; l++) {
            for (long u = units.first(l); u < units.first(l + 1); u++) {
                for (long v = units.first(l + 1); v < units.first(l + 2); v++) {
                    existing[n++] = units.pair(u, v);
                }
            }
        }
        for (int l = 1; l + 1 < layers; l++) {
            for (long u = units.first(l); u < units.first(l + 1); u++) {
                for (long v = u + 1; v < units.first(l + 1); v++) {
                    existing[n++] = units.pair(u, v);
                }
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (long r = 0; r < replacements; r++) {
            int c = random.nextInt(candidates.length);
            int e = random.nextInt(existing.length);
            long added = candidates[c];
            candidates[c] = existing[e];
            existing[e] = added;
        }
        BitSet[][] present = new BitSet[layers][layers];
        for (long pair : existing) {
            connect(pair, units, sizes, present);
        }
        double p = 1 - Math.pow((original - 1) / (double) original, replacements);
        return new BuiltTopology(Topology.of(sizes, blocks(sizes, present)), original, replacements, p);
    }

    private static BuiltTopology generate(int[] sizes, double p, long seed, boolean removeOriginal) {
        Topology.layered(sizes);
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("the small-world probability p must lie in [0, 1]; got " + p);
        }
        UnitNumbering units = new UnitNumbering(sizes);
        int layers = sizes.length;
        long adjacent = 0;
        for (int l = 0; l + 1 < layers; l++) {
            adjacent += (long) sizes[l] * sizes[l + 1];
        }
        long[] skips = skipPairs(sizes, units, removeOriginal ? adjacent : 0);
        long skipCandidates = skips.length - (removeOriginal ? adjacent : 0);
        if (skipCandidates == 0 && p > 0) {
            throw new IllegalArgumentException("layers " + java.util.Arrays.toString(sizes)
                    + " leave no pair of layers two apart to connect; small-world needs at least one hidden layer");
        }
        long[] pool = skips;
        int poolSize = (int) skipCandidates;

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
                        pool[poolSize++] = units.pair(units.first(l) + i, units.first(l + 1) + j);
                    }
                    connect(drawn, units, sizes, present);
                    draws++;
                }
            }
        }
        return new BuiltTopology(Topology.of(sizes, blocks(sizes, present)), adjacent, draws,
                adjacent == 0 ? 0 : draws / (double) adjacent);
    }

    /**
     * Every pair of units in layers at least two apart (input to output included), as {@link UnitNumbering#pair}
     * codes, in an array with {@code spare} free slots at the end.
     */
    private static long[] skipPairs(int[] sizes, UnitNumbering units, long spare) {
        long count = 0;
        for (int a = 0; a < sizes.length; a++) {
            for (int b = a + 2; b < sizes.length; b++) {
                count += (long) sizes[a] * sizes[b];
            }
        }
        if (count + spare > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("network too large for the small-world pool: " + (count + spare)
                    + " candidate pairs");
        }
        long[] pairs = new long[(int) (count + spare)];
        int n = 0;
        for (int a = 0; a < sizes.length; a++) {
            for (int b = a + 2; b < sizes.length; b++) {
                for (long u = units.first(a); u < units.first(a + 1); u++) {
                    for (long v = units.first(b); v < units.first(b + 1); v++) {
                        pairs[n++] = units.pair(u, v);
                    }
                }
            }
        }
        return pairs;
    }

    /**
     * Marks a pair of units as connected in the mask of its two layers (both (i, j) and (j, i) when they share a
     * layer).
     */
    private static void connect(long pair, UnitNumbering units, int[] sizes, BitSet[][] present) {
        long u = units.lower(pair);
        long v = units.upper(pair);
        int a = units.layerOf(u);
        int b = units.layerOf(v);
        if (present[a][b] == null) {
            present[a][b] = new BitSet();
        }
        int i = (int) (u - units.first(a));
        int j = (int) (v - units.first(b));
        present[a][b].set(i * sizes[b] + j);
        if (a == b) {
            present[a][b].set(j * sizes[b] + i);
        }
    }

    /** Adjacent blocks first (dense when complete), then intralayer blocks, then skip blocks, each only if non-empty. */
    private static List<Block> blocks(int[] sizes, BitSet[][] present) {
        List<Block> blocks = new ArrayList<>();
        for (int l = 0; l + 1 < sizes.length; l++) {
            BitSet bits = present[l][l + 1];
            if (bits == null || bits.isEmpty()) {
                continue;
            }
            boolean full = bits.cardinality() == sizes[l] * sizes[l + 1];
            blocks.add(full ? new Block(l, l + 1) : new Block(l, l + 1, new ConnectionMask(sizes[l], sizes[l + 1], bits)));
        }
        for (int l = 1; l < sizes.length; l++) {
            if (present[l][l] != null && !present[l][l].isEmpty()) {
                blocks.add(new Block(l, l, new ConnectionMask(sizes[l], sizes[l], present[l][l])));
            }
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

    /** Units numbered layer by layer from the input; a pair (u &lt;= v) is coded as {@code u * units + v}. */
    private static final class UnitNumbering {
        private final long[] offset;
        private final long units;

        UnitNumbering(int[] sizes) {
            offset = new long[sizes.length + 1];
            for (int l = 0; l < sizes.length; l++) {
                offset[l + 1] = offset[l] + sizes[l];
            }
            units = offset[sizes.length];
        }

        /** The first unit of layer l (l = number of layers gives the total). */
        long first(int layer) {
            return offset[layer];
        }

        long pair(long lower, long upper) {
            return lower * units + upper;
        }

        long lower(long pair) {
            return pair / units;
        }

        long upper(long pair) {
            return pair % units;
        }

        int layerOf(long unit) {
            int l = 0;
            while (unit >= offset[l + 1]) {
                l++;
            }
            return l;
        }
    }
}
