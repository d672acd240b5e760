package org.eqp.examples.ui;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.deeplearning4j.exception.DL4JException;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.api.UIServer;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;

/**
 * DL4J's training UI for one training run in this process: starts DL4J's {@code UIServer} on a port with an in-memory
 * stats storage attached, and hands out the listeners that fill it, DL4J's {@code StatsListener} (score, parameters,
 * updates, memory: DL4J's own pages under {@code /train}) and an {@link EpStatsReporter} (EP's charts at
 * {@value EpChartsModule#PAGE}, {@link EpChartsModule}). {@link #close()} stops the server.
 *
 * <p>DL4J's server is one per JVM; a second {@code TrainingUi} can be started once the first is closed.
 */
public final class TrainingUi implements AutoCloseable {
    /** The worker ID of the EP records (one process trains). */
    private static final String WORKER = "ep";

    private final UIServer server;
    private final InMemoryStatsStorage storage = new InMemoryStatsStorage();

    /** The port asked for is taken by another program (or another UI). */
    public static final class PortInUseException extends RuntimeException {
        private final int port;

        PortInUseException(int port, Throwable cause) {
            super("port " + port + " is already in use", cause);
            this.port = port;
        }

        public int port() {
            return port;
        }
    }

    private TrainingUi(UIServer server) {
        this.server = server;
        server.attach(storage);
    }

    /**
     * Starts DL4J's UI server on {@code port} (all interfaces).
     *
     * @throws PortInUseException    if something listens on the port already
     * @throws IllegalStateException if DL4J's UI server already runs in this JVM
     */
    public static TrainingUi start(int port) {
        if (VertxUIServer.getInstance() != null) {
            throw new IllegalStateException("DL4J's UI server already runs in this JVM (port "
                    + VertxUIServer.getInstance().getPort() + "); close the TrainingUi that started it first");
        }
        checkFree(port);
        try {
            return new TrainingUi(VertxUIServer.getInstance(port, false, null));
        } catch (DL4JException e) {
            stopServer(); // DL4J keeps a server that failed to start as its instance
            checkFree(port); // taken since the check above?
            throw e;
        }
    }

    private static void checkFree(int port) {
        try {
            new ServerSocket(port).close(); // binds as the server will (all interfaces), then lets go
        } catch (IOException e) {
            throw new PortInUseException(port, e);
        }
    }

    public int port() {
        return server.getPort();
    }

    /** DL4J's training overview page (score, update ratios, model and system tabs). */
    public String overviewUrl() {
        return "http://localhost:" + port() + "/train/overview";
    }

    /** EP's charts page. */
    public String epChartsUrl() {
        return "http://localhost:" + port() + EpChartsModule.PAGE;
    }

    /**
     * The listeners for one network's training, in a new session: DL4J's {@code StatsListener} (every iteration) and
     * an {@link EpStatsReporter}, which must come after the network's {@code EpTrainingListener}.
     *
     * @param label          what EP's page calls the run
     * @param classification whether the run's errors are classification errors (shown in %) or mean squared errors
     */
    public List<TrainingListener> listeners(String label, boolean classification) {
        String session = UUID.randomUUID().toString();
        return List.of(new StatsListener(storage, 1, session),
                new EpStatsReporter(storage, session, WORKER, label, classification));
    }

    /**
     * Keeps serving until this thread is interrupted; Ctrl-C ends the JVM, and DL4J's shutdown hook stops the server.
     */
    public void serveUntilInterrupted() {
        try {
            new CountDownLatch(1).await(); // nothing counts it down: only an interrupt ends the wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the server (the port is free again when this returns). */
    @Override
    public void close() {
        stopServer();
    }

    /**
     * Stops DL4J's server and waits for it to let go of its port, also on an interrupted thread (e.g. after
     * {@link #serveUntilInterrupted}).
     */
    private static void stopServer() {
        boolean interrupted = Thread.interrupted();
        try {
            VertxUIServer.stopInstance();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop DL4J's UI server: " + e, e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
