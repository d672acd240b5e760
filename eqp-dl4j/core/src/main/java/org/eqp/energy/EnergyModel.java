package org.eqp.energy;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.eqp.dynamics.NudgeForce;
import org.eqp.learning.EpSettings;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * A {@link SameDiffEnergy} trained by EP, SameDiff-native: {@link #fit} on a {@code DataSetIterator} with any ND4J
 * {@link IUpdater} (each variable has its own updater state; the EP gradient is divided by the batch size, DL4J's
 * convention), {@link #output}, {@link #evaluate}, and {@link #save} / {@link #load} of the graph, its parameters, the
 * settings, the loss, the updater and its state, and the step count (so a loaded model trains on exactly as the saved
 * one would have).
 *
 * <p>The loss sets the nudge ({@link NudgeForce#forLoss}): {@code LossL2} with the identity is the papers'
 * C = ||y - s_y||^2 on the output group.
 */
public final class EnergyModel {
    private static final String GRAPH = "graph.sd";
    private static final String CONFIG = "model.json";
    private static final String STATE = "updater-state.bin";
    private final SameDiffEnergy energy;
    private final Config config;
    private final EnergyPropagation ep;
    private final Map<String, GradientUpdater<?>> updaters = new LinkedHashMap<>();
    private final Map<String, INDArray> updaterState = new LinkedHashMap<>();
    private long steps;
    private int epochs;

    /** What {@link #save} writes besides the graph. */
    private record Config(List<String> states, String input, String energy, EpSettings settings, ILossFunction loss,
                          IActivation activation, IUpdater updater, long seed, long steps, int epochs) {
    }

    /**
     * @param loss       the output loss (its gradient is the nudge), e.g. {@code new LossL2()}
     * @param activation the output activation the loss sees, e.g. identity
     * @param updater    the update rule of every variable, e.g. {@code new Sgd(0.1)} or {@code new Adam(1e-3)}
     * @param seed       seeds beta's random sign
     */
    public EnergyModel(SameDiffEnergy energy, EpSettings settings, ILossFunction loss, IActivation activation,
                       IUpdater updater, long seed) {
        this(energy, new Config(energy.stateNames(), energy.inputName(), energy.energyName(), settings, loss, activation, updater,
                seed, 0, 0), null);
    }

    private EnergyModel(SameDiffEnergy energy, Config config, INDArray savedState) {
        this.energy = energy;
        this.config = config;
        this.ep = new EnergyPropagation(energy, config.settings(),
                NudgeForce.forLoss(config.loss(), config.activation(), energy.outputSize()), config.seed());
        this.steps = config.steps();
        this.epochs = config.epochs();
        long offset = 0;
        for (String name : energy.parameterNames()) {
            INDArray param = energy.graph().getVariable(name).getArr();
            long size = config.updater().stateSize(param.length());
            INDArray state = savedState != null && size > 0
                    ? savedState.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(offset, offset + size)).dup()
                            .reshape(1, size)
                    : Nd4j.zeros(param.dataType(), 1, Math.max(size, 1));
            offset += size;
            updaterState.put(name, state);
            updaters.put(name, config.updater().instantiate(size > 0 ? state : null, savedState == null));
        }
    }

    public SameDiffEnergy energy() {
        return energy;
    }

    /** Training steps (batches) so far. */
    public long steps() {
        return steps;
    }

    /**
     * Trains for {@code epochs} passes over the data: per batch the free phase, the nudged phase(s), the EP gradient
     * of every variable, its batch mean through the updater.
     *
     * @throws IllegalArgumentException for features or labels of the wrong shape, NaN/Inf features, labels the loss
     *                                  cannot take
     */
    public void fit(DataSetIterator data, int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1; got " + epochs);
        }
        for (int e = 0; e < epochs; e++) {
            data.reset();
            while (data.hasNext()) {
                DataSet batch = data.next();
                fitBatch(batch.getFeatures(), batch.getLabels());
            }
            this.epochs++;
        }
    }

    private void fitBatch(INDArray features, INDArray labels) {
        EnergyPropagation.Step step = ep.trainingStep(energy.toInput(features), labels, steps);
        double perExample = 1.0 / features.size(0);
        for (String name : energy.parameterNames()) {
            INDArray param = energy.graph().getVariable(name).getArr();
            INDArray update = step.gradients().get(name).muli(perExample).reshape(1, param.length()).dup('c');
            updaters.get(name).applyUpdater(update, (int) steps, epochs);
            param.subi(update.reshape(param.shape()));
        }
        steps++;
    }

    /** The output group at the free equilibrium, [batch, nOut], a new array; features as {@link SameDiffEnergy#toInput}. */
    public INDArray output(INDArray features) {
        return ep.freePhase(energy.toInput(features)).dup('c');
    }

    /** Classification metrics of the free-phase outputs (argmax against the one-hot labels). */
    public Evaluation evaluate(DataSetIterator data) {
        Evaluation evaluation = new Evaluation();
        data.reset();
        while (data.hasNext()) {
            DataSet batch = data.next();
            evaluation.eval(batch.getLabels(), output(batch.getFeatures()));
        }
        return evaluation;
    }

    /**
     * Writes the model to a zip (written to a temporary file beside it and moved into place, so a failure leaves any
     * previous file intact).
     */
    public void save(File file) throws IOException {
        Path target = file.toPath().toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
            zip.putNextEntry(new ZipEntry(GRAPH));
            Path graph = Files.createTempFile("energy", ".sd");
            try {
                energy.graph().save(graph.toFile(), true);
                Files.copy(graph, zip);
            } finally {
                Files.deleteIfExists(graph);
            }
            zip.putNextEntry(new ZipEntry(CONFIG));
            Config now = new Config(energy.stateNames(), energy.inputName(), config.energy(), config.settings(),
                    config.loss(), config.activation(), config.updater(), config.seed(), steps, epochs);
            zip.write(mapper().writeValueAsBytes(now));
            zip.putNextEntry(new ZipEntry(STATE));
            List<INDArray> states = new ArrayList<>();
            for (String name : energy.parameterNames()) {
                if (config.updater().stateSize(energy.graph().getVariable(name).getArr().length()) > 0) {
                    states.add(updaterState.get(name).reshape(-1));
                }
            }
            INDArray all = states.isEmpty() ? Nd4j.zeros(1) : Nd4j.concat(0, states.toArray(new INDArray[0]));
            Nd4j.write(all, new java.io.DataOutputStream(nonClosing(zip)));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads a model written by {@link #save}.
     *
     * @throws IOException when the file is missing or not an energy model
     */
    public static EnergyModel load(File file) throws IOException {
        if (!file.isFile()) {
            throw new IOException("no energy model at " + file + "; write one with EnergyModel.save");
        }
        try (ZipFile zip = new ZipFile(file)) {
            if (zip.getEntry(GRAPH) == null || zip.getEntry(CONFIG) == null) {
                throw new IOException(file + " is not an energy model (it lacks " + GRAPH + " or " + CONFIG + ")");
            }
            Config config = mapper().readValue(zip.getInputStream(zip.getEntry(CONFIG)), Config.class);
            SameDiff sd;
            try (InputStream in = zip.getInputStream(zip.getEntry(GRAPH))) {
                sd = SameDiff.load(in, true);
            }
            INDArray state;
            try (InputStream in = zip.getInputStream(zip.getEntry(STATE))) {
                state = Nd4j.read(new java.io.DataInputStream(in));
            }
            SameDiffEnergy energy = SameDiffEnergy.builder(sd).input(config.input())
                    .states(config.states().toArray(new String[0])).energy(config.energy()).build();
            return new EnergyModel(energy, config, state);
        }
    }

    private static ObjectMapper mapper() {
        return NeuralNetConfiguration.mapper();
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
