package org.eqp.energy;

import java.util.Map;
import org.eqp.dynamics.NudgeForce;
import org.eqp.dynamics.RelaxationResult;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The states of one batch of a {@link SameDiffEnergy} and their relaxation by autodiff: synchronous Euler steps
 * <pre>  s_g &lt;- clamp(s_g - eps * dE/ds_g, 0, 1)   for every state group g</pre>
 * (the hard-sigmoid bound of the Hopfield units; for the Hopfield energy exactly the fused path's step), with the
 * input clamped. In the nudged phase the output group also feels the nudge force -beta * dC/ds_y: inside the step for
 * a force that says so ({@link NudgeForce#insideStep()}), otherwise applied to the stepped, not yet clamped outputs,
 * as {@link org.eqp.dynamics.Relaxation} does.
 *
 * <p>The state arrays are allocated once per batch size outside workspaces; the output group is kept in 'f' order
 * (the nudge forces' convention). Each step is one call of the graph's gradient function.
 */
final class EnergyRelaxation {
    private final SameDiffEnergy energy;
    private final int batch;
    private final INDArray[] states;
    private final INDArray[] previous;
    private final INDArray force;
    private final int output;
    private INDArray input;

    EnergyRelaxation(SameDiffEnergy energy, int batch) {
        this.energy = energy;
        this.batch = batch;
        int groups = energy.stateNames().size();
        this.output = groups - 1;
        this.states = new INDArray[groups];
        this.previous = new INDArray[groups];
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            for (int g = 0; g < groups; g++) {
                char order = g == output ? 'f' : 'c';
                states[g] = Nd4j.create(energy.dataType(), energy.stateShape(g, batch), order);
                previous[g] = Nd4j.create(energy.dataType(), energy.stateShape(g, batch), order);
            }
            force = Nd4j.create(energy.dataType(), energy.stateShape(output, batch), 'f');
        }
    }

    int batchSize() {
        return batch;
    }

    /** Clamps the input, [batch, ...] as the energy's input placeholder (kept by reference until the next call). */
    void clampInput(INDArray x) {
        this.input = x;
    }

    /** Sets every state to zero (the fused path's initial state). */
    void resetStates() {
        for (INDArray s : states) {
            s.assign(0);
        }
    }

    /** The live state of group g (not a copy). */
    INDArray state(int g) {
        return states[g];
    }

    INDArray[] states() {
        return states;
    }

    /**
     * Runs up to {@code maxSteps} Euler steps from the current states.
     *
     * @param tolerance stop once no unit moved more than this in one step; 0 runs all steps
     * @param nudge     the output nudge (prepared with targets and signed beta), or null for the free phase
     */
    RelaxationResult run(int maxSteps, double eps, double tolerance, NudgeForce nudge) {
        if (input == null) {
            throw new IllegalStateException("clampInput must be called before run");
        }
        int steps = 0;
        double maxChange;
        double squared;
        do {
            steps++;
            for (int g = 0; g < states.length; g++) {
                previous[g].assign(states[g]);
            }
            step(eps, nudge);
            maxChange = 0;
            squared = 0;
            long units = 0;
            if (tolerance > 0 || steps == maxSteps) {
                for (int g = 0; g < states.length; g++) {
                    INDArray change = states[g].sub(previous[g]);
                    maxChange = Math.max(maxChange, change.amaxNumber().doubleValue());
                    squared += change.norm2Number().doubleValue() * change.norm2Number().doubleValue();
                    units += change.length();
                }
                squared /= units;
            }
        } while (steps < maxSteps && !(tolerance > 0 && maxChange < tolerance));
        return new RelaxationResult(steps, maxChange, Math.sqrt(squared) / eps);
    }

    private void step(double eps, NudgeForce nudge) {
        Map<String, INDArray> grads = energy.gradients(energy.placeholders(input, states), energy.stateNames());
        boolean inside = nudge != null && nudge.insideStep();
        if (inside) {
            nudge.writeForce(states[output], force);
        }
        for (int g = 0; g < states.length; g++) {
            INDArray s = states[g];
            s.subi(grads.get(energy.stateNames().get(g)).muli(eps)); // the gradient is this call's own array
            if (g == output && inside) {
                s.addi(force.muli(eps)); // the force is rewritten every step
            }
            if (g == output && nudge != null && !inside) {
                nudge.apply(s, eps); // clamps
            } else {
                clamp01(s);
            }
        }
    }

    private static void clamp01(INDArray s) {
        Transforms.max(s, 0.0, false);
        Transforms.min(s, 1.0, false);
    }
}
