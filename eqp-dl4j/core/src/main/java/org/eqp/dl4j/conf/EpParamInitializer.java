package org.eqp.dl4j.conf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.eqp.dynamics.NetworkParams;
import org.eqp.dynamics.FloatView;
import org.eqp.topology.Block;
import org.eqp.topology.Topology;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Lays out an EP layer's parameters in DL4J's flat parameter vector: for each block k (in topology order) its weights
 * {@code W<k>} ([size(from), size(to)], 'f' order), followed by the bias {@code b<to>} ([1, size(to)]) of the block's
 * upper layer the first time that layer appears; with a softmax readout ({@link EpOutputLayer#softmaxReadout()}) then
 * its weights {@link #READOUT_WEIGHTS} ([size(N), nOut], N the last relaxing layer, 'f' order) and bias {@link
 * #READOUT_BIAS} ([1, nOut]); last, the random-sign state {@link #SIGN_DRAWS} ([1, 4]). Keys have no underscore (DL4J
 * splits gradient keys on the last one). Keeping W_k next to the bias it shares a learning rate with lets DL4J's
 * updater group them.
 *
 * <p>Initialization: weights of adjacent-layer blocks from the layer's weight init with fanIn = size(from),
 * fanOut = size(to) (default Xavier uniform = Glorot U[±sqrt(6/(fanIn+fanOut))]); weights of layer-skipping and
 * intralayer blocks U[-a, a] with a = {@link EpLayerConf#effectiveSkipInitScale()} (Gammell et al. 2021), intralayer
 * ones mirrored to one weight per pair; entries without a connection zero; the readout weights from the weight init
 * with fanIn = size(N), fanOut = nOut; biases (the readout's too) = the layer's bias init (default 0); the random-sign state 0.
 */
public final class EpParamInitializer implements ParamInitializer {
    private static final EpParamInitializer INSTANCE = new EpParamInitializer();

    public static EpParamInitializer getInstance() {
        return INSTANCE;
    }

    /**
     * Key of the random-sign state: the number of random signs of beta the layer has drawn, the index of its next draw
     * ({@link org.eqp.learning.RandomBetaSign}), as a 64-bit count in four floats of 16 bits each, least significant
     * first (float32 holds integers exactly only up to 2^24). Being a parameter, it travels with the weights through
     * {@code ModelSerializer}, {@code clone()} and every other copy of the network's parameters. It is never trained:
     * its gradient is zero, the layer gives it DL4J's NoOp updater, and as neither a weight nor a bias it gets no
     * regularization. Model files written before it existed lack these four entries.
     */
    public static final String SIGN_DRAWS = "signDraws";
    private static final int SIGN_DRAW_CHUNKS = 4;
    private static final int CHUNK_BITS = 16;
    private static final long CHUNK_MASK = (1L << CHUNK_BITS) - 1;

    /** Key of the softmax readout's weights R [size(N), nOut] (only with {@link EpOutputLayer#softmaxReadout()}). */
    public static final String READOUT_WEIGHTS = "Wout";
    /** Key of the softmax readout's bias c [1, nOut] (only with {@link EpOutputLayer#softmaxReadout()}). */
    public static final String READOUT_BIAS = "bout";

    /** Whether {@code key} is one of the softmax readout's parameters. */
    public static boolean isReadoutParam(String key) {
        return READOUT_WEIGHTS.equals(key) || READOUT_BIAS.equals(key);
    }

    /** Whether {@code key} is a weight W_k or a bias b_l of the energy (neither the readout nor the sign state). */
    public static boolean isEnergyParam(String key) {
        return !isReadoutParam(key) && !SIGN_DRAWS.equals(key);
    }

    /** Parameter key of the weights of block k. */
    public static String weightKey(int block) {
        return "W" + block;
    }

    /** Parameter key of the bias of layer l (l ≥ 1). */
    public static String biasKey(int layer) {
        return "b" + layer;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        EpLayerConf ep = epLayer(layer);
        return ep.topology().numParams() + readoutParams(ep) + SIGN_DRAW_CHUNKS;
    }

    /** The softmax readout's parameter count: (size(N) + 1) * nOut, or 0 without a readout. */
    private static long readoutParams(EpLayerConf layer) {
        if (!layer.softmaxReadout()) {
            return 0;
        }
        Topology topology = layer.topology();
        return (topology.size(topology.outputLayer()) + 1L) * layer.getNOut();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        List<String> keys = new ArrayList<>();
        layout(epLayer(layer), (key, offset, shape) -> keys.add(key));
        return keys;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < topology(layer).blocks().size(); k++) {
            keys.add(weightKey(k));
        }
        if (epLayer(layer).softmaxReadout()) {
            keys.add(READOUT_WEIGHTS);
        }
        return keys;
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        List<String> keys = new ArrayList<>();
        for (int l = 1; l < topology(layer).numLayers(); l++) {
            keys.add(biasKey(l));
        }
        if (epLayer(layer).softmaxReadout()) {
            keys.add(READOUT_BIAS);
        }
        return keys;
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return isWeightKey(key);
    }

    /** Whether a parameter key names a block's weights ("W" + block index). */
    static boolean isWeightKey(String key) {
        return key.startsWith("W");
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return key.startsWith("b");
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        EpLayerConf layerConf = epLayer(conf.getLayer());
        Topology topology = layerConf.topology();
        Map<String, INDArray> params = views(layerConf, paramsView);
        if (initializeParams) {
            IWeightInit weightInit = layerConf.getWeightInitFn();
            double skipScale = layerConf.effectiveSkipInitScale();
            for (int k = 0; k < topology.blocks().size(); k++) {
                Block b = topology.blocks().get(k);
                INDArray w = params.get(weightKey(k));
                if (b.adjacent()) {
                    weightInit.init(topology.size(b.from()), topology.size(b.to()), w.shape(), 'f', w);
                } else {
                    w.assign(Nd4j.rand(w.dataType(), w.shape()).muli(2 * skipScale).subi(skipScale));
                }
                if (b.intralayer()) {
                    mirrorUpperTriangle(FloatView.of(w), topology.size(b.from()));
                }
                if (!b.dense()) {
                    FloatView.of(w).multiplyElementwise(b.mask().toFortranOrderFloats());
                }
            }
            for (int l = 1; l < topology.numLayers(); l++) {
                params.get(biasKey(l)).assign(layerConf.getBiasInit());
            }
            if (layerConf.softmaxReadout()) {
                INDArray r = params.get(READOUT_WEIGHTS);
                weightInit.init(r.size(0), r.size(1), r.shape(), 'f', r);
                params.get(READOUT_BIAS).assign(layerConf.getBiasInit());
            }
            setSignDraws(params, 0);
        }
        return params;
    }

    /**
     * The random-sign state in a parameter table: the number of signs drawn so far.
     *
     * @throws IllegalStateException if the parameter does not hold a count (it was set by hand, or trained)
     */
    public static long signDraws(Map<String, INDArray> params) {
        FloatView chunks = FloatView.of(params.get(SIGN_DRAWS));
        long draws = 0;
        for (int i = 0; i < SIGN_DRAW_CHUNKS; i++) {
            float v = chunks.get(i);
            if (!(v >= 0 && v <= CHUNK_MASK)) {
                throw new IllegalStateException("the EP layer's parameter '" + SIGN_DRAWS + "' (the random-sign "
                        + "state) holds " + v + " in entry " + i + ", not a 16-bit count: only the layer writes it; "
                        + "restore it with the rest of the parameters from the same model, or set it to 0 to restart "
                        + "the sign sequence");
            }
            // Math.round: parameter averaging over workers (ParallelWrapper) may leave a count between two integers
            draws |= (Math.round(v) & CHUNK_MASK) << (CHUNK_BITS * i);
        }
        return draws;
    }

    /** Sets the random-sign state in a parameter table to {@code draws} (≥ 0) signs drawn. */
    public static void setSignDraws(Map<String, INDArray> params, long draws) {
        if (draws < 0) {
            throw new IllegalArgumentException("the number of random signs drawn must be >= 0; got " + draws);
        }
        FloatView chunks = FloatView.of(params.get(SIGN_DRAWS));
        for (int i = 0; i < SIGN_DRAW_CHUNKS; i++) {
            chunks.set(i, (draws >>> (CHUNK_BITS * i)) & CHUNK_MASK);
        }
    }

    /** W[j][i] = W[i][j] for i &lt; j, on an n x n 'f'-order matrix: one weight per pair of units. */
    private static void mirrorUpperTriangle(FloatView w, int n) {
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < j; i++) {
                w.set(i * n + j, w.get(j * n + i));
            }
        }
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views(epLayer(conf.getLayer()), gradientView);
    }

    /** The parameters (or gradients) in {@code table} as the relaxation's view of them. */
    public static NetworkParams asNetworkParams(Topology topology, Map<String, INDArray> table) {
        INDArray[] weights = new INDArray[topology.blocks().size()];
        INDArray[] biases = new INDArray[topology.numLayers()];
        for (int k = 0; k < weights.length; k++) {
            weights[k] = table.get(weightKey(k));
        }
        for (int l = 1; l < biases.length; l++) {
            biases[l] = table.get(biasKey(l));
        }
        return new NetworkParams(topology, weights, biases);
    }

    private static Map<String, INDArray> views(EpLayerConf layer, INDArray flat) {
        Topology topology = layer.topology();
        long needed = topology.numParams() + readoutParams(layer) + SIGN_DRAW_CHUNKS;
        if (flat.length() != needed) {
            throw new IllegalArgumentException("EP parameter vector has " + flat.length() + " entries; layer sizes "
                    + java.util.Arrays.toString(topology.layerSizes()) + " need " + needed + " (weights and biases, "
                    + (layer.softmaxReadout() ? "the softmax readout's " + readoutParams(layer) + " (cross-entropy with "
                    + "softmax; model files written before the readout existed lack them: retrain), " : "")
                    + "then " + SIGN_DRAW_CHUNKS + " for the random-sign state '" + SIGN_DRAWS + "', which model files "
                    + "written before it existed lack: read those with EpModelSerializer)");
        }
        INDArray row = flat.reshape(1, flat.length());
        Map<String, INDArray> views = new LinkedHashMap<>();
        layout(layer, (key, offset, shape) -> {
            long length = shape[0] * shape[1];
            INDArray slice = row.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(offset, offset + length));
            views.put(key, slice.reshape('f', shape[0], shape[1]));
        });
        return Collections.unmodifiableMap(views);
    }

    private interface Slot {
        void accept(String key, long offset, long[] shape);
    }

    private static void layout(EpLayerConf layer, Slot slot) {
        Topology topology = layer.topology();
        boolean[] biasPlaced = new boolean[topology.numLayers()];
        long offset = 0;
        for (int k = 0; k < topology.blocks().size(); k++) {
            Block b = topology.blocks().get(k);
            long[] wShape = {topology.size(b.from()), topology.size(b.to())};
            slot.accept(weightKey(k), offset, wShape);
            offset += wShape[0] * wShape[1];
            if (!biasPlaced[b.to()]) {
                slot.accept(biasKey(b.to()), offset, new long[] {1, topology.size(b.to())});
                offset += topology.size(b.to());
                biasPlaced[b.to()] = true;
            }
        }
        for (int l = 1; l < topology.numLayers(); l++) {
            if (!biasPlaced[l]) {
                slot.accept(biasKey(l), offset, new long[] {1, topology.size(l)});
                offset += topology.size(l);
            }
        }
        if (layer.softmaxReadout()) {
            long units = topology.size(topology.outputLayer());
            long classes = layer.getNOut();
            slot.accept(READOUT_WEIGHTS, offset, new long[] {units, classes});
            offset += units * classes;
            slot.accept(READOUT_BIAS, offset, new long[] {1, classes});
            offset += classes;
        }
        slot.accept(SIGN_DRAWS, offset, new long[] {1, SIGN_DRAW_CHUNKS});
    }

    private static Topology topology(Layer layer) {
        return epLayer(layer).topology();
    }

    private static EpLayerConf epLayer(Layer layer) {
        if (!(layer instanceof EpLayerConf ep)) {
            throw new IllegalArgumentException("EpParamInitializer serves the EP layers (EpOutputLayer, EpLayer) only; got "
                    + layer.getClass().getName());
        }
        return ep;
    }

    /**
     * Runs DL4J's {@code initializeConstraints} for the constraints set on an EP layer's own builder (the parameter
     * keys depend on the topology, so nIn and nOut must be known then).
     *
     * @param initialize the layer's {@code initializeConstraints(builder)}
     */
    static void initializeBuilderConstraints(EpLayerConf layer, org.deeplearning4j.nn.conf.layers.Layer.Builder<?> builder,
                                             Runnable initialize) {
        if (builder.getAllParamConstraints() == null && builder.getWeightConstraints() == null
                && builder.getBiasConstraints() == null) {
            return;
        }
        if (layer.getNIn() < 1 || layer.getNOut() < 1) {
            throw new IllegalArgumentException("constraints on an EP layer's builder need its nIn and nOut (the "
                    + "parameter keys depend on the topology): set them, or constrain on the network's builder");
        }
        initialize.run();
    }

    /** Rejects dropout and weight noise, which the relaxation has no place for. */
    static void rejectNoise(org.deeplearning4j.nn.conf.layers.BaseLayer layer, int layerIndex) {
        if (layer.getIDropout() != null || layer.getWeightNoise() != null) {
            throw new IllegalArgumentException(layer.getClass().getSimpleName() + " does not support dropout or weight "
                    + "noise; remove them from layer " + layerIndex);
        }
    }
}
