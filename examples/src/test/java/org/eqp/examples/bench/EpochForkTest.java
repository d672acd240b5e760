package org.eqp.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.eqp.data.DatasetRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EpochForkTest {
    private static final Path MNIST_FIXTURE = Path.of(System.getProperty("eqp.testResources", "../test-resources"))
            .resolve("mnist-subset");

    @Test
    void aForkTimesOneEpochOfTheNetworkItIsGiven() {
        // given the MNIST fixture cut to 200 training examples
        DatasetRequest request = DatasetRequest.builder().spec("mnist").dataDir(MNIST_FIXTURE).trainLimit(200).seed(1)
                .build();
        // when the EP network's epoch is timed in a fork
        EpochBenchmark.Timing timing = EpochFork.measure(EpochFork.Network.EP, request, 1);
        // then the fork reports positive fit and evaluation times and a test error in [0, 1]
        assertTrue(timing.fitSeconds() > 0 && timing.evalSeconds() > 0, timing.toString());
        assertTrue(timing.testError() >= 0 && timing.testError() <= 1, timing.toString());
    }

    @Test
    void aForkThatFailsIsAnErrorCarryingTheEndOfItsOutput(@TempDir Path empty) {
        // given a request for MNIST in a folder that does not hold it
        DatasetRequest request = DatasetRequest.builder().spec("mnist").dataDir(empty).cacheDir(empty).seed(1).build();
        // when a fork is asked to time an epoch on it
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EpochFork.measure(EpochFork.Network.BACKPROP, request, 1));
        // then the error names the network and the exit code, and carries the fork's own complaint
        assertTrue(e.getMessage().startsWith("the epoch benchmark's fork for BACKPROP failed (exit 1)"), e.getMessage());
        assertTrue(e.getMessage().contains("mnist was not found"), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf("epoch-fork-result"), e.getMessage());
    }
}
