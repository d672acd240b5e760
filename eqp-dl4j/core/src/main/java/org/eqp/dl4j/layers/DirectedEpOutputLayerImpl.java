package org.eqp.dl4j.layers;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.eqp.directed.BoltzmannPruning;
import org.eqp.directed.DirectedGraph;
import org.eqp.directed.DirectedNetwork;
import org.eqp.directed.DirectedPhases;
import org.eqp.directed.DirectedSettings;
import org.eqp.dl4j.conf.DirectedEpOutputLayer;
import org.eqp.dl4j.conf.DirectedParamInitializer;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime side of {@link DirectedEpOutputLayer} (see the config's javadoc for the contract).
 *
 * <p>Random draws (the initial states of the phases, the pruning draws) come from generators seeded by the
 * configuration's seed and DL4J's count of finished training steps, which is saved with the model: the initial states
 * of training step t (t steps finished before it) from stream {@code 2t + 2}, the pruning after it from stream
 * {@code 2t + 3}, inference from stream 1 (the same initial states every time, so {@code output} is deterministic);
 * stream k is {@code SplittableRandom(seed + 7919 k)}, stream 0 being the initial weights'
 * ({@link DirectedParamInitializer}). A seed gives one run, and a model restored between two steps continues it.
 */
public class DirectedEpOutputLayerImpl extends RelaxingOutputLayer<DirectedEpOutputLayer> {
    private static final long STREAM_STRIDE = 7919;
    private static final long INFERENCE_STREAM = 1;
    /** DL4J's count of finished training steps as last passed to {@link #applyConstraints}; -1 before the first. */
    private transient int finishedSteps = -1;

    public DirectedEpOutputLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** The network as the parameters hold it now (a copy). */
    public DirectedNetwork network() {
        DirectedEpOutputLayer c = layerConf();
        DirectedGraph start = c.graph();
        int n = start.size();
        double[] w = rowMajor(getParam(DirectedParamInitializer.WEIGHTS));
        double[] m = rowMajor(getParam(DirectedParamInitializer.MASK));
        boolean[][] edges = new boolean[n][n];
        double[] weights = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                edges[i][j] = m[i * n + j] != 0;
                weights[i * n + j] = edges[i][j] ? w[i * n + j] : 0;
            }
        }
        return new DirectedNetwork(DirectedGraph.of(start.inputs() - 1, start.hidden(), start.outputs(), true, edges),
                weights);
    }

    @Override
    protected INDArray relaxFree(boolean training) {
        DirectedNetwork network = network();
        DirectedPhases phases = new DirectedPhases(network, layerConf().settings());
        return outputsOf(phases.free(rows(input), stream(INFERENCE_STREAM)), network.graph());
    }

    /**
     * The free and nudged phases of the batch on the current weights; the gradient of W is minus the correction
     * summed over the batch ([N, N], zero where M is 0), that of M zero. The pruning comes after the update, in
     * {@link #applyConstraints}.
     */
    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        requireLabels();
        DirectedNetwork network = network();
        long step = finishedSteps >= 0 ? finishedSteps : getIterationCount();
        DirectedPhases.Batch batch;
        try {
            batch = new DirectedPhases(network, layerConf().settings()).run(rows(input), rows(labels),
                    stream(2 * step + 2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(layerId() + ": " + e.getMessage(), e);
        }
        int examples = (int) input.size(0);
        int n = network.graph().size();
        cacheFreeOutputs(outputsOf(batch.free(), network.graph()));
        INDArray gw = gradientViews.get(DirectedParamInitializer.WEIGHTS);
        gradientViews.get(DirectedParamInitializer.MASK).assign(0);
        double[] c = batch.correction();
        for (int k = 0; k < c.length; k++) {
            c[k] *= -examples;
        }
        gw.assign(Nd4j.create(c, new long[] {n, n}, 'c').castTo(gw.dataType()));
        Gradient g = new DefaultGradient(gradientsFlattened);
        g.gradientForVariable().put(DirectedParamInitializer.WEIGHTS, gw);
        g.gradientForVariable().put(DirectedParamInitializer.MASK, gradientViews.get(DirectedParamInitializer.MASK));
        return new Pair<>(g, inputGradient(network, batch, workspaceMgr));
    }

    /**
     * The output units' states of each example, [examples, nOut], in the layer's data type and outside any workspace
     * (it is cached across DL4J's scopes).
     */
    private INDArray outputsOf(double[][] states, DirectedGraph g) {
        double[][] out = new double[states.length][];
        for (int e = 0; e < states.length; e++) {
            out[e] = java.util.Arrays.copyOfRange(states[e], g.firstOutput(), g.size());
        }
        try (var ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.create(out).castTo(dataType);
        }
    }

    /** Stream k of the layer's random draws: {@code SplittableRandom(seed + 7919 k)}. */
    private SplittableRandom stream(long k) {
        return new SplittableRandom(conf.getSeed() + STREAM_STRIDE * k);
    }

    /** The vector-field estimate of dL/dx: {@code -(1/beta) sum_j W_ij (s_j^beta - s_j^0)} for each data input i. */
    private INDArray inputGradient(DirectedNetwork network, DirectedPhases.Batch batch,
                                   LayerWorkspaceMgr workspaceMgr) {
        int examples = batch.free().length;
        int nIn = (int) input.size(1);
        DirectedGraph g = network.graph();
        double beta = layerConf().getBeta();
        double[][] eps = new double[examples][nIn];
        for (int e = 0; e < examples; e++) {
            for (int i = 0; i < nIn; i++) {
                double sum = 0;
                for (int j = g.inputs(); j < g.size(); j++) {
                    sum += network.weight(i, j) * (batch.nudged()[e][j] - batch.free()[e][j]);
                }
                eps[e][i] = -sum / beta;
            }
        }
        return workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, Nd4j.create(eps).castTo(dataType));
    }

    /**
     * Called by DL4J after every parameter update, with its count of finished steps: the pruning policy of eq. 3 on
     * the updated weights (a drawn edge's M goes to 0 for good, or with regrowth its W to 0), then W is zeroed wherever
     * M is 0, so that an updater with momentum (Adam, Nesterovs) cannot move a pruned weight away from zero with the
     * history it kept from before the pruning.
     */
    @Override
    public void applyConstraints(int iteration, int epoch) {
        super.applyConstraints(iteration, epoch);
        finishedSteps = iteration;
        prune(stream(2L * iteration + 1));
        getParam(DirectedParamInitializer.WEIGHTS).muli(getParam(DirectedParamInitializer.MASK));
    }

    /**
     * Draws the edges to prune with {@link BoltzmannPruning} and sets their M to 0 (removed), or with regrowth their W
     * (the edge stays and trains on).
     */
    private void prune(SplittableRandom random) {
        DirectedSettings settings = layerConf().settings();
        if (settings.pruneBelow() == 0) {
            return;
        }
        DirectedNetwork network = network();
        BitSet removed = BoltzmannPruning.draw(network, settings.pruneBelow(), settings.temperature(), random);
        int n = network.graph().size();
        INDArray zeroed = getParam(settings.regrow() ? DirectedParamInitializer.WEIGHTS : DirectedParamInitializer.MASK);
        for (int bit = removed.nextSetBit(0); bit >= 0; bit = removed.nextSetBit(bit + 1)) {
            zeroed.putScalar(bit / n, bit % n, 0);
        }
    }

    /** An [N, N] parameter as a row-major double array: (i, j) at i * N + j. */
    private static double[] rowMajor(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private static double[][] rows(INDArray a) {
        return a.castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    @Override
    public boolean hasBias() {
        return false;
    }
}
