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
 * Lays out an EP layer's parameters in DL4J's flat parameter vector: for each block k (in topology order) its
 * weights {@code W<k>} ([size(from), size(to)], 'f' order), followed by the bias {@code b<to>} ([1, size(to)]) of
 * the block's upper layer the first time that layer appears. Keys have no underscore (DL4J splits gradient keys
 * on the last one). Keeping W_k next to the bias it shares a learning rate with lets DL4J's updater group them.
 *
 * <p>Initialization (DESIGN.md §3): weights of adjacent-layer blocks from the layer's weight init with
 * fanIn = size(from), fanOut = size(to) (default Xavier uniform = Glorot U[±sqrt(6/(fanIn+fanOut))]); weights of
 * layer-skipping and intralayer blocks U[-a, a] with a = {@link EpOutputLayer#effectiveSkipInitScale()}, intralayer
 * ones mirrored to one weight per pair; entries without a connection zero; biases = the layer's bias init (default 0).
 */
public final class EpParamInitializer implements ParamInitializer {
    private static final EpParamInitializer INSTANCE = new EpParamInitializer();

    public static EpParamInitializer getInstance() {
        return INSTANCE;
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
        return topology(layer).numParams();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        List<String> keys = new ArrayList<>();
        layout(topology(layer), (key, offset, shape) -> keys.add(key));
        return keys;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < topology(layer).blocks().size(); k++) {
            keys.add(weightKey(k));
        }
        return keys;
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        List<String> keys = new ArrayList<>();
        for (int l = 1; l < topology(layer).numLayers(); l++) {
            keys.add(biasKey(l));
        }
        return keys;
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return key.startsWith("W");
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return key.startsWith("b");
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        EpOutputLayer layerConf = (EpOutputLayer) conf.getLayer();
        Topology topology = layerConf.topology();
        Map<String, INDArray> params = views(topology, paramsView);
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
        }
        return params;
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
        return views(((EpOutputLayer) conf.getLayer()).topology(), gradientView);
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

    private static Map<String, INDArray> views(Topology topology, INDArray flat) {
        if (flat.length() != topology.numParams()) {
            throw new IllegalArgumentException("EP parameter vector has " + flat.length() + " entries; topology "
                    + topology + " needs " + topology.numParams());
        }
        INDArray row = flat.reshape(1, flat.length());
        Map<String, INDArray> views = new LinkedHashMap<>();
        layout(topology, (key, offset, shape) -> {
            long length = shape[0] * shape[1];
            INDArray slice = row.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(offset, offset + length));
            views.put(key, slice.reshape('f', shape[0], shape[1]));
        });
        return Collections.unmodifiableMap(views);
    }

    private interface Slot {
        void accept(String key, long offset, long[] shape);
    }

    private static void layout(Topology topology, Slot slot) {
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
    }

    private static Topology topology(Layer layer) {
        if (!(layer instanceof EpOutputLayer ep)) {
            throw new IllegalArgumentException("EpParamInitializer serves EpOutputLayer only; got " + layer.getClass().getName());
        }
        return ep.topology();
    }
}
