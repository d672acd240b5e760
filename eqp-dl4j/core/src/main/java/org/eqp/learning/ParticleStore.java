package org.eqp.learning;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eqp.dynamics.FloatView;
import org.eqp.dynamics.Relaxation;
import org.eqp.topology.Topology;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Persistent particles: each training example keeps the free equilibrium it reached last time and the next free
 * phase of that example starts from it (Scellier and Bengio 2017, §4; the seed code keys them by batch position).
 *
 * <p>Particles are keyed by the example's <em>features</em> (a 64-bit hash of their values, {@link #keysOf}), not by
 * its position in a batch, so they stay with their example whatever order the iterator delivers. The free phase
 * depends on the input only, so two identical inputs may share one particle without changing the method. The key
 * must come from values that repeat epoch after epoch: the network's input, not the output of layers that are still
 * training (the DL4J layers see to it, {@code org.eqp.dl4j.ParticleKeys}).
 *
 * <p>Memory: 4 bytes per non-input unit per stored example (784-500-10 on 60k MNIST: 122 MB). The store holds at most
 * {@link #capacity()} examples; storing one more evicts the least recently used particle (loaded or stored longest
 * ago), whose example then starts its next free phase from zero states. {@link #evictions()} counts them.
 *
 * <p>{@link #snapshot()} and {@link #restore} move the particles between stores (a model file, a copy of a network),
 * recency order included, so that a restored store evicts what the original would have.
 */
public final class ParticleStore {
    /**
     * The default capacity: 60,000 examples, the largest training set this project trains on (MNIST and
     * Fashion-MNIST), so that a full pass over it keeps every particle.
     */
    public static final int DEFAULT_CAPACITY = 60_000;
    private static final long HASH_SEED = 0x243F6A8885A308D3L;

    private final Topology topology;
    private final int capacity;
    private long evictions;
    /** Key to states, in access order: the least recently loaded or stored first. */
    private final LinkedHashMap<Long, float[]> particles = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, float[]> eldest) {
            if (size() > capacity) {
                evictions++;
                return true;
            }
            return false;
        }
    };

    /** A store of {@link #DEFAULT_CAPACITY} examples. */
    public ParticleStore(Topology topology) {
        this(topology, DEFAULT_CAPACITY);
    }

    /**
     * @param capacity the most examples the store keeps, &gt;= 1
     * @throws IllegalArgumentException if the capacity is below 1
     */
    public ParticleStore(Topology topology, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the particle store's capacity (examples kept) must be at least 1; got "
                    + capacity + ". Turn persistent particles off instead of giving them no room");
        }
        this.topology = topology;
        this.capacity = capacity;
    }

    /** Number of examples with a stored particle, at most {@link #capacity()}. */
    public int size() {
        return particles.size();
    }

    /** The most examples the store keeps. */
    public int capacity() {
        return capacity;
    }

    /** How many particles were evicted to make room since the store was made. */
    public long evictions() {
        return evictions;
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

    /** A copy of every particle, the least recently used first. */
    public Snapshot snapshot() {
        int units = topology.numStateUnits();
        long[] keys = new long[particles.size()];
        float[] states = new float[keys.length * units];
        int i = 0;
        for (Map.Entry<Long, float[]> particle : particles.entrySet()) { // iterating does not count as access
            keys[i] = particle.getKey();
            System.arraycopy(particle.getValue(), 0, states, i * units, units);
            i++;
        }
        return new Snapshot(units, keys, states);
    }

    /**
     * Replaces every particle by those of {@code snapshot}, taken as least recently used first; beyond the capacity
     * the most recent ones are kept.
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
        for (int i = Math.max(0, keys.length - capacity); i < keys.length; i++) {
            particles.put(keys[i], Arrays.copyOfRange(snapshot.states(), i * units, (i + 1) * units));
        }
    }

    /**
     * The particle key of each example: a 64-bit hash of its feature values, taken over the arrays in turn, each
     * example's values of an array in 'c' order (for one [batch, n] matrix: its row, left to right).
     *
     * @param features one or more arrays of the same batch, [batch, ...] each (a graph's several inputs)
     * @return the keys, length batch
     * @throws IllegalArgumentException if no array is given or the arrays' batch sizes differ
     */
    public static long[] keysOf(INDArray... features) {
        if (features.length == 0 || features[0] == null) {
            throw new IllegalArgumentException("particle keys need the examples' features; got none");
        }
        int batch = Math.toIntExact(features[0].size(0));
        long[] keys = new long[batch];
        Arrays.fill(keys, HASH_SEED);
        for (INDArray a : features) {
            if (a == null || a.size(0) != batch) {
                throw new IllegalArgumentException("particle keys need one row per example in every feature array; got "
                        + (a == null ? "a missing array" : a.size(0) + " rows") + " next to " + batch);
            }
            float[][] rows = a.castTo(DataType.FLOAT).reshape('c', batch, a.length() / batch).toFloatMatrix();
            for (int r = 0; r < batch; r++) {
                for (float v : rows[r]) {
                    keys[r] = mix(keys[r], v);
                }
            }
        }
        return keys;
    }

    /**
     * The key of each row of an input batch, as {@link #keysOf} gives it for the same [batch, nIn] matrix.
     *
     * @param input the batch in 'f' order, [batch, nIn]
     */
    static long[] keys(FloatView input, int batch) {
        int nIn = input.length() / batch;
        long[] keys = new long[batch];
        for (int r = 0; r < batch; r++) {
            long h = HASH_SEED;
            for (int c = 0; c < nIn; c++) {
                h = mix(h, input.get(c * batch + r));
            }
            keys[r] = h;
        }
        return keys;
    }

    private static long mix(long h, float value) {
        h = (h ^ Float.floatToIntBits(value)) * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29);
    }

    /** Sets the states of row r to the particle of keys[r], or to zero when the example has none. */
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

    /**
     * Remembers the current states of every row as the particle of its key, evicting the least recently used
     * particles beyond the capacity.
     */
    void store(Relaxation relaxation, long[] keys) {
        int batch = relaxation.batchSize();
        for (int r = 0; r < batch; r++) {
            float[] p = particles.get(keys[r]);
            if (p == null) {
                p = new float[topology.numStateUnits()];
                particles.put(keys[r], p);
            }
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
