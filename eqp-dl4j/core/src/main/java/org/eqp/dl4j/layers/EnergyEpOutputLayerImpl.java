package org.eqp.dl4j.layers;

import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.eqp.dl4j.conf.EnergyEpOutputLayer;
import org.eqp.dynamics.NudgeForce;
import org.eqp.energy.EnergyPropagation;
import org.eqp.energy.SameDiffEnergy;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime side of {@link EnergyEpOutputLayer}: the energy's SameDiff variables are bound to views of DL4J's
 * parameter vector (so the updater's in-place steps are what the graph relaxes with), the phases run through
 * {@link EnergyPropagation}, and EP's gradients land in DL4J's gradient views. SameDiff allocates its own arrays, so
 * the phases run outside DL4J's workspaces (their results must outlive the training step's workspace).
 */
public class EnergyEpOutputLayerImpl extends RelaxingOutputLayer<EnergyEpOutputLayer> {
    private transient EnergyPropagation ep;

    public EnergyEpOutputLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** The engine, built on first use with the energy's variables bound to this layer's parameter views. */
    private EnergyPropagation ep() {
        if (ep == null) {
            EnergyEpOutputLayer c = layerConf();
            SameDiffEnergy energy = c.buildEnergy(conf.getSeed());
            for (String name : energy.parameterNames()) {
                energy.graph().associateArrayWithVariable(params.get(name), name);
            }
            NudgeForce nudge = NudgeForce.forLoss(c.getLossFn(), c.getActivationFn(), (int) c.getNOut());
            ep = new EnergyPropagation(energy, c.getSettings(), nudge, conf.getSeed() + 31L * getIndex());
        }
        return ep;
    }

    /** The layer's input [batch, nIn] reshaped to the energy's input placeholder. */
    private INDArray energyInput() {
        return ep().energy().toInput(input);
    }

    @Override
    protected INDArray relaxFree(boolean training) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return ep().freePhase(energyInput()).dup('c');
        }
    }

    /**
     * One EP step on the current input and labels: free phase, nudged phase(s), EP's gradient of every variable into
     * the gradient views (summed over the batch), and EP's estimate of dL/d(input) [batch, nIn] for the layers below.
     */
    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        requireLabels();
        EnergyPropagation.Step step;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            step = ep().trainingStep(energyInput(), labels, getIterationCount());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(layerId() + ": " + e.getMessage(), e);
        }
        cacheFreeOutputs(step.freeOutputs());
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        for (Map.Entry<String, INDArray> g : step.gradients().entrySet()) {
            gradientViews.get(g.getKey()).assign(g.getValue());
            gradient.setGradientFor(g.getKey(), gradientViews.get(g.getKey()));
        }
        INDArray inputGradient = step.inputGradient().reshape('c', input.shape());
        return new Pair<>(gradient, workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, inputGradient));
    }

    /** New parameter arrays (e.g. a restored model's): the engine is rebuilt on them at first use. */
    @Override
    public void setParamTable(Map<String, INDArray> paramTable) {
        super.setParamTable(paramTable);
        ep = null;
    }

    @Override
    public boolean hasBias() {
        return false;
    }
}
