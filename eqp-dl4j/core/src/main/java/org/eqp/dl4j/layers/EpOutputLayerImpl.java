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
public class EpOutputLayerImpl extends RelaxingOutputLayer<EpOutputLayer> {
    private transient EquilibriumPropagation engine;
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

    /**
     * One EP step: free phase (from persistent particles), nudged phase toward the labels, EP gradient into the
     * gradient views. Returns EP's estimate of dL/d(input) as the epsilon for the layer below (null when this is the
     * network's first layer: nothing would use it).
     */
    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        requireLabels();
        EquilibriumPropagation ep = engine();
        cacheFreeOutputs(relaxFree(true));
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

    /**
     * The free phase on the current input (from persistent particles when training and enabled); the returned output
     * states are the engine's buffer, overwritten by its next free phase.
     */
    @Override
    protected INDArray relaxFree(boolean training) {
        try {
            return engine().freePhase(input, networkParams(), training);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(layerId() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean hasBias() {
        return true;
    }
}
