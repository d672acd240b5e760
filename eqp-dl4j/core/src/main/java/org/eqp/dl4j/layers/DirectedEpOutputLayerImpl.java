package org.eqp.dl4j.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.eqp.directed.DirectedGraph;
import org.eqp.directed.DirectedNetwork;
import org.eqp.directed.DirectedTrainer;
import org.eqp.dl4j.conf.DirectedEpOutputLayer;
import org.eqp.dl4j.conf.DirectedParamInitializer;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The runtime side of {@link DirectedEpOutputLayer} (see the config's javadoc for the contract). */
public class DirectedEpOutputLayerImpl extends RelaxingOutputLayer<DirectedEpOutputLayer> {
    /** Counts training steps, so each step's initial states and pruning draws differ but repeat with the seed. */
    private transient long steps;

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

    private DirectedTrainer trainer(long salt) {
        return new DirectedTrainer(network(), layerConf().settings(), conf.getSeed() + 7919L * salt);
    }

    @Override
    protected INDArray relaxFree(boolean training) {
        return outputsArray(trainer(0).outputs(rows(input)));
    }

    /**
     * Pruning of the current weights, then the free and nudged phases of the batch; the gradient is minus the summed
     * correction on the remaining edges (zero on M).
     */
    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        requireLabels();
        steps++;
        DirectedTrainer trainer = trainer(steps);
        java.util.BitSet removed = trainer.prune();
        int n = trainer.network().graph().size();
        INDArray w = getParam(DirectedParamInitializer.WEIGHTS);
        INDArray m = getParam(DirectedParamInitializer.MASK);
        for (int bit = removed.nextSetBit(0); bit >= 0; bit = removed.nextSetBit(bit + 1)) {
            w.putScalar(bit / n, bit % n, 0);
            m.putScalar(bit / n, bit % n, 0);
        }
        DirectedTrainer.BatchCorrection batch;
        try {
            batch = trainer.correction(rows(input), rows(labels));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(layerId() + ": " + e.getMessage(), e);
        }
        int examples = (int) input.size(0);
        cacheFreeOutputs(outputsOf(batch.free(), trainer.network().graph()));
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
        return new Pair<>(g, inputGradient(trainer.network(), batch, workspaceMgr));
    }

    /** The output units' states of each example, [examples, nOut]. */
    private INDArray outputsOf(double[][] states, DirectedGraph g) {
        double[][] out = new double[states.length][];
        for (int e = 0; e < states.length; e++) {
            out[e] = java.util.Arrays.copyOfRange(states[e], g.firstOutput(), g.size());
        }
        return outputsArray(out);
    }

    /** [examples, nOut] in the layer's data type, outside any workspace (it is cached across DL4J's scopes). */
    private INDArray outputsArray(double[][] outputs) {
        try (var ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.create(outputs).castTo(dataType);
        }
    }

    /** The vector-field estimate of dL/dx: {@code -(1/beta) sum_j W_ij (s_j^beta - s_j^0)} for each data input i. */
    private INDArray inputGradient(DirectedNetwork network, DirectedTrainer.BatchCorrection batch,
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
     * Called by DL4J after every parameter update: zeroes W wherever M has no edge, so that an updater with momentum
     * (Adam, Nesterovs) cannot move a pruned weight away from zero with the history it kept from before the pruning.
     */
    @Override
    public void applyConstraints(int iteration, int epoch) {
        super.applyConstraints(iteration, epoch);
        getParam(DirectedParamInitializer.WEIGHTS).muli(getParam(DirectedParamInitializer.MASK));
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
