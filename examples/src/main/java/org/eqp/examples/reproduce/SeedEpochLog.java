package org.eqp.examples.reproduce;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The seed's per-epoch training logs ({@code gammell2021_logs_per_epoch.csv} of a {@link SeedReference}): for each
 * logged run of a log file, its online training error and test error after each epoch. Errors are fractions; the
 * regression trials log half the mean squared error.
 */
final class SeedEpochLog {
    static final String FILE = "gammell2021_logs_per_epoch.csv";

    /** A logged run's online training error and test error after one epoch. */
    record Errors(double trainOnline, double test) {
    }

    /** (log file, run, epoch) to errors. */
    private final Map<String, Errors> byRun = new HashMap<>();
    /** (log file, epoch) to the errors of the file's first logged run at that epoch. */
    private final Map<String, Errors> firstRun = new HashMap<>();

    private SeedEpochLog() {
    }

    /**
     * Reads the reference's per-epoch logs; empty when it lacks the file.
     *
     * @throws IOException if the file lacks one of the columns log_file, run_index, epoch, train_error_online,
     *                     test_error, or a line is shorter than the header
     */
    static SeedEpochLog read(SeedReference reference) throws IOException {
        SeedEpochLog log = new SeedEpochLog();
        List<String> lines = reference.lines(FILE);
        if (lines.isEmpty()) {
            return log;
        }
        int[] at = reference.columns(FILE, lines.get(0), "log_file", "run_index", "epoch", "train_error_online",
                "test_error");
        int file = at[0];
        int run = at[1];
        int epoch = at[2];
        int train = at[3];
        int test = at[4];
        int width = lines.get(0).split(",", -1).length;
        for (String line : lines.subList(1, lines.size())) {
            // a learning-rate column, when present, may hold a quoted list with commas: split outside quotes, keeping
            // trailing empty columns (an unprinted log-spread)
            String[] c = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1);
            if (c.length < width) {
                throw new IOException(FILE + " of " + reference + ": a line has " + c.length + " of the header's "
                        + width + " columns: " + line);
            }
            Errors errors = new Errors(Double.parseDouble(c[train]), Double.parseDouble(c[test]));
            log.byRun.put(c[file] + '|' + c[run] + '|' + c[epoch], errors);
            log.firstRun.putIfAbsent(c[file] + '|' + c[epoch], errors);
        }
        return log;
    }

    /** The log file of a trial, e.g. {@code results/mnist_5layer_swni/log.txt} for {@code mnist_5layer_swni}. */
    static String logFile(String trial) {
        return "results/" + trial + "/log.txt";
    }

    /** The first logged run of {@code logFile} after {@code epoch}; empty when that epoch is not logged. */
    Optional<Errors> firstRun(String logFile, int epoch) {
        return Optional.ofNullable(firstRun.get(logFile + '|' + epoch));
    }

    /** Run {@code run} of {@code logFile} after {@code epoch}; empty when not logged (e.g. the run stopped earlier). */
    Optional<Errors> run(String logFile, int run, int epoch) {
        return Optional.ofNullable(byRun.get(logFile + '|' + run + '|' + epoch));
    }
}
