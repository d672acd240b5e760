package org.eqp.examples.run;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eqp.examples.io.AtomicFiles;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The folder of one training run and what it records about the run: {@value #RUN_JSON} holds the run's
 * configuration, the {@code ./eqp train} options that started it (when it was started so) and whether it completed;
 * {@value #CHECKPOINTS}/ holds its latest checkpoint while it trains ({@link CheckpointStore}). {@link #begin} decides
 * what a run about to train here does with what the folder holds.
 */
public final class RunDirectory {
    /** The record of the run. */
    public static final String RUN_JSON = "run.json";
    /** The folder of the run's checkpoint. */
    public static final String CHECKPOINTS = "checkpoint";
    private static final String CONFIGURATION = "configuration";
    private static final String ARGUMENTS = "arguments";
    private static final String COMPLETE = "complete";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What a new run does with a run the folder already holds. */
    public enum Existing {
        /** Start over, whatever the folder holds (quickstart and deep-data: fixed folders rerun at will). */
        REPLACE,
        /**
         * Start over a run of the same configuration unless it was interrupted with a checkpoint (continue that one
         * with {@code --resume}, or delete its checkpoint); refuse to overwrite one of another ({@code ./eqp train}).
         */
        RESTART,
        /**
         * Keep a complete run of the same configuration, continue an interrupted one from its checkpoint (from the
         * beginning when it has none yet), refuse one of another ({@code reproduce}, {@code train --resume}).
         */
        CONTINUE
    }

    /** What {@link #begin} found. */
    public enum Start {
        /** Nothing to keep: train from the first batch. */
        FRESH,
        /** An interrupted run of the same configuration: continue from its checkpoint if it has one. */
        RESUME,
        /** A complete run of the same configuration: nothing to train. */
        COMPLETE
    }

    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    public static RunDirectory at(Path dir) {
        return new RunDirectory(dir);
    }

    public Path path() {
        return dir;
    }

    /** A file of the run: {@code metrics.csv}, {@code summary.json}, {@code model.zip}, ... */
    public Path file(String name) {
        return dir.resolve(name);
    }

    /** The run's checkpoint. */
    public CheckpointStore checkpoints() {
        return new CheckpointStore(dir.resolve(CHECKPOINTS));
    }

    /**
     * Prepares the folder for a run: checks that it can be written, compares the run recorded there (if any) with
     * this one, and records this one as started (not complete) unless it is complete already.
     *
     * @param configuration what determines the run's results (compared as JSON with the recorded run's)
     * @param arguments     the {@code ./eqp train} options that start the run again ({@code --out} excluded), or
     *                      empty when another command started it
     * @throws RunDirectoryException if the folder cannot be written or holds a run of another configuration that
     *                               {@code existing} does not allow to replace
     */
    public Start begin(Map<String, Object> configuration, List<String> arguments, Existing existing) {
        JsonNode wanted = JSON.valueToTree(configuration);
        try {
            wanted = JSON.readTree(JSON.writeValueAsString(wanted)); // numbers typed as a file read back types them
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw unwritable(e);
        }
        JsonNode recorded = existing != Existing.REPLACE && Files.exists(file(RUN_JSON)) ? record() : null;
        if (recorded != null && !wanted.equals(recorded.get(CONFIGURATION))) {
            throw new RunDirectoryException(dir + " holds a run of another configuration (" + firstDifference(
                    recorded.get(CONFIGURATION), wanted) + "); choose another --out, or delete " + dir
                    + " to replace that run");
        }
        boolean complete = recorded != null && recorded.path(COMPLETE).asBoolean();
        if (recorded != null && existing == Existing.CONTINUE) {
            return complete ? Start.COMPLETE : Start.RESUME;
        }
        if (recorded != null && !complete && checkpoints().exists()) {
            throw new RunDirectoryException(dir + " holds an interrupted run of this configuration with a checkpoint; "
                    + "continue it with ./eqp train --resume " + dir + ", or delete " + dir.resolve(CHECKPOINTS)
                    + " to start over");
        }
        try {
            checkpoints().clear();
        } catch (IOException e) {
            throw unwritable(e);
        }
        write(wanted, arguments, false);
        return Start.FRESH;
    }

    /** Records the run as complete. */
    public void complete() throws IOException {
        JsonNode recorded = record();
        List<String> arguments = new ArrayList<>();
        recorded.path(ARGUMENTS).forEach(a -> arguments.add(a.asText()));
        writeRecord(recorded.get(CONFIGURATION), arguments, true);
    }

    /**
     * The {@code ./eqp train} options of the interrupted run in this folder, for {@code --resume}.
     *
     * @throws RunDirectoryException if the folder holds no {@code ./eqp train} run with a checkpoint to continue
     */
    public List<String> resumableArguments() {
        if (!Files.exists(file(RUN_JSON))) {
            throw new RunDirectoryException(dir + " holds no run to resume (no " + RUN_JSON + "); start one with "
                    + "./eqp train ... --checkpoint-every N --out " + dir);
        }
        JsonNode recorded = record();
        if (recorded.path(COMPLETE).asBoolean()) {
            throw new RunDirectoryException(dir + " holds a finished run, nothing to resume; train a new one with "
                    + "another --out");
        }
        if (!recorded.path(ARGUMENTS).isArray() || recorded.path(ARGUMENTS).isEmpty()) {
            throw new RunDirectoryException(dir + " was written by another command than ./eqp train; run that command "
                    + "again with the same --out to continue it");
        }
        List<String> arguments = new ArrayList<>();
        recorded.get(ARGUMENTS).forEach(a -> arguments.add(a.asText()));
        if (!checkpoints().exists()) {
            throw new RunDirectoryException(dir + " holds no checkpoint (the run was started without "
                    + "--checkpoint-every or stopped before its first); train it again: ./eqp train "
                    + String.join(" ", arguments) + " --out " + dir);
        }
        return arguments;
    }

    private JsonNode record() {
        try {
            JsonNode node = JSON.readTree(file(RUN_JSON).toFile());
            if (node == null || !node.has(CONFIGURATION)) {
                throw new IOException("no '" + CONFIGURATION + "' field");
            }
            return node;
        } catch (IOException e) {
            throw new RunDirectoryException(file(RUN_JSON) + " is not a run record (" + e.getMessage().lines()
                    .findFirst().orElse("") + "); delete it, or choose another --out", e);
        }
    }

    private void write(JsonNode configuration, List<String> arguments, boolean complete) {
        try {
            writeRecord(configuration, arguments, complete);
        } catch (IOException e) {
            throw unwritable(e);
        }
    }

    private void writeRecord(JsonNode configuration, List<String> arguments, boolean complete) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.set(CONFIGURATION, configuration);
        if (!arguments.isEmpty()) {
            arguments.forEach(node.putArray(ARGUMENTS)::add);
        }
        node.put(COMPLETE, complete);
        AtomicFiles.writeString(file(RUN_JSON), JSON.writeValueAsString(node) + "\n");
    }

    private RunDirectoryException unwritable(IOException e) {
        String reason = e instanceof FileSystemException f
                ? f.getFile() + ": " + (f.getReason() != null ? f.getReason()
                : f.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2")
                .toLowerCase(Locale.ROOT))
                : e.getMessage();
        return new RunDirectoryException("cannot write the run to " + dir + " (" + reason + "); choose an --out "
                + "that is a directory you can write to", e);
    }

    /** The first field whose value differs, "name: A there, B now" (compared field by field, then as a whole). */
    private static String firstDifference(JsonNode there, JsonNode now) {
        if (there != null && there.isObject() && now.isObject()) {
            for (Iterator<String> names = now.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!now.get(name).equals(there.get(name))) {
                    return name + ": " + (there.has(name) ? there.get(name) : "absent") + " there, " + now.get(name)
                            + " now";
                }
            }
            for (Iterator<String> names = there.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!now.has(name)) {
                    return name + ": " + there.get(name) + " there, absent now";
                }
            }
        }
        return "recorded " + there;
    }
}
