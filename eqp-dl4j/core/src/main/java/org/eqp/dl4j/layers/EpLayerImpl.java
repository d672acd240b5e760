package org.eqp.dl4j.layers;

import java.nio.FloatBuffer;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.eqp.dl4j.conf.EpLayer;
import org.eqp.dynamics.LinearCostNudge;
import org.eqp.learning.FreeEquilibrium;
import org.eqp.learning.ParticleStore;
import org.eqp.topology.Topology;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The runtime side of {@link EpLayer}: the free phase on {@code activate}, returning the output states; on
 * {@code backpropGradient} the nudged phase driven by the epsilon from above ({@link LinearCostNudge}) from the free
 * equilibrium of the same forward pass, EP's parameter gradient, and EP's dL/d(input) as the epsilon for the layers
 * below, through its {@link EpBlock}. Listeners read its training through {@link EpLayerStats}.
 */
public class EpLayerImpl extends BaseLayer<EpLayer> implements EpLayerRuntime {
    private transient EpBlock block;
    /** The free equilibrium of the last training forward pass, and the sequence number it had then. */
    private transient FreeEquilibrium trainingFree;
    private transient long trainingSequence;

    /** @throws IllegalArgumentException unless {@code dataType} is FLOAT, or if a constraint acts on intralayer weights */
    public EpLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        if (dataType != DataType.FLOAT) {
            throw new IllegalArgumentException("EpLayer runs in float32: build the network with "
                    + "dataType(DataType.FLOAT) (the DL4J default); got " + dataType);
        }
        EpBlock.rejectConstraintsOnIntralayerBlocks(layerConf(), layerConf().getConstraints(),
                layerConf().getLayerName());
    }

    /** The EP network, built on first use from the configuration, nudged by the gradient from above. */
    private EpBlock block() {
        if (block == null) {
            block = new EpBlock(layerConf(), new LinearCostNudge(), conf.getSeed() + 31L * getIndex(), layerId());
        }
        return block;
    }

    /** The free phase on the input [batch, nIn]; the output states [batch, nOut] through the layer's activation. */
    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        FreeEquilibrium free = block().freePhase(input, params, training);
        if (training) {
            trainingFree = free;
            trainingSequence = free.sequence();
        }
        INDArray out = layerConf().getActivationFn().getActivation(free.outputs().dup('f'), training);
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, out);
    }

    /**
     * One EP step from the free equilibrium of this input (that of the training forward pass when it is still current,
     * else relaxed now): nudged by delta = dL/ds_out (the epsilon through the activation's derivative), EP's gradient
     * into the gradient views, and EP's estimate of dL/d(input) [batch, nIn] for the layers below.
     *
     * @param epsilon dL/d(output activations), [batch, nOut]
     */
    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (epsilon == null) {
            throw new IllegalStateException(layerId() + ": no gradient from above: an EpLayer must have layers above it "
                    + "(use EpOutputLayer as the network's output)");
        }
        FreeEquilibrium free = trainingFree != null && trainingFree.sequence() == trainingSequence
                && trainingFree.batchSize() == input.size(0) ? trainingFree : block().freePhase(input, params, true);
        trainingFree = null;
        INDArray delta = layerConf().getActivationFn().backprop(free.outputs().dup('f'), epsilon.dup('f')).getFirst();
        return block().trainingStep(free, delta, null, params, gradientViews, gradientsFlattened,
                EpBlock.hasLayerBelow(getIndex()), conf().isMiniBatch(), workspaceMgr);
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

    /** DL4J's constraints, keeping the random-sign count and the zeros of absent connections. */
    @Override
    public void applyConstraints(int iteration, int epoch) {
        if (layerConf().getConstraints() != null && !layerConf().getConstraints().isEmpty()) {
            block().applyConstraints(params, () -> super.applyConstraints(iteration, epoch));
        }
    }

    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        super.setInput(input, workspaceMgr);
        trainingFree = null;
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
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
