package org.eqp.examples.report;

import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/** Field names and the shared JSON mapper of {@code summary.json}. */
final class SummaryJson {

    static final String DATASET = "dataset";
    static final String CONFIG = "config";
    static final String EPOCHS = "epochs";
    static final String TEST_ERROR = "test_error";
    static final String TRAIN_ERROR = "train_error";
    static final String SECONDS_PER_EPOCH = "seconds_per_epoch";
    static final String BASELINE = "baseline";
    static final String EXTRA = "extra";

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private SummaryJson() {
    }
}
