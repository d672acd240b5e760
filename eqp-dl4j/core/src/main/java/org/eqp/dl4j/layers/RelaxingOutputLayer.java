package org.eqp.dl4j.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the DL4J side of an energy-relaxing output layer (EP, DEEP) shares: the output is the state of the output units
 * at the free equilibrium of the current input, computed once per input ({@link #freeOutputs}) and cached until the
 * input changes, so the score after a training step does not relax the network again; the loss sees those states as
 * its pre-activation; training runs in {@code backpropGradient}.
 *
 * @param <C> the layer configuration
 */
public abstract class RelaxingOutputLayer<C extends org.deeplearning4j.nn.conf.layers.BaseOutputLayer>
        extends org.deeplearning4j.nn.layers.BaseOutputLayer<C> {
    /** Output states at the free equilibrium of the current input, [batch, nOut]; null when stale. */
    private transient INDArray freeOutput;

    protected RelaxingOutputLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Relaxes the free phase on the current input and returns the output states [batch, nOut]. */
    protected abstract INDArray relaxFree(boolean training);

    /** The free-equilibrium outputs of the current input: cached, or relaxed now. */
    protected INDArray freeOutputs(boolean training) {
        if (freeOutput == null) {
            freeOutput = relaxFree(training);
        }
        return freeOutput;
    }

    /** Records outputs a training step computed for the current input (its free phase), for the score. */
    protected void cacheFreeOutputs(INDArray outputs) {
        this.freeOutput = outputs;
    }

    /** Throws unless labels are set (training needs them). */
    protected void requireLabels() {
        if (labels == null) {
            throw new IllegalStateException(layerId() + ": no labels set; training this layer needs labels");
        }
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
        freeOutput = relaxFree(false);
        INDArray out = layerConf().getActivationFn().getActivation(freeOutput.dup(), training);
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, out);
    }

    /** The pre-activation the loss sees is the output states at the free equilibrium. */
    @Override
    protected INDArray preOutput2d(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return workspaceMgr.dup(ArrayType.FF_WORKING_MEM, freeOutputs(false));
    }

    @Override
    protected INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return preOutput2d(training, workspaceMgr);
    }

    @Override
    protected INDArray getLabels2d(LayerWorkspaceMgr workspaceMgr, ArrayType arrayType) {
        return labels;
    }

    /**
     * DL4J's score of the current batch (the loss over the batch, divided by its size for minibatch training, plus
     * the network's regularization term); for the squared-error losses computed in Java from the cached outputs
     * ({@link SquaredErrorScore}), otherwise by DL4J.
     */
    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (input == null || labels == null || !SquaredErrorScore.applies(layerConf(), maskArray)) {
            return super.computeScore(fullNetRegTerm, training, workspaceMgr);
        }
        INDArray outputs = freeOutputs(training);
        if (!labels.equalShapes(outputs)) {
            throw new IllegalArgumentException(layerId() + ": labels of shape " + java.util.Arrays.toString(
                    labels.shape()) + " for outputs of shape " + java.util.Arrays.toString(outputs.shape())
                    + "; give one label column per output unit (nOut)");
        }
        double score = SquaredErrorScore.sum(labels, outputs,
                layerConf().getLossFn() instanceof org.nd4j.linalg.lossfunctions.impl.LossMSE);
        if (conf().isMiniBatch()) {
            score /= getInputMiniBatchSize();
        }
        this.score = score + fullNetRegTerm;
        return this.score;
    }

    @Override
    public void computeGradientAndScore(LayerWorkspaceMgr workspaceMgr) {
        if (input == null || labels == null) {
            return;
        }
        this.gradient = backpropGradient(null, workspaceMgr).getFirst();
        this.score = computeScore(0.0, true, workspaceMgr);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }
}
