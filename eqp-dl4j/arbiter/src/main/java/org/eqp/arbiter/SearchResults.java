package org.eqp.arbiter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code DIR/results.csv} of a search, one row per finished candidate: index, status (complete / failed), score,
 * seconds, validation error, log-spread, the failure reason, then every knob. Rows are appended as candidates finish
 * (thread-safe), so an interrupted search keeps what it did and a re-run with the same config skips those candidates.
 */
public final class SearchResults {

    /** One finished candidate. */
    public record Row(int index, boolean complete, double score, double seconds, double validationError,
                      double logSpread, String reason, Map<String, String> knobs) {
    }

    private static final List<String> FIXED = List.of("index", "status", "score", "seconds", "validation_error",
            "log_spread", "reason");
    private final Path file;
    private final Map<Integer, Row> rows = new HashMap<>();

    private SearchResults(Path file) {
        this.file = file;
    }

    /**
     * Opens (or creates) the results of a search in {@code file}, reading rows already there.
     *
     * @throws IllegalArgumentException if the file exists but is not results of a search with these hyperparameters
     */
    public static SearchResults open(Path file) throws IOException {
        SearchResults r = new SearchResults(file);
        String header = String.join(",", FIXED) + "," + String.join(",",
                Arrays.stream(Knob.values()).map(Knob::id).toList());
        List<String> lines = Files.isRegularFile(file) ? Files.readAllLines(file) : List.of();
        if (lines.isEmpty()) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, header + "\n");
            return r;
        }
        if (!lines.get(0).equals(header)) {
            throw new IllegalArgumentException(file + " is not the results of a search over these hyperparameters "
                    + "(its first line differs from '" + header + "'); use another output folder or delete it");
        }
        List<String> columns = Arrays.asList(header.split(","));
        for (int n = 1; n < lines.size(); n++) {
            Row row;
            try {
                row = parse(lines.get(n), columns);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + ": line " + (n + 1) + " is not a result row (" + e.getMessage()
                        + "); repair or delete the line, or use another output folder");
            }
            r.rows.put(row.index(), row);
        }
        return r;
    }

    private static Row parse(String line, List<String> columns) {
        String[] c = line.split(",", -1);
        if (c.length != columns.size()) {
            throw new IllegalArgumentException(c.length + " columns, not " + columns.size());
        }
        Map<String, String> knobs = new java.util.LinkedHashMap<>();
        for (int k = FIXED.size(); k < columns.size(); k++) {
            knobs.put(columns.get(k), c[k]);
        }
        return new Row(Integer.parseInt(c[0]), c[1].equals("complete"), Double.parseDouble(c[2]),
                Double.parseDouble(c[3]), Double.parseDouble(c[4]), Double.parseDouble(c[5]), c[6], knobs);
    }

    /** The knob values as the CSV writes them (sizes as "a;b;c"). */
    public static Map<String, String> text(Map<String, Object> hyperparameters) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (Knob k : Knob.values()) {
            Object v = hyperparameters.get(k.id());
            m.put(k.id(), v instanceof int[] sizes ? String.join(";", Arrays.stream(sizes).mapToObj(Integer::toString)
                    .toList()) : String.valueOf(v));
        }
        return m;
    }

    /** The row of a finished candidate with this index and these knobs, if any (resume). */
    public synchronized Row done(int index, Map<String, Object> hyperparameters) {
        Row row = rows.get(index);
        return row != null && row.knobs().equals(text(hyperparameters)) ? row : null;
    }

    /** Appends a finished candidate. */
    public synchronized void add(Row row) {
        rows.put(row.index(), row);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%d,%s,%s,%s,%s,%s,%s", row.index(),
                row.complete() ? "complete" : "failed", row.score(), row.seconds(), row.validationError(),
                row.logSpread(), quote(row.reason())));
        for (Knob k : Knob.values()) {
            line.append(',').append(quote(row.knobs().get(k.id())));
        }
        try {
            Files.writeString(file, line + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("could not append to " + file, e);
        }
    }

    /** Every row, by index. */
    public synchronized List<Row> rows() {
        List<Row> out = new ArrayList<>(rows.values());
        out.sort(java.util.Comparator.comparingInt(Row::index));
        return out;
    }

    /** Commas and line breaks would break the CSV: replaced by ';' and ' '. */
    private static String quote(String s) {
        return s == null ? "" : s.replace(',', ';').replace('\n', ' ').replace('\r', ' ');
    }
}
