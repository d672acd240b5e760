package org.eqp.learning;

import org.eqp.dynamics.FloatView;
import org.eqp.dynamics.NetworkParams;
import org.eqp.dynamics.Relaxation;
import org.eqp.dynamics.RelaxationResult;
import org.eqp.topology.Topology;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every buffer one EP training step needs for one batch size, allocated once outside workspaces, 'f' order:
 * the relaxation, the clamped input, the targets, the free equilibrium s^0, the low end of the estimate ({@link #low}:
 * s^0 itself, or s^-beta under symmetric nudging) and the difference (s^beta minus the low end); and where the step
 * stands, which the {@link FreeEquilibrium} and {@link NudgedEquilibrium} handles of this batch check.
 */
final class EpBatch {
    /** Where the step on this batch stands. */
    enum Phase { EMPTY, FREE, NUDGED }

    final Relaxation relaxation;
    final INDArray input;
    final FloatView inputView;
    final INDArray[] free;
    final FloatView[] freeView;
    /** The low end of the EP estimate: {@link #free} (one-sided nudging), or the s^-beta states (symmetric). */
    final INDArray[] low;
    final FloatView[] lowView;
    final INDArray[] difference;
    final FloatView[] differenceView;
    final INDArray targets;
    final FloatView targetView;
    final FreeEquilibrium freeHandle;
    final NudgedEquilibrium nudgedHandle;

    Phase phase = Phase.EMPTY;
    /** Free phases run on this batch so far. */
    long freePhases;
    /** The parameters of the last free phase (the nudged phase and the input gradient use the same). */
    NetworkParams params;
    RelaxationResult freeResult;
    RelaxationResult nudgedResult;
    double signedBeta = Double.NaN;
    /** What the state difference is divided by: beta (one-sided) or 2 beta (symmetric), signed. */
    double betaSpan = Double.NaN;

    EpBatch(EquilibriumPropagation engine, int batch) {
        Topology topology = engine.topology();
        this.relaxation = new Relaxation(topology, batch);
        int layers = topology.numLayers();
        free = new INDArray[layers];
        freeView = new FloatView[layers];
        low = new INDArray[layers];
        lowView = new FloatView[layers];
        difference = new INDArray[layers];
        differenceView = new FloatView[layers];
        boolean symmetric = engine.settings().symmetricNudging();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            input = Nd4j.zeros(DataType.FLOAT, batch, topology.size(0)).dup('f');
            targets = Nd4j.zeros(DataType.FLOAT, batch, engine.targetColumns()).dup('f');
            for (int l = 1; l < layers; l++) {
                free[l] = Nd4j.zeros(DataType.FLOAT, batch, topology.size(l)).dup('f');
                freeView[l] = FloatView.of(free[l]);
                low[l] = symmetric ? Nd4j.zeros(DataType.FLOAT, batch, topology.size(l)).dup('f') : free[l];
                lowView[l] = symmetric ? FloatView.of(low[l]) : freeView[l];
                difference[l] = Nd4j.zeros(DataType.FLOAT, batch, topology.size(l)).dup('f');
                differenceView[l] = FloatView.of(difference[l]);
            }
        }
        inputView = FloatView.of(input);
        targetView = FloatView.of(targets);
        freeHandle = new FreeEquilibrium(engine, this);
        nudgedHandle = new NudgedEquilibrium(engine, this);
    }

    int size() {
        return relaxation.batchSize();
    }
}
