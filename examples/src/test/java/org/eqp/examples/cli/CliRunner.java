package org.eqp.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.eqp.data.DatasetFetcher;
import org.eqp.testing.Fixtures;
import picocli.CommandLine;

/** Runs ./eqp command lines in this JVM as a user would, on the test fixtures, and captures what they print. */
final class CliRunner {
    /** The shared test fixtures (wine.csv, diabetes.csv, mnist-subset/, bad CSVs). */
    static final Path FIXTURES = Path.of(System.getProperty("eqp.testResources", "../test-resources"));

    private CliRunner() {
    }

    /** What a command line did. */
    record Run(int exitCode, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    /** Runs a command line; a missing dataset is "fetched" from the fixtures. */
    static Run eqp(String... args) {
        return eqpFetchingFrom(Fixtures::copyDataset, args);
    }

    /**
     * Runs a command line; {@code err} holds what picocli and the loggers print to stderr. System.err is replaced
     * before the command line is made: picocli's default execution strategy keeps the System.err of its creation and
     * would otherwise put it back in place of the writer given to setErr.
     */
    static Run eqpFetchingFrom(DatasetFetcher.Source source, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(out, true));
        System.setErr(errStream);
        try {
            CommandLine cli = EqpCli.commandLine(source);
            cli.setErr(new PrintWriter(errStream, true));
            int code = cli.execute(args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    /** The run ended as a user error: exit code 2 and one line on stderr containing {@code expected}. */
    static void assertUserError(Run run, String expected) {
        assertEquals(2, run.exitCode(), run.err());
        assertEquals(1, run.errLines().size(), "one line: " + run.err());
        assertTrue(run.err().contains(expected), run.err());
    }
}
