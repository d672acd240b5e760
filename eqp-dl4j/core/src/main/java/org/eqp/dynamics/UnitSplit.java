package org.eqp.dynamics;

import org.eqp.topology.Topology;

/**
 * Which units of every non-input layer each of P parts of a relaxation step updates. A layer's units are cut into
 * granules of {@value #GRANULE} (the last may be shorter) and each part takes a run of whole granules, as evenly as the
 * count allows: part p of a layer with n granules takes granules [p n / P, (p + 1) n / P). Granules are also the units
 * of the step's statistics (one partial sum each, {@link Relaxation}), so those come out the same whatever P.
 *
 * <p>{@value #GRANULE} floats is a whole number of vectors for the Vector API kernel (8 or 16 lanes), so a part's
 * columns are whole kernel tiles.
 */
final class UnitSplit {
    /** Units per granule. */
    static final int GRANULE = 16;

    private final int parts;
    /** [part][layer]: the first unit of the part, and one past its last. */
    private final int[][] first;
    private final int[][] end;
    /** [layer]: the index of the layer's first granule among all non-input layers' granules. */
    private final int[] granuleOffset;
    private final int granules;

    UnitSplit(Topology topology, int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be at least 1; got " + parts);
        }
        int layers = topology.numLayers();
        this.parts = parts;
        first = new int[parts][layers];
        end = new int[parts][layers];
        granuleOffset = new int[layers];
        int total = 0;
        for (int l = 1; l < layers; l++) {
            int size = topology.size(l);
            int n = granules(size);
            granuleOffset[l] = total;
            total += n;
            for (int p = 0; p < parts; p++) {
                first[p][l] = Math.min(size, (int) ((long) p * n / parts) * GRANULE);
                end[p][l] = Math.min(size, (int) ((long) (p + 1) * n / parts) * GRANULE);
            }
        }
        granules = total;
    }

    /** Granules in a layer of {@code size} units. */
    static int granules(int size) {
        return (size + GRANULE - 1) / GRANULE;
    }

    int parts() {
        return parts;
    }

    /** First unit of layer {@code l} that part {@code p} updates. */
    int first(int p, int l) {
        return first[p][l];
    }

    /** One past the last unit of layer {@code l} that part {@code p} updates (= first when it updates none). */
    int end(int p, int l) {
        return end[p][l];
    }

    /** The index of granule {@code g} of layer {@code l} among all non-input layers' granules. */
    int granuleIndex(int l, int g) {
        return granuleOffset[l] + g;
    }

    /** Granules over all non-input layers. */
    int granules() {
        return granules;
    }
}
