package org.eqp.examples.cli;

import static org.eqp.examples.cli.CliRunner.FIXTURES;
import static org.eqp.examples.cli.CliRunner.assertUserError;
import static org.eqp.examples.cli.CliRunner.eqp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./eqp train --ui} without a browser: the user's errors with its flags, and the server's lifetime when the UI
 * is not kept. What the pages show: {@link TrainUiPagesTest}.
 */
class TrainUiTest {

    @Test
    void aPortInUseAndFlagsThatDoNotFitAreOneLineNamingTheFix(@TempDir Path out) throws IOException {
        try (ServerSocket busy = new ServerSocket(0)) {
            int port = busy.getLocalPort();
            CliRunner.Run run = eqp("train", "--dataset", "wine", "--data-dir", FIXTURES.toString(), "--hidden", "4",
                    "--epochs", "1", "--out", out.toString(), "--ui", "--ui-port", String.valueOf(port));
            assertUserError(run, "eqp train: --ui-port " + port + ": the port is already in use (another training UI "
                    + "or program listens there); choose a free one with --ui-port PORT");
        }
        assertUserError(eqp("train", "--dataset", "wine", "--data-dir", FIXTURES.toString(), "--out", out.toString(),
                "--ui-keep"), "eqp train: --ui-keep keeps the training UI serving: add --ui");
        assertUserError(eqp("train", "--dataset", "wine", "--data-dir", FIXTURES.toString(), "--out", out.toString(),
                "--ui", "--ui-port", "70000"), "eqp train: --ui-port takes a port from 1 to 65535; got 70000");
        assertUserError(eqp("train", "--dataset", "wine", "--data-dir", FIXTURES.toString(), "--out", out.toString(),
                "--ui", "--workers", "2"), "eqp train: --ui watches a network trained in this process: drop --workers "
                + "and --spark");
    }

    @Test
    void withoutUiKeepTheUiPrintsItsUrlsAndStopsWhenTrainingEnds(@TempDir Path out) throws IOException {
        int port = freePort();
        CliRunner.Run run = eqp("train", "--dataset", "wine", "--data-dir", FIXTURES.toString(), "--hidden", "6",
                "--epochs", "1", "--batch", "20", "--out", out.toString(), "--ui", "--ui-port", String.valueOf(port));
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("training UI: http://localhost:" + port + "/train/overview (DL4J's charts), "
                + "http://localhost:" + port + "/ep (EP's charts)"), run.out());
        try (ServerSocket again = new ServerSocket(port)) { // throws if the UI still listened
            assertEquals(port, again.getLocalPort());
        }
    }

    /** A port nothing listens on now (the tests' UIs never use the default 9000). */
    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }
}
