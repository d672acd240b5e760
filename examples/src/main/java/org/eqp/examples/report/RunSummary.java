package org.eqp.examples.report;

import org.eqp.metrics.EpochRecord;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Final result of one training run, written as {@code summary.json} by {@link SummaryJsonWriter}.
 *
 * <p>Units: {@code testError} and {@code trainError} are fractions in [0, 1] (NaN if unknown),
 * {@code secondsPerEpoch} is the mean wall-clock training time per epoch in seconds.
 *
 * @param dataset         dataset name, e.g. {@code "mnist"}; not blank
 * @param config          run configuration: a {@code Map<String,Object>} or any object Jackson can
 *                        serialize; after reading back it is always a {@code Map<String,Object>}
 * @param epochs          number of completed epochs, &gt;= 0
 * @param testError       final test error fraction
 * @param trainError      final training error fraction
 * @param secondsPerEpoch mean training seconds per epoch (NaN when no epoch completed)
 * @param baseline        comparison run (e.g. backprop) with the same fields, or {@code null}
 * @param extra           free-form additional values (never null; copied, insertion order kept)
 */
public record RunSummary(
        String dataset,
        Object config,
        int epochs,
        double testError,
        double trainError,
        double secondsPerEpoch,
        RunSummary baseline,
        Map<String, Object> extra) {

    /** Validates fields and makes {@code extra} an unmodifiable copy. */
    public RunSummary {
        Objects.requireNonNull(dataset, "dataset");
        if (dataset.isBlank()) {
            throw new IllegalArgumentException("dataset must not be blank");
        }
        Objects.requireNonNull(config, "config (use an empty Map if there is none)");
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        requireFractionOrNaN("testError", testError);
        requireFractionOrNaN("trainError", trainError);
        if (!Double.isNaN(secondsPerEpoch) && !(secondsPerEpoch >= 0 && secondsPerEpoch < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("secondsPerEpoch must be finite and >= 0 or NaN, got "
                    + secondsPerEpoch);
        }
        extra = extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /** A summary without baseline and without extras. */
    public static RunSummary of(String dataset, Object config, int epochs, double testError,
                                double trainError, double secondsPerEpoch) {
        return new RunSummary(dataset, config, epochs, testError, trainError, secondsPerEpoch, null, Map.of());
    }

    /**
     * Summarises the epochs of one run: {@code epochs} = number of records, errors from the last
     * record, {@code secondsPerEpoch} = mean of {@link EpochRecord#seconds()}.
     *
     * @throws IllegalArgumentException if {@code records} is empty or mixes several runs
     */
    public static RunSummary fromRecords(String dataset, Object config, List<EpochRecord> records) {
        Objects.requireNonNull(records, "records");
        if (records.isEmpty()) {
            throw new IllegalArgumentException("no epoch records to summarise");
        }
        String run = records.get(0).run();
        double seconds = 0;
        for (EpochRecord r : records) {
            if (!r.run().equals(run)) {
                throw new IllegalArgumentException("records mix runs '" + run + "' and '" + r.run() + "'");
            }
            seconds += r.seconds();
        }
        EpochRecord last = records.get(records.size() - 1);
        return of(dataset, config, records.size(), last.testError(), last.trainError(),
                seconds / records.size());
    }

    /** A copy with the given comparison run. */
    public RunSummary withBaseline(RunSummary newBaseline) {
        return new RunSummary(dataset, config, epochs, testError, trainError, secondsPerEpoch, newBaseline, extra);
    }

    /** A copy with the given free-form extras (replacing the current ones). */
    public RunSummary withExtra(Map<String, Object> newExtra) {
        return new RunSummary(dataset, config, epochs, testError, trainError, secondsPerEpoch, baseline, newExtra);
    }

    private static void requireFractionOrNaN(String name, double value) {
        if (!Double.isNaN(value) && !(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be a fraction in [0, 1] or NaN, got " + value);
        }
    }
}
