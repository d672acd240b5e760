package org.eqp.metrics;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;

/**
 * Appends {@link EpochRecord}s to a CSV file, one row per epoch, flushing after every row so that
 * a killed run keeps every completed epoch.
 *
 * <p>Columns: {@code run,epoch,train_error_online,train_error,test_error,score,seconds,relax_residual}.
 * Errors are fractions in [0, 1], {@code seconds} are wall-clock seconds of training; unknown values
 * are written as {@code NaN}. Numbers use {@link Double#toString(double)} so they read back exactly.
 * The header is written only when the file is new or empty; when appending to an existing file its
 * header must match, otherwise opening fails.
 */
public final class MetricsCsvWriter implements Closeable {

    private final Path path;
    private final Writer out;

    private MetricsCsvWriter(Path path, Writer out) {
        this.path = path;
        this.out = out;
    }

    /**
     * Opens {@code path} for appending (creating it and its parent directories if needed).
     *
     * @throws IOException if the file cannot be opened or an existing file has a different header
     */
    public static MetricsCsvWriter open(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        boolean needsHeader = !Files.exists(path) || Files.size(path) == 0;
        if (!needsHeader) {
            checkExistingHeader(path);
        }
        BufferedWriter writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        MetricsCsvWriter result = new MetricsCsvWriter(path, writer);
        if (needsHeader) {
            result.writeLine(MetricsCsv.HEADER);
        }
        return result;
    }

    private static void checkExistingHeader(Path path) throws IOException {
        String first;
        try (var lines = Files.lines(path, StandardCharsets.UTF_8)) {
            first = lines.findFirst().orElse("");
        }
        if (!MetricsCsv.HEADER.equals(first.strip())) {
            throw new IOException("cannot append to " + path + ": header is '" + first
                    + "', expected '" + MetricsCsv.HEADER + "'");
        }
    }

    /** Appends one row and flushes it to the file. */
    public void append(EpochRecord record) throws IOException {
        writeLine(row(record));
    }

    /**
     * The whole file for these records, header first, one line per record: what {@link #open} and {@link #append}
     * would leave in a new file, as one text to write at once (e.g. to replace a file atomically).
     */
    public static String format(List<EpochRecord> records) {
        StringBuilder csv = new StringBuilder(MetricsCsv.HEADER).append('\n');
        for (EpochRecord record : records) {
            csv.append(row(record)).append('\n');
        }
        return csv.toString();
    }

    private static String row(EpochRecord record) {
        Objects.requireNonNull(record, "record");
        return String.join(",",
                quote(record.run()),
                Integer.toString(record.epoch()),
                Double.toString(record.trainErrorOnline()),
                Double.toString(record.trainError()),
                Double.toString(record.testError()),
                Double.toString(record.score()),
                Double.toString(record.seconds()),
                Double.toString(record.relaxResidual()));
    }

    /** The file being written. */
    public Path path() {
        return path;
    }

    private void writeLine(String line) throws IOException {
        out.write(line);
        out.write('\n');
        out.flush();
    }

    /** Quotes a field if it contains a comma or a double quote (RFC 4180 style). */
    static String quote(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
