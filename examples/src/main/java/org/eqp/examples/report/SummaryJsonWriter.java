package org.eqp.examples.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.eqp.examples.io.AtomicFiles;

import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Writes a {@link RunSummary} as pretty-printed JSON ({@code summary.json}).
 *
 * <p>Layout: {@code {"dataset", "config": {...}, "epochs", "test_error", "train_error",
 * "seconds_per_epoch", "baseline": {same fields} (only if present), "extra": {...}}}. Errors are
 * fractions in [0, 1], {@code seconds_per_epoch} is in seconds. NaN (not valid JSON) is written as
 * {@code null}.
 *
 * <p>The file is written atomically ({@link AtomicFiles}): a crash leaves either the old file or the complete new
 * one.
 */
public final class SummaryJsonWriter {

    private SummaryJsonWriter() {
    }

    /** Writes {@code summary} to {@code path}, replacing any existing file atomically ({@link AtomicFiles}). */
    public static void write(RunSummary summary, Path path) throws IOException {
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(path, "path");
        AtomicFiles.writeString(path, toJson(summary) + "\n");
    }

    /** The JSON text of {@code summary}. */
    public static String toJson(RunSummary summary) throws IOException {
        return SummaryJson.MAPPER.writeValueAsString(toNode(summary));
    }

    private static ObjectNode toNode(RunSummary s) throws IOException {
        ObjectNode node = SummaryJson.MAPPER.createObjectNode();
        node.put(SummaryJson.DATASET, s.dataset());
        try {
            node.set(SummaryJson.CONFIG, SummaryJson.MAPPER.valueToTree(s.config()));
        } catch (IllegalArgumentException e) {
            throw new IOException("config of type " + s.config().getClass().getName()
                    + " is not JSON-serializable: " + e.getMessage(), e);
        }
        node.put(SummaryJson.EPOCHS, s.epochs());
        putNumber(node, SummaryJson.TEST_ERROR, s.testError());
        putNumber(node, SummaryJson.TRAIN_ERROR, s.trainError());
        putNumber(node, SummaryJson.SECONDS_PER_EPOCH, s.secondsPerEpoch());
        if (s.baseline() != null) {
            node.set(SummaryJson.BASELINE, toNode(s.baseline()));
        }
        try {
            node.set(SummaryJson.EXTRA, SummaryJson.MAPPER.valueToTree(s.extra()));
        } catch (IllegalArgumentException e) {
            throw new IOException("extra is not JSON-serializable: " + e.getMessage(), e);
        }
        return node;
    }

    private static void putNumber(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }
}
