package org.eqp.examples.cli;

import java.io.PrintStream;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.eqp.examples.ui.TrainingUi;
import picocli.CommandLine.Option;

/**
 * The training UI flags of {@code ./eqp train} ({@code --ui}, {@code --ui-port}, {@code --ui-keep}): starting DL4J's
 * training UI with EP's charts ({@link TrainingUi}), with the user's errors (a port in use, a flag without
 * {@code --ui}) as one line naming the fix.
 */
final class UiOptions {
    @Option(names = "--ui", description = "Watch the EP network's training in DL4J's training UI (score, parameters, "
            + "updates: StatsListener) and EP's own charts (RMS correction per layer pair, log-spread, relaxation "
            + "residual, saturated units, online / train / test error); prints the URLs. The UI stops when training "
            + "ends unless --ui-keep is given")
    boolean enabled;

    @Option(names = "--ui-port", defaultValue = "9000", paramLabel = "PORT",
            description = "Port of the training UI (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--ui-keep", description = "With --ui: keep serving the UI after training ends, until Ctrl-C")
    boolean keep;

    /** Checks the flags that do not depend on the UI running: {@code --ui-keep} without {@code --ui}, the port. */
    void check() {
        if (!enabled && keep) {
            throw new UserInputException("--ui-keep keeps the training UI serving: add --ui");
        }
        if (enabled && (port < 1 || port > 65535)) {
            throw new UserInputException("--ui-port takes a port from 1 to 65535; got " + port);
        }
    }

    /** Starts the UI if {@code --ui} was given and prints its URLs; null otherwise. */
    TrainingUi start(PrintStream out) {
        if (!enabled) {
            return null;
        }
        TrainingUi ui;
        try {
            ui = TrainingUi.start(port);
        } catch (TrainingUi.PortInUseException e) {
            throw new UserInputException("--ui-port " + port + ": the port is already in use (another training UI or "
                    + "program listens there); choose a free one with --ui-port PORT", e);
        }
        out.println("training UI: " + ui.overviewUrl() + " (DL4J's charts), " + ui.epChartsUrl() + " (EP's charts)");
        return ui;
    }

    /** The UI's listeners for the EP network's training, none without the UI. */
    static TrainingListener[] listeners(TrainingUi ui, String label, boolean classification) {
        return ui == null ? new TrainingListener[0]
                : ui.listeners(label, classification).toArray(TrainingListener[]::new);
    }

    /** With {@code --ui-keep}: says so and serves until Ctrl-C (or until this thread is interrupted). */
    void keepServing(TrainingUi ui, PrintStream out) {
        if (ui != null && keep) {
            out.println("training UI still serving at " + ui.epChartsUrl() + " and " + ui.overviewUrl()
                    + "; press Ctrl-C to stop");
            ui.serveUntilInterrupted();
        }
    }
}
