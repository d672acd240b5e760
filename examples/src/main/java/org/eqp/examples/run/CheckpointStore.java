package org.eqp.examples.run;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.data.ShufflingDataSetIterator;
import org.eqp.dl4j.EpModelSerializer;
import org.eqp.dl4j.listener.CorrectionStatsListener;
import org.eqp.dl4j.listener.EpTrainingListener;
import org.eqp.examples.io.AtomicFiles;
import org.eqp.metrics.EpochRecord;
import org.eqp.metrics.MetricsCsvReader;
import org.eqp.metrics.MetricsCsvWriter;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The latest checkpoint of a training run, in its own folder: the network being trained (parameters, updater state
 * and iteration count, persistent particles: {@link EpModelSerializer}), the correction statistics when recorded, the
 * rows of {@code metrics.csv} so far, and {@value #STATE}, which names those files and says where the run stands
 * (which network, the data order's position, the sums of the epoch under way).
 *
 * <p>A checkpoint's files are written under new names first, each atomically ({@link AtomicFiles}); then
 * {@value #STATE} is replaced atomically; then the files it no longer names are deleted. A kill at any moment leaves
 * a complete checkpoint: the new one or the one before.
 */
public final class CheckpointStore {
    static final String STATE = "state.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The classes a corrections file may hold; reading rejects anything else. */
    private static final Set<Class<?>> CORRECTION_CLASSES = Set.of(CorrectionStatsListener.Snapshot.class,
            CorrectionStatsListener.Row[].class, CorrectionStatsListener.Row.class,
            CorrectionStatsListener.SaturationRow[].class, CorrectionStatsListener.SaturationRow.class,
            float[][].class, float[].class);

    private final Path dir;

    CheckpointStore(Path dir) {
        this.dir = dir;
    }

    /**
     * A checkpoint read back.
     *
     * @param run     the name of the network being trained ({@code EP}, {@code backprop})
     * @param batches batches that network had trained
     * @param at      where its training stood: the data order and the measurements (records of its completed epochs
     *                and the sums of the epoch under way)
     * @param metrics every row of {@code metrics.csv} at that point, of all networks of the run
     */
    public record Checkpoint(String run, long batches, TrainingRun.Resume at, List<EpochRecord> metrics, Path model,
                             Path corrections) {
        /** The network as it was, or null when the checkpoint marks the start of {@link #run} (nothing trained yet). */
        public MultiLayerNetwork network() throws IOException {
            return model == null ? null : EpModelSerializer.restoreMultiLayerNetwork(model.toFile(), true);
        }

        /** The correction statistics continued on {@code network}, or null when none were recorded. */
        public CorrectionStatsListener corrections(Model network) throws IOException {
            if (corrections == null) {
                return null;
            }
            try (ObjectInputStream in = new ObjectInputStream(new BufferedInputStream(Files.newInputStream(corrections)))) {
                in.setObjectInputFilter(info -> info.serialClass() == null
                        || CORRECTION_CLASSES.contains(info.serialClass()) ? ObjectInputFilter.Status.UNDECIDED
                        : ObjectInputFilter.Status.REJECTED);
                return CorrectionStatsListener.resumed((CorrectionStatsListener.Snapshot) in.readObject(), network);
            } catch (ClassNotFoundException | ClassCastException | InvalidClassException e) {
                throw new IOException(corrections + " does not hold correction statistics", e);
            }
        }
    }

    /** Whether a checkpoint is there. */
    public boolean exists() {
        return Files.isRegularFile(dir.resolve(STATE));
    }

    /**
     * Saves a checkpoint of network {@code run} between two batches, replacing the previous one.
     *
     * @param corrections the correction statistics recorded on it, or null
     * @param metrics     every row of {@code metrics.csv} so far
     */
    void save(String run, MultiLayerNetwork net, TrainingRun.Resume at, CorrectionStatsListener corrections,
              List<EpochRecord> metrics) throws IOException {
        String base = String.format(Locale.ROOT, "%s-%09d", run, net.getIterationCount());
        Path model = dir.resolve(base + ".zip");
        AtomicFiles.write(model, tmp -> EpModelSerializer.writeModel(net, tmp.toFile(), true));
        Path stats = null;
        if (corrections != null) {
            stats = dir.resolve(base + "-corrections.bin");
            CorrectionStatsListener.Snapshot snapshot = corrections.snapshot();
            AtomicFiles.write(stats, tmp -> {
                try (ObjectOutputStream out = new ObjectOutputStream(new BufferedOutputStream(
                        Files.newOutputStream(tmp)))) {
                    out.writeObject(snapshot);
                }
            });
        }
        commit(run, net.getIterationCount(), at, model, stats, metrics);
    }

    /** Saves the checkpoint of the start of network {@code run}: nothing trained, the rows of the networks before. */
    void saveStart(String run, List<EpochRecord> metrics) throws IOException {
        commit(run, 0, new TrainingRun.Resume(new ShufflingDataSetIterator.Position(1, 0),
                new EpTrainingListener.Progress(List.of(), 0, 0, 0, 0, 0)), null, null, metrics);
    }

    private void commit(String run, long batches, TrainingRun.Resume at, Path model, Path corrections,
                        List<EpochRecord> metrics) throws IOException {
        Path rows = dir.resolve(String.format(Locale.ROOT, "%s-%09d-metrics.csv", run, batches));
        AtomicFiles.writeString(rows, MetricsCsvWriter.format(metrics));
        ObjectNode state = JSON.createObjectNode();
        state.put("run", run);
        state.put("batches", batches);
        state.put("data_pass", at.data().pass());
        state.put("data_cursor", at.data().cursor());
        EpTrainingListener.Progress p = at.measured();
        state.put("online_errors", p.onlineErrors());
        state.put("online_examples", p.onlineExamples());
        state.put("residual_sum", p.residualSum());
        state.put("residual_count", p.residualCount());
        state.put("epoch_seconds", p.seconds());
        state.put("model", model == null ? null : model.getFileName().toString());
        state.put("corrections", corrections == null ? null : corrections.getFileName().toString());
        state.put("metrics", rows.getFileName().toString());
        AtomicFiles.writeString(dir.resolve(STATE), JSON.writeValueAsString(state) + "\n");
        Set<Path> keep = new HashSet<>(List.of(dir.resolve(STATE), rows));
        if (model != null) {
            keep.add(model);
        }
        if (corrections != null) {
            keep.add(corrections);
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                if (!keep.contains(f)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /**
     * The checkpoint, or null when there is none.
     *
     * @throws IOException if {@value #STATE} or a file it names cannot be read
     */
    public Checkpoint load() throws IOException {
        if (!exists()) {
            return null;
        }
        JsonNode s = JSON.readTree(dir.resolve(STATE).toFile());
        String run = s.get("run").asText();
        List<EpochRecord> metrics = MetricsCsvReader.read(dir.resolve(s.get("metrics").asText()));
        List<EpochRecord> own = metrics.stream().filter(r -> r.run().equals(run)).toList();
        TrainingRun.Resume at = new TrainingRun.Resume(
                new ShufflingDataSetIterator.Position(s.get("data_pass").asLong(), s.get("data_cursor").asInt()),
                new EpTrainingListener.Progress(own, s.get("online_errors").asLong(), s.get("online_examples").asLong(),
                        s.get("residual_sum").asDouble(), s.get("residual_count").asLong(),
                        s.get("epoch_seconds").asDouble()));
        return new Checkpoint(run, s.get("batches").asLong(), at, metrics, file(s, "model"), file(s, "corrections"));
    }

    private Path file(JsonNode state, String field) {
        JsonNode name = state.get(field);
        return name == null || name.isNull() ? null : dir.resolve(name.asText());
    }

    /** Deletes the checkpoint (when its run completed, or before a run starts over). */
    void clear() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.delete(dir);
    }
}
