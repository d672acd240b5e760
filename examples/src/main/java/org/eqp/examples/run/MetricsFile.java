package org.eqp.examples.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eqp.examples.io.AtomicFiles;
import org.eqp.metrics.EpochRecord;
import org.eqp.metrics.MetricsCsvWriter;

/**
 * A run's {@code metrics.csv} ({@link MetricsCsvWriter}'s format): every record so far, the file rewritten whole and
 * atomically ({@link AtomicFiles}) at each new record, so that a kill leaves the rows of every completed epoch and no
 * torn row, and a resumed run can put the file back to its checkpoint's rows.
 */
public final class MetricsFile {
    private final Path path;
    private final List<EpochRecord> records;

    private MetricsFile(Path path, List<EpochRecord> records) {
        this.path = path;
        this.records = new ArrayList<>(records);
    }

    /** The file at {@code path} holding {@code records} (none: the header alone), written now. */
    public static MetricsFile of(Path path, List<EpochRecord> records) throws IOException {
        MetricsFile file = new MetricsFile(path, records);
        file.write();
        return file;
    }

    /** Adds a row. */
    public void add(EpochRecord record) throws IOException {
        records.add(record);
        write();
    }

    /** Every row, in order. */
    public List<EpochRecord> records() {
        return List.copyOf(records);
    }

    public Path path() {
        return path;
    }

    private void write() throws IOException {
        AtomicFiles.writeString(path, MetricsCsvWriter.format(records));
    }
}
