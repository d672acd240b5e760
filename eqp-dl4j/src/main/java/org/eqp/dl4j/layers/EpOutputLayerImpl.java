package org.eqp.dl4j.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.dl4j.conf.EpParamInitializer;
import org.eqp.dynamics.LossFunctionNudge;
import org.eqp.dynamics.NetworkParams;
import org.eqp.dynamics.NudgeForce;
import org.eqp.dynamics.SquaredErrorNudge;
import org.eqp.learning.EquilibriumPropagation;
import org.eqp.topology.Topology;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossL2;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * The runtime side of {@link EpOutputLayer}: free phase on {@code activate}, free + nudged phase and the EP
 * gradient on {@code backpropGradient} (see the config's javadoc for the contract).
 */
public class EpOutputLayerImpl extends org.deeplearning4j.nn.layers.BaseOutputLayer<EpOutputLayer> {
    private transient EquilibriumPropagation engine;
    /** Output states at the free equilibrium of the current input, [batch, nOut]; null when stale. */
    private transient INDArray freeOutput;
    private transient EpStepStats lastStepStats;

    /**
     * @throws IllegalArgumentException unless {@code dataType} is FLOAT: the relaxation kernels are float32
     */
    public EpOutputLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        if (dataType != DataType.FLOAT) {
            throw new IllegalArgumentException("EpOutputLayer runs in float32: build the network with "
                    + "dataType(DataType.FLOAT) (the DL4J default); got " + dataType);
        }
    }

    /** The EP engine (built on first use from the configuration). */
    public EquilibriumPropagation engine() {
        if (engine == null) {
            EpOutputLayer c = layerConf();
            Topology topology = c.topology();
            ILossFunction loss = c.getLossFn();
            IActivation activation = c.getActivationFn();
            int nOut = topology.size(topology.outputLayer());
            long seed = conf.getSeed() + 31L * getIndex();
            engine = new EquilibriumPropagation(topology, c.settings(), nudgeFor(loss, activation, nOut), seed);
        }
        return engine;
    }

    private static NudgeForce nudgeFor(ILossFunction loss, IActivation activation, int nOut) {
        boolean plain = activation instanceof ActivationIdentity && loss instanceof LossL2 l2 && l2.getWeights() == null;
        if (plain && loss.getClass() == LossL2.class) {
            return new SquaredErrorNudge(1.0);
        }
        if (plain && loss.getClass() == LossMSE.class) {
            return new SquaredErrorNudge(1.0 / nOut);
        }
        return new LossFunctionNudge(loss, activation);
    }

    /** What the last training step did, or null before the first. */
    public EpStepStats lastStepStats() {
        return lastStepStats;
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
    }

    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        super.setInput(input, workspaceMgr);
        freeOutput = null;
    }

    @Override
    public void clear() {
        super.clear();
        freeOutput = null;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray states = freePhase(false);
        INDArray out = layerConf().getActivationFn().getActivation(states.dup(), training);
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, out);
    }

    /** The pre-activation the loss sees is the output states at the free equilibrium. */
    @Override
    protected INDArray preOutput2d(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (freeOutput == null) {
            freePhase(false);
        }
        return workspaceMgr.dup(ArrayType.FF_WORKING_MEM, freeOutput);
    }

    @Override
    protected INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return preOutput2d(training, workspaceMgr);
    }

    @Override
    protected INDArray getLabels2d(LayerWorkspaceMgr workspaceMgr, ArrayType arrayType) {
        return labels;
    }

    @Override
    public void computeGradientAndScore(LayerWorkspaceMgr workspaceMgr) {
        if (input == null || labels == null) {
            return;
        }
        this.gradient = backpropGradient(null, workspaceMgr).getFirst();
        this.score = computeScore(0.0, true, workspaceMgr);
    }

    /**
     * One EP step: free phase (from persistent particles), nudged phase toward the labels, EP gradient into the
     * gradient views. Returns EP's estimate of dL/d(input) as the epsilon for the layer below (null when this is the
     * network's first layer: nothing would use it).
     */
    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (labels == null) {
            throw new IllegalStateException(layerId() + ": no labels set; EP training needs labels");
        }
        EquilibriumPropagation ep = engine();
        freePhase(true);
        try {
            ep.setTargets(labels);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(layerId() + ": " + e.getMessage(), e);
        }
        int onlineErrors = ep.freeArgmaxErrors();
        double signedBeta = ep.nudgedPhase();

        Topology topology = ep.topology();
        ep.writeGradients(EpParamInitializer.asNetworkParams(topology, gradientViews));
        Gradient g = new DefaultGradient(gradientsFlattened);
        for (String key : EpParamInitializer.getInstance().paramKeys(layerConf())) {
            g.gradientForVariable().put(key, gradientViews.get(key));
        }
        INDArray inputGradient = null;
        if (hasLayerBelow()) {
            inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
                    new long[] {input.size(0), input.size(1)}, 'f');
            ep.writeInputGradient(networkParams(), inputGradient);
        }

        lastStepStats = new EpStepStats((int) input.size(0), onlineErrors, ep.lastFreeRelaxation().steps(),
                ep.lastFreeRelaxation().residual(), ep.lastNudgedRelaxation().steps(), signedBeta);
        return new Pair<>(g, inputGradient);
    }

    /**
     * Whether a layer below consumes this layer's epsilon. The first layer of a MultiLayerNetwork has index 0 and its
     * epsilon is discarded; in a ComputationGraph the input vertices take the first indices, so a layer never has
     * index 0 there.
     */
    private boolean hasLayerBelow() {
        return getIndex() > 0;
    }

    private NetworkParams networkParams() {
        return EpParamInitializer.asNetworkParams(engine().topology(), params);
    }

    /** Runs the free phase on the current input and caches its output states. */
    private INDArray freePhase(boolean training) {
        INDArray out;
        try {
            out = engine().freePhase(input, networkParams(), training);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(layerId() + ": " + e.getMessage(), e);
        }
        freeOutput = out;
        return out;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public boolean hasBias() {
        return true;
    }
}
