package org.eqp.metrics;

import java.util.List;

/** Column layout shared by {@link MetricsCsvWriter} and {@link MetricsCsvReader}. */
final class MetricsCsv {

    /** Column names, in file order. */
    static final List<String> COLUMNS = List.of(
            "run", "epoch", "train_error_online", "train_error", "test_error",
            "score", "seconds", "relax_residual");

    /** The header line, without line terminator. */
    static final String HEADER = String.join(",", COLUMNS);

    private MetricsCsv() {
    }
}
