package org.eqp.examples.run;

import java.util.Arrays;
import org.eqp.learning.EpSettings;

/**
 * The two relaxation schedules {@code --schedule} offers.
 * <ul>
 *   <li>{@link #SEED}: the seed code's synchronous Euler steps with the user's eps, beta and iteration counts.</li>
 *   <li>{@link #FAST}: alternating steps (odd layers, then even layers from their new states; Scellier et al. 2023) at
 *       eps 1, beta 0.5, 30 free / 6 nudged iterations, with the learning rates halved. The output nudge per step,
 *       eps * beta = 0.5, is the seed's (eps 0.5, beta 1); the gradient divides by the halved beta, which the halved
 *       rates undo, so the expected update is the seed's. Measured on MNIST 784-500x3-10 against the seed's 500 / 8
 *       (README "Measured"). It does not keep the vanishing-correction profile of the seed's short nudged phase (the
 *       spread of RMS corrections across layer pairs shrinks), so the reproductions that measure that profile
 *       (figure 4, table 1's log-spread) keep the seed's schedule.</li>
 * </ul>
 */
public enum RelaxationSchedule {
    SEED, FAST;

    /** eps, beta and iteration counts of {@link #FAST}. */
    public static final double FAST_EPS = 1.0;
    public static final double FAST_BETA = 0.5;
    public static final int FAST_FREE = 30;
    public static final int FAST_NUDGED = 6;

    /**
     * @param name {@code seed} or {@code fast}
     * @throws IllegalArgumentException for another name
     */
    public static RelaxationSchedule parse(String name) {
        return switch (name) {
            case "seed" -> SEED;
            case "fast" -> FAST;
            default -> throw new IllegalArgumentException("--schedule takes seed or fast; got '" + name + "'");
        };
    }

    /**
     * The settings of this schedule: {@code seed} unchanged for {@link #SEED}; for {@link #FAST} its eps, beta,
     * counts and alternating steps, the rest (sign, particles, tolerance, symmetric nudging) from {@code seed}.
     */
    public EpSettings settings(EpSettings seed) {
        if (this == SEED) {
            return seed;
        }
        return new EpSettings(FAST_EPS, FAST_BETA, FAST_FREE, FAST_NUDGED, seed.randomSignBeta(),
                seed.persistentParticles(), seed.tolerance(), seed.symmetricNudging(), true);
    }

    /** The learning rates of this schedule: {@code rates} for {@link #SEED}, halved for {@link #FAST}. */
    public double[] rates(double[] rates) {
        return this == SEED ? rates.clone() : Arrays.stream(rates).map(r -> r / 2).toArray();
    }
}
