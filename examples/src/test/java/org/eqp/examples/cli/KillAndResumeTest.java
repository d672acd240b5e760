package org.eqp.examples.cli;

import static org.eqp.examples.cli.CliRunner.FIXTURES;
import static org.eqp.examples.cli.CliRunner.eqp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.dl4j.EpModelSerializer;
import org.eqp.dl4j.layers.EpLayerRuntime;
import org.eqp.examples.cli.CliRunner.Run;
import org.eqp.metrics.EpochRecord;
import org.eqp.metrics.MetricsCsvReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * A real {@code kill -9}: {@code ./eqp train} runs in a child JVM, which is killed as soon as a checkpoint exists, then
 * resumed; the resumed run must end bit for bit where an uninterrupted run with the same seed ends.
 */
class KillAndResumeTest {
    private static final int EVERY = 7;
    /**
     * Wine, 13-10-3 with persistent particles, the random sign of beta, correction statistics, and the backprop
     * baseline after it: 10 epochs of 15 batches each, long enough (150 batches, about half a second per network) to be
     * killed in the middle of either, short enough for a unit test.
     */
    private static final List<String> RUN = List.of("--dataset", "wine", "--data-dir", FIXTURES.toString(), "--hidden",
            "10", "--epochs", "10", "--batch", "10", "--particles", "--corrections", "--baseline", "backprop");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a checkpoint's state.json said when its process was killed. */
    private record Checkpoint(String run, long batches) {
    }

    @Test
    void aRunKilledInEachNetworkAndResumedEndsBitIdenticalToAnUninterruptedRun(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("killed");
        // given a child process training with a checkpoint every 7 batches, killed once a checkpoint of EP exists
        List<String> first = new ArrayList<>(RUN);
        first.addAll(List.of("--checkpoint-every", Integer.toString(EVERY), "--out", dir.toString()));
        Checkpoint inEp = killOnceCheckpointed(first, dir, tmp.resolve("child1.log"), c -> c.run().equals("EP"));
        // and the run resumed in a second child, killed once a checkpoint of the backprop baseline past its start exists
        Checkpoint inBaseline = killOnceCheckpointed(List.of("--resume", dir.toString()), dir, tmp.resolve("child2.log"),
                c -> c.run().equals("backprop") && c.batches() > 0);
        // when it is resumed once more, in this JVM, to its end
        Run last = eqp("train", "--resume", dir.toString());
        assertEquals(0, last.exitCode(), last.err());
        // and the same run trains uninterrupted, without checkpoints
        List<String> whole = new ArrayList<>(List.of("train"));
        whole.addAll(RUN);
        whole.addAll(List.of("--out", tmp.resolve("whole").toString()));
        Run uninterrupted = eqp(whole.toArray(String[]::new));
        assertEquals(0, uninterrupted.exitCode(), uninterrupted.err());

        // then each resume started from the last checkpoint its kill left: at most one interval of work was lost
        String resumedBaseline = String.format("resuming backprop from its checkpoint after batch %d (", inBaseline.batches());
        assertTrue(last.out().contains(resumedBaseline), last.out());
        assertTrue(Files.readString(tmp.resolve("child2.log")).contains(
                String.format("resuming EP from its checkpoint after batch %d (", inEp.batches())), "child 2 log");
        System.out.printf("killed twice: with the last checkpoint of EP after batch %d, then of backprop after batch %d"
                + " (a checkpoint every %d batches)%n", inEp.batches(), inBaseline.batches(), EVERY);
        assertEquals(0, inEp.batches() % EVERY);
        assertEquals(0, inBaseline.batches() % EVERY);
        // and the EP network ends with the same parameters (weights, biases, the random sign's draw count) and the
        // same persistent particles, bit for bit
        MultiLayerNetwork resumed = EpModelSerializer.restoreMultiLayerNetwork(dir.resolve("model.zip").toFile(), true);
        MultiLayerNetwork reference = EpModelSerializer.restoreMultiLayerNetwork(
                tmp.resolve("whole/model.zip").toFile(), true);
        assertArrayEquals(reference.params().toFloatVector(), resumed.params().toFloatVector());
        assertEquals(10 * 15, resumed.getIterationCount());
        var particles = ((EpLayerRuntime) resumed.getLayer(0)).particles().snapshot();
        var referenceParticles = ((EpLayerRuntime) reference.getLayer(0)).particles().snapshot();
        assertArrayEquals(referenceParticles.keys(), particles.keys());
        assertArrayEquals(referenceParticles.states(), particles.states());
        // and metrics.csv holds every epoch of both networks once, equal to the uninterrupted run's but for the seconds
        List<EpochRecord> rows = MetricsCsvReader.read(dir.resolve("metrics.csv"));
        List<EpochRecord> referenceRows = MetricsCsvReader.read(tmp.resolve("whole/metrics.csv"));
        assertEquals(2 * 10, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(withoutSeconds(referenceRows.get(i)), withoutSeconds(rows.get(i)), "row " + (i + 1));
        }
        // and the correction statistics are those of the uninterrupted run, the checkpoint is gone, the run complete
        for (String file : List.of("corrections.csv", "saturation.csv")) {
            assertEquals(Files.readString(tmp.resolve("whole").resolve(file)), Files.readString(dir.resolve(file)), file);
        }
        assertFalse(Files.exists(dir.resolve("checkpoint")));
        assertTrue(JSON.readTree(dir.resolve("run.json").toFile()).get("complete").asBoolean());
    }

    private static EpochRecord withoutSeconds(EpochRecord r) {
        return new EpochRecord(r.run(), r.epoch(), r.trainErrorOnline(), r.trainError(), r.testError(), r.score(), 0,
                r.relaxResidual());
    }

    /**
     * Runs {@code ./eqp train ARGS} in a child JVM (this JVM's java and class path), kills it (SIGKILL) as soon as
     * {@code dir}'s checkpoint meets {@code when}, and returns the checkpoint the kill left.
     */
    private static Checkpoint killOnceCheckpointed(List<String> args, Path dir, Path log, Predicate<Checkpoint> when)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Xmx1g", "--add-modules", "jdk.incubator.vector", "-Dorg.nd4j.log.initialization=false",
                "-cp", System.getProperty("java.class.path"), EqpCli.class.getName(), "train"));
        command.addAll(args);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Path state = dir.resolve("checkpoint/state.json");
            for (Checkpoint c = read(state); c == null || !when.test(c); c = read(state)) {
                assertTrue(child.isAlive(), "the child ended before it could be killed: " + Files.readString(log));
                Thread.sleep(5);
            }
            assertTrue(child.isAlive(), "the child ended before it could be killed");
        } finally {
            child.destroyForcibly();
        }
        assertNotEquals(0, child.waitFor(), "killed");
        return read(dir.resolve("checkpoint/state.json"));
    }

    /** The checkpoint's state, or null when there is none (yet). */
    private static Checkpoint read(Path state) throws IOException {
        if (!Files.exists(state)) {
            return null;
        }
        JsonNode s;
        try {
            s = JSON.readTree(state.toFile());
        } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException gone) {
            return null; // removed between the two calls: the run completed
        }
        return new Checkpoint(s.get("run").asText(), s.get("batches").asLong());
    }
}
