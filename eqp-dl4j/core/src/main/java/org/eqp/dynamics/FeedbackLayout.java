package org.eqp.dynamics;

import org.eqp.topology.Block;
import org.eqp.topology.Topology;

/**
 * How a relaxation step computes the feedback {@code s W} among non-input units (the input's share is a constant drive
 * computed once per batch either way):
 * <ul>
 *   <li>{@link #BLOCKS}: one gemm per block and direction, each block a dense (masked) matrix;</li>
 *   <li>{@link #DENSE}: every non-input unit in one symmetric N x N matrix, one gemm [batch, N] x [N, N] per step;</li>
 *   <li>{@link #VECTOR_BLOCKS}: the products of {@link #BLOCKS}, computed by a Java Vector API kernel on weights laid
 *       out once per batch ({@link VectorBlockFeedback}); only when the JVM resolves {@code jdk.incubator.vector}
 *       ({@code --add-modules jdk.incubator.vector}; the {@code eqp} launcher and the tests pass it).</li>
 * </ul>
 * A third option, a plain-Java loop over a sparse connection list, lost to both on every network measured by
 * {@code ./eqp bench --layouts}, so it is not offered.
 *
 * <p>{@link #choose} picks by a cost model fitted to that benchmark (the README lists its figures): each gemm costs
 * {@value #GEMM_OVERHEAD_MICROS} µs plus its flops at {@value #BLOCK_GFLOPS} GFLOP/s for block shapes and
 * {@value #DENSE_GFLOPS} GFLOP/s for the one large product; a Vector API product costs {@value #VECTOR_OVERHEAD_MICROS}
 * µs plus its flops at {@value #VECTOR_GFLOPS} GFLOP/s. Under BLAS, deep narrow small-world nets (784-100x5-10: ~26
 * small gemms) go dense; wide ones (784-500x3-10) stay in blocks, whose dense matrix would be mostly zeros. With the
 * Vector API, blocks win on every net benchmarked. The choice depends only on the topology, the batch size and whether
 * the Vector API is available, so a seed gives one result on a given JVM setup; the layouts agree up to float
 * rounding.
 */
public enum FeedbackLayout {
    BLOCKS, DENSE, VECTOR_BLOCKS;

    static final double GEMM_OVERHEAD_MICROS = 12;
    static final double BLOCK_GFLOPS = 40;
    static final double DENSE_GFLOPS = 50;
    static final double VECTOR_OVERHEAD_MICROS = 1;
    static final double VECTOR_GFLOPS = 60;

    /** The available layout with the lowest modelled cost per step for this topology and batch size. */
    public static FeedbackLayout choose(Topology topology, int batchSize) {
        return choose(topology, batchSize, VectorBlockFeedback.isAvailable());
    }

    static FeedbackLayout choose(Topology topology, int batchSize, boolean vectorAvailable) {
        FeedbackLayout blocks = vectorAvailable ? VECTOR_BLOCKS : BLOCKS;
        double blockMicros = vectorAvailable
                ? blockMicros(topology, batchSize, VECTOR_OVERHEAD_MICROS, VECTOR_GFLOPS)
                : blockMicros(topology, batchSize, GEMM_OVERHEAD_MICROS, BLOCK_GFLOPS);
        return denseMicros(topology, batchSize) < blockMicros ? DENSE : blocks;
    }

    /** Whether {@link #VECTOR_BLOCKS} can run in this JVM. */
    public static boolean vectorAvailable() {
        return VectorBlockFeedback.isAvailable();
    }

    /** Modelled µs per step of the block products at the given per-product overhead and speed. */
    static double blockMicros(Topology topology, int batchSize, double overheadMicros, double gflops) {
        double micros = 0;
        for (Block b : topology.blocks()) {
            if (b.fromInput()) {
                continue;
            }
            int products = b.intralayer() ? 1 : 2;
            micros += products * (overheadMicros + productFlops(topology, batchSize, b) / (gflops * 1e3));
        }
        return micros;
    }

    /** The flops of one step's block products (both directions of each block between layers, 2 per multiply-add). */
    static double blockFlops(Topology topology, int batchSize) {
        double flops = 0;
        for (Block b : topology.blocks()) {
            if (!b.fromInput()) {
                flops += (b.intralayer() ? 1 : 2) * productFlops(topology, batchSize, b);
            }
        }
        return flops;
    }

    private static double productFlops(Topology topology, int batchSize, Block b) {
        return 2.0 * batchSize * topology.size(b.from()) * topology.size(b.to());
    }

    /** Modelled µs per step of the dense layout. */
    static double denseMicros(Topology topology, int batchSize) {
        double n = topology.numStateUnits();
        return GEMM_OVERHEAD_MICROS + 2.0 * batchSize * n * n / (DENSE_GFLOPS * 1e3);
    }
}
