package org.eqp.dl4j;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.eqp.dl4j.conf.EpParamInitializer;
import org.eqp.dl4j.layers.EpLayerRuntime;
import org.eqp.learning.ParticleStore;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DL4J's {@link ModelSerializer} plus what it cannot see: the persistent particles of EP layers, so that training
 * resumed from a model file continues exactly, particles included.
 *
 * <p>What carries what, for a network with {@link org.eqp.dl4j.conf.EpOutputLayer}s:
 * <ul>
 *   <li>Weights, biases and the random-sign state are parameters: {@code ModelSerializer}, {@code clone()},
 *       {@code InMemoryModelSaver}, {@code ParallelWrapper}'s worker copies and anything else that copies
 *       {@code params()} carry them.</li>
 *   <li>Persistent particles live in the layer ({@link EpLayerRuntime#particles()}), keyed by the features of each
 *       training example (the network's input, {@link ParticleKeys}). {@link #writeModel} saves them as the entry {@value #PARTICLES_KEY} of the model file
 *       ({@link ModelSerializer#addObjectToFile}); {@link #restoreMultiLayerNetwork}, {@link #restoreComputationGraph}
 *       and {@link #restoreParticles} read them back; {@link #copyParticles} copies them into a {@code clone()}.
 *       Nothing else carries them: DL4J's own {@code ModelSerializer} and {@code clone()} (and so
 *       {@code InMemoryModelSaver} and {@code ParallelWrapper}, whose workers are clones) start with no particles, so
 *       their first epoch starts each example's free phase from zero states.</li>
 * </ul>
 * Layers are matched by name (in a {@code MultiLayerNetwork} DL4J names them {@code layer0}, {@code layer1}, ...).
 *
 * <p>Model files written before EP layers kept the random-sign state lack its parameters: DL4J's
 * {@code ModelSerializer} refuses them ("Invalid parameters: expected length ..."), this class's restore methods read
 * them with the state at 0 draws.
 */
public final class EpModelSerializer {
    private static final Logger log = LoggerFactory.getLogger(EpModelSerializer.class);
    /** The key of the particles among the model file's objects. */
    public static final String PARTICLES_KEY = "eqpParticles";
    /** Where {@link ModelSerializer#addObjectToFile} puts an object in the zip. */
    private static final String OBJECT_ENTRY_PREFIX = "objects/";

    /** One EP layer's particles, by layer name. */
    private record LayerParticles(String layer, ParticleStore.Snapshot particles) implements Serializable {
    }

    /** The classes a particles entry may contain; reading rejects anything else. */
    private static final Set<Class<?>> PARTICLE_CLASSES = Set.of(LayerParticles[].class, LayerParticles.class,
            ParticleStore.Snapshot.class, String.class, long[].class, float[].class);

    private EpModelSerializer() {
    }

    /**
     * {@link ModelSerializer#writeModel(Model, File, boolean)}, then {@link #addParticles}.
     *
     * @param model a {@code MultiLayerNetwork} or {@code ComputationGraph}
     */
    public static void writeModel(Model model, File file, boolean saveUpdater) throws IOException {
        ModelSerializer.writeModel(model, file, saveUpdater);
        addParticles(model, file);
    }

    /**
     * Adds the particles of the model's EP layers to a model file written by {@code ModelSerializer}; adds nothing when
     * no EP layer holds particles, so the file stays what {@code ModelSerializer} wrote.
     *
     * @throws IllegalStateException if the file already holds particles (DL4J would fail half-way through rewriting it)
     */
    public static void addParticles(Model model, File file) {
        List<LayerParticles> saved = new ArrayList<>();
        for (Layer layer : layers(model)) {
            if (layer instanceof EpLayerRuntime ep && ep.particles().size() > 0) {
                saved.add(new LayerParticles(name(layer), ep.particles().snapshot()));
            }
        }
        if (saved.isEmpty()) {
            return;
        }
        if (ModelSerializer.listObjectsInFile(file).contains(PARTICLES_KEY)) {
            throw new IllegalStateException(file + " already holds EP particles; write the model again with writeModel "
                    + "instead of adding them twice");
        }
        ModelSerializer.addObjectToFile(file, PARTICLES_KEY, saved.toArray(LayerParticles[]::new));
    }

    /**
     * {@link ModelSerializer#restoreMultiLayerNetwork(File, boolean)}, then {@link #restoreParticles}, the particles
     * keyed by the network's input ({@link ParticleKeys}). Also reads model files written before EP layers kept their
     * random-sign state (see {@link #restoreWithoutSignState}).
     */
    public static MultiLayerNetwork restoreMultiLayerNetwork(File file, boolean loadUpdater) throws IOException {
        MultiLayerNetwork net;
        try {
            net = ModelSerializer.restoreMultiLayerNetwork(file, loadUpdater);
        } catch (IllegalArgumentException e) {
            net = restoreWithoutSignState(file, loadUpdater,
                    json -> new MultiLayerNetwork(MultiLayerConfiguration.fromJson(json)), e);
        }
        restoreParticles(net, file);
        return ParticleKeys.fromNetworkInput(net);
    }

    /**
     * {@link ModelSerializer#restoreComputationGraph(File, boolean)}, then {@link #restoreParticles}, the particles
     * keyed by the graph's inputs ({@link ParticleKeys}). Also reads model files written before EP layers kept their
     * random-sign state (see {@link #restoreWithoutSignState}).
     */
    public static ComputationGraph restoreComputationGraph(File file, boolean loadUpdater) throws IOException {
        ComputationGraph graph;
        try {
            graph = ModelSerializer.restoreComputationGraph(file, loadUpdater);
        } catch (IllegalArgumentException e) {
            graph = restoreWithoutSignState(file, loadUpdater,
                    json -> new ComputationGraph(ComputationGraphConfiguration.fromJson(json)), e);
        }
        restoreParticles(graph, file);
        return ParticleKeys.fromNetworkInput(graph);
    }

    /**
     * A model file written before EP layers kept their random-sign state ({@link EpParamInitializer#SIGN_DRAWS}): the
     * same parameters in the same order, but each EP layer's four state entries missing. DL4J refuses it for its
     * length; this reads it with the state at 0 draws, so training from it restarts the sign sequence (not the exact
     * continuation of the run that wrote it). The updater state needs no change: the state has the NoOp updater, which
     * keeps none.
     *
     * @param dl4jFailure what DL4J threw on the file, rethrown when the file is not such a file
     */
    private static <M extends Model> M restoreWithoutSignState(File file, boolean loadUpdater,
            Function<String, M> fromConfiguration, IllegalArgumentException dl4jFailure) throws IOException {
        try (ZipFile zip = new ZipFile(file)) {
            ZipEntry configuration = zip.getEntry(ModelSerializer.CONFIGURATION_JSON);
            ZipEntry coefficients = zip.getEntry(ModelSerializer.COEFFICIENTS_BIN);
            if (configuration == null || coefficients == null) {
                throw dl4jFailure;
            }
            M model = fromConfiguration.apply(new String(zip.getInputStream(configuration).readAllBytes(),
                    StandardCharsets.UTF_8));
            model.init();
            INDArray saved = readArray(zip, coefficients).reshape(-1);
            INDArray params = model.params().reshape(-1);
            long stateEntries = 0;
            for (Layer layer : layers(model)) {
                if (layer instanceof EpLayerRuntime) {
                    stateEntries += layer.getParam(EpParamInitializer.SIGN_DRAWS).length();
                }
            }
            if (stateEntries == 0 || saved.length() != params.length() - stateEntries) {
                throw dl4jFailure; // no EP layer, or the file holds another network
            }
            long from = 0; // walks the saved parameters
            long to = 0; // walks the model's
            for (Layer layer : layers(model)) {
                for (Map.Entry<String, INDArray> param : layer.paramTable().entrySet()) {
                    long n = param.getValue().length();
                    if (!(layer instanceof EpLayerRuntime && param.getKey().equals(EpParamInitializer.SIGN_DRAWS))) {
                        params.get(NDArrayIndex.interval(to, to + n))
                                .assign(saved.get(NDArrayIndex.interval(from, from + n)));
                        from += n;
                    }
                    to += n;
                }
            }
            ZipEntry updater = zip.getEntry(ModelSerializer.UPDATER_BIN);
            if (loadUpdater && updater != null) {
                INDArray state = readArray(zip, updater);
                if (model instanceof MultiLayerNetwork net) {
                    net.getUpdater().setStateViewArray(net, state, false);
                } else {
                    ((ComputationGraph) model).getUpdater().setStateViewArray(state);
                }
            }
            log.warn("{} was written before EP layers kept their random-sign state; read with the state at 0 draws, so "
                    + "training from it restarts the sign sequence. Save it again to keep the state from now on.",
                    file);
            return model;
        }
    }

    private static INDArray readArray(ZipFile zip, ZipEntry entry) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(zip.getInputStream(entry)))) {
            return Nd4j.read(in);
        }
    }

    /**
     * Replaces the particles of each EP layer saved in the file by the saved ones; EP layers the file has no particles
     * for keep theirs (a freshly restored network: none).
     *
     * @throws IllegalArgumentException if the file holds particles for a layer the model does not have as an EP layer
     */
    public static void restoreParticles(Model model, File file) throws IOException {
        for (LayerParticles saved : readParticles(file)) {
            layerNamed(model, saved.layer(), "the particles in " + file).particles().restore(saved.particles());
        }
    }

    /**
     * Gives every EP layer of {@code target} the particles of the same-named layer of {@code source}, e.g. after
     * {@code target = source.clone()}, which copies parameters only, and keys them by {@code target}'s input
     * ({@link ParticleKeys}).
     *
     * @throws IllegalArgumentException if {@code source} lacks an EP layer of {@code target}
     */
    public static void copyParticles(Model source, Model target) {
        for (Layer layer : layers(target)) {
            if (layer instanceof EpLayerRuntime ep) {
                ep.particles().restore(layerNamed(source, name(layer), "the copy").particles().snapshot());
            }
        }
        ParticleKeys.fromNetworkInput(target);
    }

    private static LayerParticles[] readParticles(File file) throws IOException {
        try (ZipFile zip = new ZipFile(file)) {
            ZipEntry entry = zip.getEntry(OBJECT_ENTRY_PREFIX + PARTICLES_KEY);
            if (entry == null) {
                return new LayerParticles[0];
            }
            try (ObjectInputStream in = new ObjectInputStream(new BufferedInputStream(zip.getInputStream(entry)))) {
                in.setObjectInputFilter(info -> info.serialClass() == null
                        || PARTICLE_CLASSES.contains(info.serialClass()) ? ObjectInputFilter.Status.UNDECIDED
                        : ObjectInputFilter.Status.REJECTED);
                return (LayerParticles[]) in.readObject();
            } catch (ClassNotFoundException | ClassCastException | InvalidClassException e) {
                throw new IOException(file + ": the entry " + entry.getName() + " does not hold EP particles saved by "
                        + "EpModelSerializer", e);
            }
        }
    }

    private static EpLayerRuntime layerNamed(Model model, String name, String what) {
        for (Layer layer : layers(model)) {
            if (layer instanceof EpLayerRuntime ep && name.equals(name(layer))) {
                return ep;
            }
        }
        throw new IllegalArgumentException(what + " belong to an EP layer named '" + name + "', which this "
                + model.getClass().getSimpleName()
                + " does not have; restore them into the network they were saved from");
    }

    private static String name(Layer layer) {
        String name = layer.conf().getLayer().getLayerName();
        return name != null ? name : "index " + layer.getIndex();
    }

    private static Layer[] layers(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            return net.getLayers();
        }
        if (model instanceof ComputationGraph graph) {
            return graph.getLayers();
        }
        throw new IllegalArgumentException("EpModelSerializer handles MultiLayerNetwork and ComputationGraph; got "
                + model.getClass().getName());
    }
}
