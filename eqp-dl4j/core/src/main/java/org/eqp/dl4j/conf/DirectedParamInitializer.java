package org.eqp.dl4j.conf;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.eqp.directed.DirectedGraph;
import org.eqp.directed.DirectedNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameters of a {@link DirectedEpOutputLayer}: {@code W} [N, N] ('f' order; W_ij = edge i &rarr; j, biases in the
 * bias unit's row nIn) and {@code M} [N, N], 1 where the edge exists (never trained). N = nIn + 1 + hidden + nOut.
 * Initialization: W ~ N(0, initSigma^2) on every edge of the layer's starting graph, seeded by the configuration's
 * seed ({@link DirectedNetwork#random}); M that graph.
 */
public final class DirectedParamInitializer implements ParamInitializer {
    public static final String WEIGHTS = "W";
    public static final String MASK = "M";
    private static final DirectedParamInitializer INSTANCE = new DirectedParamInitializer();

    public static DirectedParamInitializer getInstance() {
        return INSTANCE;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        long n = graph(layer).size();
        return 2 * n * n;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return List.of(WEIGHTS, MASK);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(WEIGHTS);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHTS.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return false;
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        DirectedEpOutputLayer layer = (DirectedEpOutputLayer) conf.getLayer();
        DirectedGraph graph = layer.graph();
        Map<String, INDArray> views = views(graph.size(), paramsView);
        if (initializeParams) {
            int n = graph.size();
            INDArray w = views.get(WEIGHTS);
            INDArray m = views.get(MASK);
            DirectedNetwork start = DirectedNetwork.random(graph, layer.getInitSigma(), conf.getSeed());
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    w.putScalar(i, j, start.weight(i, j));
                    m.putScalar(i, j, graph.edge(i, j) ? 1 : 0);
                }
            }
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views(((DirectedEpOutputLayer) conf.getLayer()).graph().size(), gradientView);
    }

    private static Map<String, INDArray> views(int n, INDArray flat) {
        long length = (long) n * n;
        if (flat.length() != 2 * length) {
            throw new IllegalArgumentException("directed EP parameters need " + 2 * length + " entries; got "
                    + flat.length());
        }
        INDArray row = flat.reshape(1, flat.length());
        Map<String, INDArray> views = new LinkedHashMap<>();
        views.put(WEIGHTS, row.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(0, length))
                .reshape('f', n, n));
        views.put(MASK, row.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(length, 2 * length))
                .reshape('f', n, n));
        return views;
    }

    private static DirectedGraph graph(Layer layer) {
        if (!(layer instanceof DirectedEpOutputLayer d)) {
            throw new IllegalArgumentException("DirectedParamInitializer serves DirectedEpOutputLayer only; got "
                    + layer.getClass().getName());
        }
        return d.graph();
    }
}
