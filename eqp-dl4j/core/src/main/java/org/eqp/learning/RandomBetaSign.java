package org.eqp.learning;

/**
 * The random sign of beta as a pure function of a seed and a draw index, so that the index is all a training run must
 * save to continue its sign sequence exactly (the seed code negates beta with probability 1/2 before each nudged
 * phase; Scellier and Bengio 2017 found the random sign helps).
 *
 * <p>Draw t is the (t+1)-th {@link java.util.Random#nextBoolean()} of {@code new java.util.Random(seed)}, true meaning
 * "negate": the sequence a {@code Random} held inside the engine used to produce, computed without that hidden state.
 * {@code Random} is the linear congruential generator x &lt;- (a x + c) mod 2^48 (a = 0x5DEECE66D, c = 11) from
 * x_0 = (seed XOR a) mod 2^48, and {@code nextBoolean} is bit 47 of the next state; x_t is reached from x_0 by
 * composing the affine map with itself by repeated squaring, O(log t) multiplications.
 */
public final class RandomBetaSign {
    private static final long MULTIPLIER = 0x5DEECE66DL;
    private static final long ADDEND = 0xBL;
    private static final long MASK = (1L << 48) - 1;
    private final long initialState;

    public RandomBetaSign(long seed) {
        this.initialState = (seed ^ MULTIPLIER) & MASK;
    }

    /**
     * Whether draw {@code draw} negates beta.
     *
     * @param draw the index of the draw, counting from 0 over the whole training run
     */
    public boolean negative(long draw) {
        if (draw < 0) {
            throw new IllegalArgumentException("the random-sign draw index must be >= 0; got " + draw);
        }
        return (advance(initialState, draw + 1) >>> 47) != 0;
    }

    /** The generator's state after {@code steps} steps from {@code state}. */
    static long advance(long state, long steps) {
        long mult = 1; // the map of the steps taken so far: x -> mult * x + add
        long add = 0;
        long stepMult = MULTIPLIER; // the map of 2^k steps
        long stepAdd = ADDEND;
        for (long n = steps; n != 0; n >>>= 1) {
            if ((n & 1) != 0) {
                mult *= stepMult;
                add = add * stepMult + stepAdd;
            }
            stepAdd *= stepMult + 1;
            stepMult *= stepMult;
        }
        return (mult * state + add) & MASK; // 2^48 divides 2^64, so long overflow is harmless
    }
}
