package org.eqp.metrics;

import java.util.Objects;

/**
 * Metrics of one training epoch of one run (immutable).
 *
 * <p>Units: all error values are <em>fractions</em> in [0, 1] (0.025 means 2.5 % misclassified),
 * {@code seconds} is wall-clock seconds spent training in this epoch (evaluation excluded), and
 * {@code relaxResidual} is the mean relaxation residual in the units of the network's state
 * (e.g. the mean norm of the last state update of the free phase).
 *
 * @param run              run name, e.g. {@code "EP"} or {@code "backprop"}; not blank
 * @param epoch            1-based epoch index
 * @param trainErrorOnline training error fraction accumulated during the epoch, each batch measured
 *                         before its own parameter update; {@link Double#NaN} when unknown
 * @param trainError       training error fraction measured after the epoch, in [0, 1]; {@link Double#NaN} when
 *                         not measured
 * @param testError        test error fraction measured after the epoch, in [0, 1]
 * @param score            training cost (loss / energy-based score) in the model's own units; any
 *                         value, including NaN or infinity if the run diverged
 * @param seconds          wall-clock seconds spent training in this epoch, finite and &gt;= 0
 * @param relaxResidual    mean relaxation residual, &gt;= 0, or {@link Double#NaN} when unknown or
 *                         not applicable (backprop)
 */
public record EpochRecord(
        String run,
        int epoch,
        double trainErrorOnline,
        double trainError,
        double testError,
        double score,
        double seconds,
        double relaxResidual) {

    /** Validates all fields; throws {@link IllegalArgumentException} with the offending value. */
    public EpochRecord {
        Objects.requireNonNull(run, "run");
        if (run.isBlank()) {
            throw new IllegalArgumentException("run name must not be blank");
        }
        if (run.indexOf('\n') >= 0 || run.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("run name must not contain line breaks: " + run);
        }
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch is 1-based, got " + epoch);
        }
        if (!Double.isNaN(trainErrorOnline)) {
            requireFraction("trainErrorOnline", trainErrorOnline);
        }
        if (!Double.isNaN(trainError)) {
            requireFraction("trainError", trainError);
        }
        requireFraction("testError", testError);
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("seconds must be finite and >= 0, got " + seconds);
        }
        if (!Double.isNaN(relaxResidual) && !(relaxResidual >= 0)) {
            throw new IllegalArgumentException("relaxResidual must be >= 0 or NaN, got " + relaxResidual);
        }
    }

    private static void requireFraction(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be a fraction in [0, 1], got " + value);
        }
    }
}
