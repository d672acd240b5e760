package org.eqp.learning;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.eqp.dynamics.FloatView;
import org.eqp.dynamics.Relaxation;
import org.eqp.topology.Topology;

/**
 * Persistent particles: each training example keeps the free equilibrium it reached last time and the next free
 * phase of that example starts from it (Scellier and Bengio 2017, §4; the seed code keys them by batch position).
 *
 * <p>Particles are keyed by the <em>content</em> of the example's input row (a 64-bit hash of its values), not by
 * its position in a batch, so they stay with their example whatever order the iterator delivers. The free phase
 * depends on the input only, so two identical inputs may share one particle without changing the method.
 * Memory: 4 bytes per non-input unit per distinct training example (784-500-10 on 60k MNIST: 122 MB).
 *
 * <p>{@link #snapshot()} and {@link #restore} move the particles between stores (a model file, a copy of a network).
 */
public final class ParticleStore {
    private final Map<Long, float[]> particles = new HashMap<>();
    private final Topology topology;

    public ParticleStore(Topology topology) {
        this.topology = topology;
    }

    /** Number of examples with a stored particle. */
    public int size() {
        return particles.size();
    }

    public void clear() {
        particles.clear();
    }

    /**
     * The particles of a store: example {@code i} has key {@code keys[i]} and states
     * {@code states[i * units .. (i + 1) * units)}, layer 1 first, then layer 2, ..., each layer's units in order.
     *
     * @param units the network's non-input units ({@link Topology#numStateUnits()})
     */
    public record Snapshot(int units, long[] keys, float[] states) implements Serializable {
        public Snapshot {
            if (units < 1 || (long) keys.length * units != states.length) {
                throw new IllegalArgumentException("a particle snapshot needs " + units + " states per key: got "
                        + keys.length + " keys and " + states.length + " states");
            }
        }
    }

    /** A copy of every particle, in increasing key order. */
    public Snapshot snapshot() {
        int units = topology.numStateUnits();
        long[] keys = particles.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        float[] states = new float[keys.length * units];
        for (int i = 0; i < keys.length; i++) {
            System.arraycopy(particles.get(keys[i]), 0, states, i * units, units);
        }
        return new Snapshot(units, keys, states);
    }

    /**
     * Replaces every particle by those of {@code snapshot}.
     *
     * @throws IllegalArgumentException if the snapshot was taken from a network with another number of units
     */
    public void restore(Snapshot snapshot) {
        int units = topology.numStateUnits();
        if (snapshot.units() != units) {
            throw new IllegalArgumentException("the particles were saved from a network with " + snapshot.units()
                    + " non-input units; this one has " + units + " (layer sizes "
                    + Arrays.toString(topology.layerSizes()) + ")");
        }
        particles.clear();
        long[] keys = snapshot.keys();
        for (int i = 0; i < keys.length; i++) {
            particles.put(keys[i], Arrays.copyOfRange(snapshot.states(), i * units, (i + 1) * units));
        }
    }

    /**
     * The key of each row of an input batch.
     *
     * @param input the batch in 'f' order, [batch, nIn]
     */
    static long[] keys(FloatView input, int batch) {
        int nIn = input.length() / batch;
        long[] keys = new long[batch];
        for (int r = 0; r < batch; r++) {
            long h = 0x243F6A8885A308D3L;
            for (int c = 0; c < nIn; c++) {
                h = (h ^ Float.floatToIntBits(input.get(c * batch + r))) * 0x9E3779B97F4A7C15L;
                h ^= h >>> 29;
            }
            keys[r] = h;
        }
        return keys;
    }

    /** Sets the states of row r to the particle of keys[r], or to zero when the example has none yet. */
    void load(Relaxation relaxation, long[] keys) {
        int batch = relaxation.batchSize();
        for (int r = 0; r < batch; r++) {
            float[] p = particles.get(keys[r]);
            int offset = 0;
            for (int l = 1; l < topology.numLayers(); l++) {
                FloatView s = relaxation.stateView(l);
                for (int j = 0, n = topology.size(l); j < n; j++) {
                    s.set(j * batch + r, p == null ? 0f : p[offset + j]);
                }
                offset += topology.size(l);
            }
        }
    }

    /** Remembers the current states of every row as the particle of its key. */
    void store(Relaxation relaxation, long[] keys) {
        int batch = relaxation.batchSize();
        for (int r = 0; r < batch; r++) {
            float[] p = particles.computeIfAbsent(keys[r], k -> new float[topology.numStateUnits()]);
            int offset = 0;
            for (int l = 1; l < topology.numLayers(); l++) {
                FloatView s = relaxation.stateView(l);
                for (int j = 0, n = topology.size(l); j < n; j++) {
                    p[offset + j] = s.get(j * batch + r);
                }
                offset += topology.size(l);
            }
        }
    }
}
