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
