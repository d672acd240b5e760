package org.eqp.arbiter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.dataformat.yaml.YAMLFactory;

/**
 * Reading a search config's YAML and its fields, with errors that name the file, the field and what is allowed. Shared
 * by every kind of search config ({@link SearchConfig} and the lab's own).
 */
public final class ConfigFields {
    private ConfigFields() {
    }

    /** The YAML file as a mapping (empty for an empty file). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readYaml(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("search config " + file + " does not exist; see arbiter-configs/ for "
                    + "examples");
        }
        Object root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Object.class);
        } catch (IOException e) {
            String where = e instanceof JsonProcessingException j && j.getLocation() != null
                    ? " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() : "";
            throw new IllegalArgumentException(file + ": not valid YAML" + where + " (" + e.getMessage().lines()
                    .findFirst().orElse("") + "); fix its syntax (arbiter-configs/ holds examples)", e);
        }
        if (root == null) {
            return Map.of();
        }
        if (!(root instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(file + ": a search config is a mapping of fields (key: value lines)");
        }
        return (Map<String, Object>) m;
    }

    /** Rejects a key not in {@code allowed}: "NAME: unknown field 'PREFIXkey'; allowed: [...]". */
    public static void requireKnown(Map<String, Object> m, Set<String> allowed, String prefix, String name) {
        for (String key : m.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException(name + ": unknown field '" + prefix + key + "'; allowed: " + allowed);
            }
        }
    }

    /** The field as a mapping, empty when absent. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Map<String, Object> m, String field, String name) {
        Object value = m.get(field);
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> given) {
            return (Map<String, Object>) given;
        }
        throw new IllegalArgumentException(name + ": field '" + field + "' must be a mapping (key: value lines)");
    }

    /** The field as trimmed text, or {@code fallback} when absent. */
    public static String text(Map<String, Object> m, String key, String fallback) {
        Object v = m.get(key);
        return v == null ? fallback : String.valueOf(v).trim();
    }

    /** The field as a finite number &ge; {@code min}, or {@code fallback} when absent. */
    public static double number(Map<String, Object> m, String key, double fallback, double min, String name) {
        Object v = m.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue()) || n.doubleValue() < min) {
            throw new IllegalArgumentException(name + ": field '" + key + "' must be a number >= " + min + "; got '" + v
                    + "'");
        }
        return n.doubleValue();
    }

    /** The field as a whole number &ge; {@code min}, or {@code fallback} when absent. */
    public static int integer(Map<String, Object> m, String key, int fallback, int min, String name) {
        double v = number(m, key, fallback, min, name);
        if (v != Math.rint(v) || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": field '" + key + "' must be a whole number; got " + v);
        }
        return (int) v;
    }
}
