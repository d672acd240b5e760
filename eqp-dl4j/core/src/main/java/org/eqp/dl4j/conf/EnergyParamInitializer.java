package org.eqp.dl4j.conf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.eqp.energy.SameDiffEnergy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Lays out an {@link EnergyEpOutputLayer}'s parameters in DL4J's flat parameter vector: the energy's SameDiff
 * variables in the graph's order, each flattened in 'c' order under its own name; initial values are the energy's
 * own (its definition draws them from the network's seed). Every variable counts as a weight (so DL4J's
 * regularization applies to all of them).
 */
public final class EnergyParamInitializer implements ParamInitializer {
    private static final EnergyParamInitializer INSTANCE = new EnergyParamInitializer();

    public static EnergyParamInitializer getInstance() {
        return INSTANCE;
    }

    private static Map<String, long[]> shapes(Layer layer) {
        return ((EnergyEpOutputLayer) layer).parameterShapes();
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        long n = 0;
        for (long[] shape : shapes(layer).values()) {
            n += length(shape);
        }
        return n;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return new ArrayList<>(shapes(layer).keySet());
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return paramKeys(layer);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return Collections.emptyList();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return shapes(layer).containsKey(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return false;
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        Map<String, INDArray> views = views(shapes(conf.getLayer()), paramsView);
        if (initializeParams) {
            SameDiffEnergy e = ((EnergyEpOutputLayer) conf.getLayer()).buildEnergy(conf.getSeed());
            views.forEach((name, view) -> view.assign(e.graph().getVariable(name).getArr()));
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views(shapes(conf.getLayer()), gradientView);
    }

    /** Each variable's slice of the flat row vector, reshaped (a view) to the variable's shape in 'c' order. */
    private static Map<String, INDArray> views(Map<String, long[]> shapes, INDArray flat) {
        Map<String, INDArray> views = new LinkedHashMap<>();
        INDArray row = flat.reshape(1, flat.length());
        long offset = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long length = length(e.getValue());
            views.put(e.getKey(), row.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(offset,
                    offset + length)).reshape('c', e.getValue()));
            offset += length;
        }
        return views;
    }

    private static long length(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
