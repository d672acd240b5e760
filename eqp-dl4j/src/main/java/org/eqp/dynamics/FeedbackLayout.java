package org.eqp.dynamics;

import org.eqp.topology.Block;
import org.eqp.topology.Topology;

/**
 * How a relaxation step computes the feedback {@code s W} among non-input units (the input's share is a constant drive
 * computed once per batch either way):
 * <ul>
 *   <li>{@link #BLOCKS}: one gemm per block and direction, each block a dense (masked) matrix;</li>
 *   <li>{@link #DENSE}: every non-input unit in one symmetric N x N matrix, one gemm [batch, N] x [N, N] per step.</li>
 * </ul>
 * A third option, a plain-Java loop over a sparse connection list, lost to both on every network measured
 * ({@code ./eqp bench --layouts}: 3-4x slower than the better of the two at batch 20), so it is not offered.
 *
 * <p>{@link #choose} picks by a cost model fitted to that benchmark on the reference machine (DESIGN.md §5b): each
 * gemm costs about {@value #GEMM_OVERHEAD_MICROS} µs plus its flops at about {@value #BLOCK_GFLOPS} GFLOP/s for block
 * shapes and {@value #DENSE_GFLOPS} GFLOP/s for the one large product. Deep, narrow small-world nets (784-100x5-10:
 * ~26 small gemms) go dense, about 2x faster; wide ones (784-500x3-10) stay in blocks, whose dense matrix would be
 * mostly zeros. The choice depends only on the topology and the batch size, so a seed still gives one result.
 */
public enum FeedbackLayout {
    BLOCKS, DENSE;

    static final double GEMM_OVERHEAD_MICROS = 12;
    static final double BLOCK_GFLOPS = 40;
    static final double DENSE_GFLOPS = 50;

    /** The layout with the lower modelled cost per step for this topology and batch size. */
    public static FeedbackLayout choose(Topology topology, int batchSize) {
        return denseMicros(topology, batchSize) < blockMicros(topology, batchSize) ? DENSE : BLOCKS;
    }

    /** Modelled µs per step of the block layout. */
    static double blockMicros(Topology topology, int batchSize) {
        double micros = 0;
        for (Block b : topology.blocks()) {
            if (b.fromInput()) {
                continue;
            }
            int gemms = b.intralayer() ? 1 : 2;
            double flops = 2.0 * batchSize * topology.size(b.from()) * topology.size(b.to());
            micros += gemms * (GEMM_OVERHEAD_MICROS + flops / (BLOCK_GFLOPS * 1e3));
        }
        return micros;
    }

    /** Modelled µs per step of the dense layout. */
    static double denseMicros(Topology topology, int batchSize) {
        double n = topology.numStateUnits();
        return GEMM_OVERHEAD_MICROS + 2.0 * batchSize * n * n / (DENSE_GFLOPS * 1e3);
    }
}
