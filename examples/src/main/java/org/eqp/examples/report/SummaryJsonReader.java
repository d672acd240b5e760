package org.eqp.examples.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.JsonNode;

/**
 * Reads a {@code summary.json} written by {@link SummaryJsonWriter}. The {@code config} and
 * {@code extra} objects come back as {@code Map<String,Object>}; {@code null} numbers come back as NaN.
 */
public final class SummaryJsonReader {

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private SummaryJsonReader() {
    }

    /** Parses the file at {@code path}. */
    public static RunSummary read(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        return checked(path.toString(), SummaryJson.MAPPER.readTree(path.toFile()));
    }

    /** Parses JSON text; malformed or incomplete summaries fail with an {@link IOException}. */
    public static RunSummary parse(String json) throws IOException {
        return checked("summary JSON", SummaryJson.MAPPER.readTree(json));
    }

    /** Converts, turning validation failures into an {@link IOException} naming the source. */
    private static RunSummary checked(String source, JsonNode root) throws IOException {
        try {
            return fromNode(root);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
    }

    private static RunSummary fromNode(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("summary must be a JSON object");
        }
        String dataset = required(node, SummaryJson.DATASET).asText();
        Map<String, Object> config = SummaryJson.MAPPER.convertValue(required(node, SummaryJson.CONFIG), MAP);
        int epochs = required(node, SummaryJson.EPOCHS).asInt();
        double test = number(node, SummaryJson.TEST_ERROR);
        double train = number(node, SummaryJson.TRAIN_ERROR);
        double seconds = number(node, SummaryJson.SECONDS_PER_EPOCH);
        JsonNode baselineNode = node.get(SummaryJson.BASELINE);
        RunSummary baseline = baselineNode == null || baselineNode.isNull() ? null : fromNode(baselineNode);
        JsonNode extraNode = node.get(SummaryJson.EXTRA);
        Map<String, Object> extra = extraNode == null || extraNode.isNull()
                ? Map.of() : SummaryJson.MAPPER.convertValue(extraNode, MAP);
        return new RunSummary(dataset, config, epochs, test, train, seconds, baseline, extra);
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return value;
    }

    private static double number(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (value.isNull()) {
            return Double.NaN;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException("field '" + field + "' is not a number: " + value);
        }
        return value.asDouble();
    }
}
