package org.eqp.dl4j.layers;

import java.nio.FloatBuffer;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.dl4j.conf.EpParamInitializer;
import org.eqp.dynamics.NudgeForce;
import org.eqp.dynamics.SoftmaxReadout;
import org.eqp.learning.FreeEquilibrium;
import org.eqp.learning.ParticleStore;
import org.eqp.topology.Topology;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * The runtime side of {@link EpOutputLayer}: free phase on {@code activate}, free + nudged phase toward the labels and
 * the EP gradient on {@code backpropGradient} (see the config's javadoc for the contract), through its {@link EpBlock}.
 * Listeners read its training through {@link EpLayerStats}.
 *
 * <p>With a softmax readout ({@link EpOutputLayer#softmaxReadout()}: cross-entropy with softmax) the engine's output
 * units are the last hidden layer, the nudge on them is the cross-entropy gradient back through the readout, the
 * readout's parameters get the cross-entropy gradient at the free equilibrium, and the layer's pre-activation (what
 * the loss, the score and {@code output} see) is the readout's logits instead of the output states
 * ({@link SoftmaxReadout}).
 *
 * <p>What a copy of the network carries: the random-sign state is the parameter
 * {@link EpParamInitializer#SIGN_DRAWS}, so {@code ModelSerializer}, {@code clone()} and every other copy of the
 * parameters continue the sign sequence exactly. Persistent particles are not parameters; {@link #particles()} holds
 * them, and {@link org.eqp.dl4j.EpModelSerializer} saves, restores and copies them.
 */
public class EpOutputLayerImpl extends RelaxingOutputLayer<EpOutputLayer> implements EpLayerRuntime {
    private transient EpBlock block;
    /** The softmax readout, also the engine's nudge; null without one. */
    private transient SoftmaxReadout readout;

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
        EpBlock.rejectConstraintsOnIntralayerBlocks(layerConf(), layerConf().getConstraints(),
                layerConf().getLayerName());
    }

    /** The EP network, built on first use from the configuration, nudged by the loss. */
    private EpBlock block() {
        if (block == null) {
            EpOutputLayer c = layerConf();
            Topology topology = c.topology();
            int outputUnits = topology.size(topology.outputLayer());
            NudgeForce nudge;
            if (c.softmaxReadout()) {
                int classes = Math.toIntExact(c.getNOut());
                readout = new SoftmaxReadout(outputUnits, classes, classWeights((LossMCXENT) c.getLossFn(), classes));
                nudge = readout;
            } else {
                nudge = NudgeForce.forLoss(c.getLossFn(), c.getActivationFn(), outputUnits);
            }
            block = new EpBlock(c, nudge, conf.getSeed() + 31L * getIndex(), layerId());
        }
        return block;
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
        block();
        if (readout != null) {
            readout.bind(params.get(EpParamInitializer.READOUT_WEIGHTS), params.get(EpParamInitializer.READOUT_BIAS));
        }
        return readout;
    }

    /** Not for the weights and biases: their gradient is written as the batch mean ({@link EpBlock#updaterDivides}). */
    @Override
    public boolean updaterDivideByMinibatch(String paramName) {
        return EpBlock.updaterDivides(paramName);
    }

    @Override
    public EpStepStats lastStepStats() {
        return block().lastStepStats();
    }

    @Override
    public Topology topology() {
        return layerConf().topology();
    }

    @Override
    public FloatBuffer freeState(int layer) {
        return block().freeState(layer);
    }

    @Override
    public ParticleStore particles() {
        return block().particles();
    }

    @Override
    public void keyParticlesBy(Supplier<INDArray[]> networkInput) {
        block().keyParticlesBy(networkInput);
    }

    /**
     * DL4J calls this at init with true when other layers compute this layer's input: persistent particles then need
     * the network's input as their key ({@link org.eqp.dl4j.ParticleKeys}).
     */
    @Override
    public void allowInputModification(boolean allow) {
        super.allowInputModification(allow);
        block().inputFromLayersBelow(allow);
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
        FreeEquilibrium free = block().freePhase(input, params, true);
        cacheFreeOutputs(readout == null ? free.outputs() : readout.logits(free.outputs()));
        return block().trainingStep(free, labels, readout, params, gradientViews, gradientsFlattened,
                EpBlock.hasLayerBelow(getIndex()), conf().isMiniBatch(), workspaceMgr);
    }

    /**
     * The output states at the free equilibrium, or with a softmax readout its logits: a buffer overwritten by the
     * next free phase on a batch of this size.
     */
    @Override
    protected INDArray relaxFree(boolean training) {
        SoftmaxReadout readout = boundReadout();
        INDArray outputs = block().freePhase(input, params, training).outputs();
        return readout == null ? outputs : readout.logits(outputs);
    }

    /**
     * DL4J's constraints ({@code constrainWeights}, {@code constrainBias}, {@code constrainAllParameters} on the
     * layer's or the network's builder), applied by DL4J after every update, act on the weights and biases; the
     * random-sign state keeps its count, and weights stay zero where no connection exists.
     */
    @Override
    public void applyConstraints(int iteration, int epoch) {
        if (layerConf().getConstraints() != null && !layerConf().getConstraints().isEmpty()) {
            block().applyConstraints(params, () -> super.applyConstraints(iteration, epoch));
        }
    }

    @Override
    public boolean hasBias() {
        return true;
    }
}
