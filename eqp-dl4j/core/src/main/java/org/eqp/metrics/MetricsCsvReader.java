package org.eqp.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads a metrics CSV written by {@link MetricsCsvWriter} back into {@link EpochRecord}s, in file
 * order. Blank lines are ignored; any malformed line fails with an {@link IOException} naming the
 * file and line number.
 */
public final class MetricsCsvReader {

    private MetricsCsvReader() {
    }

    /** Reads all rows of {@code path}. */
    public static List<EpochRecord> read(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !MetricsCsv.HEADER.equals(lines.get(0).strip())) {
            throw new IOException(path + ": missing or unexpected header, expected '"
                    + MetricsCsv.HEADER + "'");
        }
        List<EpochRecord> records = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                records.add(parse(line));
            } catch (IllegalArgumentException e) {
                throw new IOException(path + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return records;
    }

    /** Parses one data row; throws {@link IllegalArgumentException} if malformed. */
    static EpochRecord parse(String line) {
        List<String> f = split(line);
        if (f.size() != MetricsCsv.COLUMNS.size()) {
            throw new IllegalArgumentException("expected " + MetricsCsv.COLUMNS.size()
                    + " fields, got " + f.size() + " in '" + line + "'");
        }
        return new EpochRecord(
                f.get(0),
                Integer.parseInt(f.get(1).strip()),
                Double.parseDouble(f.get(2)),
                Double.parseDouble(f.get(3)),
                Double.parseDouble(f.get(4)),
                Double.parseDouble(f.get(5)),
                Double.parseDouble(f.get(6)),
                Double.parseDouble(f.get(7)));
    }

    /** Splits one line on commas, honouring RFC 4180 double-quoted fields. */
    static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quote in '" + line + "'");
        }
        fields.add(cur.toString());
        return fields;
    }
}
