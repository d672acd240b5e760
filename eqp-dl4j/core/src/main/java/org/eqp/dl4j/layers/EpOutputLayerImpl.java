package org.eqp.dl4j.layers;

import java.nio.FloatBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.dl4j.conf.EpParamInitializer;
import org.eqp.dynamics.FeedbackLayout;
import org.eqp.dynamics.FloatView;
import org.eqp.dynamics.LossFunctionNudge;
import org.eqp.dynamics.NetworkParams;
import org.eqp.dynamics.NudgeForce;
import org.eqp.dynamics.SoftmaxReadout;
import org.eqp.dynamics.SquaredErrorNudge;
import org.eqp.learning.EquilibriumPropagation;
import org.eqp.learning.FreeEquilibrium;
import org.eqp.learning.NudgedEquilibrium;
import org.eqp.learning.ParticleStore;
import org.eqp.topology.Block;
import org.eqp.topology.Topology;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossL2;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime side of {@link EpOutputLayer}: free phase on {@code activate}, free + nudged phase and the EP
 * gradient on {@code backpropGradient} (see the config's javadoc for the contract). Listeners read its training
 * through {@link EpLayerStats}.
 *
 * <p>With a softmax readout ({@link EpOutputLayer#softmaxReadout()}: cross-entropy with softmax) the engine's output
 * units are the last hidden layer, the nudge on them is the cross-entropy gradient back through the readout, the readout's parameters get the cross-entropy gradient at the free
 * equilibrium, and the layer's pre-activation (what the loss, the score and {@code output} see) is the readout's
 * logits instead of the output states ({@link SoftmaxReadout}).
 *
 * <p>What a copy of the network carries: the random-sign state is the parameter
 * {@link EpParamInitializer#SIGN_DRAWS}, so {@code ModelSerializer}, {@code clone()} and every other copy of the
 * parameters continue the sign sequence exactly. Persistent particles are not parameters; {@link #particles()} holds
 * them, and {@link org.eqp.dl4j.EpModelSerializer} saves, restores and copies them.
 */
public class EpOutputLayerImpl extends RelaxingOutputLayer<EpOutputLayer> implements EpLayerStats {
    private static final Logger log = LoggerFactory.getLogger(EpOutputLayerImpl.class);

    private transient EquilibriumPropagation engine;
    /** The softmax readout, also the engine's nudge; null without one. */
    private transient SoftmaxReadout readout;
    private transient EpStepStats lastStepStats;
    /** The free equilibrium of the last training step, and the sequence number it had then. */
    private transient FreeEquilibrium lastTrainingFree;
    private transient long lastTrainingSequence;
    private final transient EnumSet<FeedbackLayout> loggedLayouts = EnumSet.noneOf(FeedbackLayout.class);

    /**
     * @throws IllegalArgumentException unless {@code dataType} is FLOAT (the relaxation kernels are float32), or if a
     *                                  DL4J constraint acts on an intralayer block
     */
    public EpOutputLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        if (dataType != DataType.FLOAT) {
            throw new IllegalArgumentException("EpOutputLayer runs in float32: build the network with "
                    + "dataType(DataType.FLOAT) (the DL4J default); got " + dataType);
        }
        rejectConstraintsOnIntralayerBlocks();
    }

    /** The EP engine, built on first use from the configuration. */
    private EquilibriumPropagation engine() {
        if (engine == null) {
            EpOutputLayer c = layerConf();
            Topology topology = c.topology();
            ILossFunction loss = c.getLossFn();
            IActivation activation = c.getActivationFn();
            int outputUnits = topology.size(topology.outputLayer());
            long seed = conf.getSeed() + 31L * getIndex();
            NudgeForce nudge;
            if (c.softmaxReadout()) {
                int classes = Math.toIntExact(c.getNOut());
                readout = new SoftmaxReadout(outputUnits, classes, classWeights((LossMCXENT) loss, classes));
                nudge = readout;
            } else {
                nudge = nudgeFor(loss, activation, outputUnits);
            }
            engine = new EquilibriumPropagation(topology, c.settings(), nudge, seed);
        }
        return engine;
    }

    private float[] classWeights(LossMCXENT loss, int classes) {
        INDArray weights = loss.getWeights();
        if (weights == null) {
            return null;
        }
        if (weights.length() != classes) {
            throw new IllegalArgumentException(layerId() + ": the cross-entropy's class weights have " + weights.length()
                    + " entries for " + classes + " classes (nOut); give one weight per class");
        }
        return weights.castTo(DataType.FLOAT).dup().data().asFloat();
    }

    /** The softmax readout bound to the current parameters, or null without one. */
    private SoftmaxReadout boundReadout() {
        engine();
        if (readout != null) {
            readout.bind(params.get(EpParamInitializer.READOUT_WEIGHTS), params.get(EpParamInitializer.READOUT_BIAS));
        }
        return readout;
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

    @Override
    public EpStepStats lastStepStats() {
        return lastStepStats;
    }

    @Override
    public Topology topology() {
        return layerConf().topology();
    }

    @Override
    public FloatBuffer freeState(int layer) {
        if (lastTrainingFree == null) {
            throw new IllegalStateException(layerId() + ": no training step yet, so no free equilibrium to show");
        }
        if (lastTrainingFree.sequence() != lastTrainingSequence) {
            throw new IllegalStateException(layerId() + ": the free equilibrium of the last training step is gone: the "
                    + "layer has relaxed another batch of the same size since (e.g. output()); read it in "
                    + "onGradientCalculation or iterationDone");
        }
        return FloatView.of(lastTrainingFree.state(layer)).buffer().asReadOnlyBuffer();
    }

    /**
     * The persistent particles of this layer's training examples (empty unless the configuration enables them). Not
     * part of the parameters: {@link org.eqp.dl4j.EpModelSerializer} saves, restores and copies them.
     */
    public ParticleStore particles() {
        return engine().particles();
    }

    /**
     * One EP step: free phase (from persistent particles), nudged phase toward the labels with the next random sign,
     * EP gradient into the gradient views (zero for the random-sign state, which advances by one draw). Returns EP's
     * estimate of dL/d(input) as the epsilon for the layer below (null when this is the network's first layer:
     * nothing would use it).
     */
    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        requireLabels();
        SoftmaxReadout readout = boundReadout();
        FreeEquilibrium free = freePhase(true);
        cacheFreeOutputs(readout == null ? free.outputs() : readout.logits(free.outputs()));
        long draw = EpParamInitializer.signDraws(params);
        NudgedEquilibrium nudged;
        try {
            nudged = free.nudge(labels, draw);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(layerId() + ": " + e.getMessage(), e);
        }
        if (engine().settings().randomSignBeta()) {
            EpParamInitializer.setSignDraws(params, draw + 1);
        }

        nudged.writeGradients(EpParamInitializer.asNetworkParams(topology(), gradientViews));
        int onlineErrors = readout == null ? nudged.freeArgmaxErrors()
                : readout.writeGradients(free.outputs(), labels, gradientViews.get(EpParamInitializer.READOUT_WEIGHTS),
                        gradientViews.get(EpParamInitializer.READOUT_BIAS));
        FloatView.of(gradientViews.get(EpParamInitializer.SIGN_DRAWS)).fill(0f);
        Gradient g = new DefaultGradient(gradientsFlattened);
        for (Map.Entry<String, INDArray> view : gradientViews.entrySet()) {
            g.gradientForVariable().put(view.getKey(), view.getValue());
        }
        INDArray inputGradient = null;
        if (hasLayerBelow()) {
            inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
                    new long[] {input.size(0), input.size(1)}, 'f');
            nudged.writeInputGradient(inputGradient);
        }

        lastStepStats = new EpStepStats(free.batchSize(), onlineErrors, free.relaxation().steps(),
                free.relaxation().residual(), nudged.relaxation().steps(), nudged.signedBeta());
        lastTrainingFree = free;
        lastTrainingSequence = free.sequence();
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
        return EpParamInitializer.asNetworkParams(topology(), params);
    }

    /** The free phase on the current input (from persistent particles when training and enabled). */
    private FreeEquilibrium freePhase(boolean training) {
        FreeEquilibrium free;
        try {
            free = engine().freePhase(input, networkParams(), training);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(layerId() + ": " + e.getMessage(), e);
        }
        if (loggedLayouts.add(free.layout())) {
            log.info("{}: EP network {} relaxes batches of {} in the {} feedback layout: {}", layerId(),
                    java.util.Arrays.toString(topology().layerSizes()), free.batchSize(), free.layout(),
                    kernel(free.layout()));
        }
        return free;
    }

    /** Which code computes the feedback in a layout. */
    private static String kernel(FeedbackLayout layout) {
        String withoutVector = FeedbackLayout.vectorAvailable() ? ""
                : " (the JVM lacks jdk.incubator.vector: run it with --add-modules jdk.incubator.vector for the faster "
                + "Java Vector API kernel)";
        return switch (layout) {
            case VECTOR_BLOCKS -> "the per-block products in a Java Vector API (jdk.incubator.vector) kernel";
            case BLOCKS -> "one ND4J BLAS gemm per block and direction" + withoutVector;
            case DENSE -> "one ND4J BLAS gemm over all non-input units" + withoutVector;
        };
    }

    /**
     * The output states at the free equilibrium, or with a softmax readout its logits: a buffer overwritten by the
     * next free phase on a batch of this size.
     */
    @Override
    protected INDArray relaxFree(boolean training) {
        SoftmaxReadout readout = boundReadout();
        INDArray outputs = freePhase(training).outputs();
        return readout == null ? outputs : readout.logits(outputs);
    }

    /**
     * DL4J's constraints ({@code constrainWeights}, {@code constrainBias}, {@code constrainAllParameters} on the
     * layer's or the network's builder), applied by DL4J after every update, act on the weights and biases; the random-sign state
     * keeps its count, and weights stay zero where no connection exists.
     */
    @Override
    public void applyConstraints(int iteration, int epoch) {
        List<LayerConstraint> constraints = layerConf().getConstraints();
        if (constraints == null || constraints.isEmpty()) {
            return;
        }
        long draws = EpParamInitializer.signDraws(params);
        super.applyConstraints(iteration, epoch);
        EpParamInitializer.setSignDraws(params, draws);
        engine().zeroAbsentConnections(networkParams());
    }

    /**
     * DL4J's constraints act on rows or columns of a parameter (max-norm, unit-norm, ...), which on an intralayer block
     * W_ll would break the symmetry W_ij = W_ji the energy needs.
     */
    private void rejectConstraintsOnIntralayerBlocks() {
        List<LayerConstraint> constraints = layerConf().getConstraints();
        if (constraints == null) {
            return;
        }
        List<Block> blocks = layerConf().topology().blocks();
        for (LayerConstraint constraint : constraints) {
            for (int k = 0; k < blocks.size(); k++) {
                if (blocks.get(k).intralayer() && constraint.getParams().contains(EpParamInitializer.weightKey(k))) {
                    throw new IllegalArgumentException("EpOutputLayer " + layerConf().getLayerName() + ": the "
                            + "constraint " + constraint + " would act on the intralayer weights "
                            + EpParamInitializer.weightKey(k) + " of layer " + blocks.get(k).from() + ", whose "
                            + "symmetry W_ij = W_ji it can break; constrain the biases only (constrainBias) or use a "
                            + "topology without intralayer connections");
                }
            }
        }
    }

    @Override
    public boolean hasBias() {
        return true;
    }
}
