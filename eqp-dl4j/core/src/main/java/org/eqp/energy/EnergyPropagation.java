package org.eqp.energy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eqp.dynamics.NudgeForce;
import org.eqp.dynamics.RelaxationResult;
import org.eqp.learning.EpSettings;
import org.eqp.learning.RandomBetaSign;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Equilibrium propagation on any {@link SameDiffEnergy} (Scellier and Bengio 2017, §3 and Theorem 1): the free phase
 * relaxes the states from zero with the input clamped ({@link EnergyRelaxation}); the nudged phase relaxes on with the
 * outputs nudged toward the targets; the parameter gradient, in DL4J's descent convention and summed over the batch,
 * is
 * <pre>  G_theta = (1/beta) * [ dE/dtheta (x, s^beta) - dE/dtheta (x, s^0) ]   for every SameDiff variable theta</pre>
 * (for the Hopfield energy, dE/dW = -rho(s_a)^T rho(s_b), this is exactly {@link org.eqp.learning.NudgedEquilibrium}'s
 * update), and the same difference for the clamped input x gives EP's estimate of dL/dx. With {@link EpSettings#symmetricNudging()} s^0 and beta become s^-beta and 2 beta; with
 * {@link EpSettings#randomSignBeta()} beta's sign is drawn per step by {@link RandomBetaSign}.
 *
 * <p>Persistent particles are not offered for SameDiff energies (every phase starts from zero states).
 */
public final class EnergyPropagation {
    private final SameDiffEnergy energy;
    private final EpSettings settings;
    private final NudgeForce nudge;
    private final RandomBetaSign sign;
    private EnergyRelaxation relaxation;
    /** s^0 of the current batch, and s^-beta under symmetric nudging; allocated per batch size. */
    private INDArray[] freeStates;
    private INDArray[] minusStates;
    private RelaxationResult lastFree;
    /**
     * @param nudge the output nudge (e.g. {@link org.eqp.dynamics.SquaredErrorNudge} for DL4J's {@code LossL2})
     * @param seed  seeds the random sign of beta
     * @throws IllegalArgumentException when the settings ask for persistent particles
     */
    public EnergyPropagation(SameDiffEnergy energy, EpSettings settings, NudgeForce nudge, long seed) {
        if (settings.persistentParticles()) {
            throw new IllegalArgumentException("persistent particles are not available for SameDiff energies; turn "
                    + "them off (free phases start from zero states)");
        }
        this.energy = energy;
        this.settings = settings;
        this.nudge = nudge;
        this.sign = new RandomBetaSign(seed);
    }

    public SameDiffEnergy energy() {
        return energy;
    }

    public EpSettings settings() {
        return settings;
    }

    /**
     * The free phase: relaxes from zero states with x clamped.
     *
     * @param x the input, shape {@link SameDiffEnergy#inputShape}, finite
     * @return the output group's states [batch, nOut], 'f' order: a live buffer the next phase overwrites
     */
    public INDArray freePhase(INDArray x) {
        requireInput(x);
        EnergyRelaxation r = relaxation((int) x.size(0));
        r.clampInput(x);
        r.resetStates();
        lastFree = r.run(settings.freeIterations(), settings.eps(), settings.tolerance(), null);
        return r.state(r.states().length - 1);
    }

    /**
     * One training step: free phase, nudged phase(s), and the EP gradient of every parameter.
     *
     * @param x        the input, shape {@link SameDiffEnergy#inputShape}, finite
     * @param labels   the targets, [batch, nOut] ({@link NudgeForce#targetColumns}), 'f' order is used as given
     * @param signDraw the index of this step's random-sign draw (counts the nudged phases of the run)
     * @return the gradients (new arrays, keyed by variable name), the free outputs and what the phases did
     */
    public Step trainingStep(INDArray x, INDArray labels, long signDraw) {
        requireLabels(labels, x.size(0));
        INDArray freeOutputs = freePhase(x).dup('f');
        RelaxationResult free = lastFree;
        EnergyRelaxation r = relaxation;
        INDArray[] states = r.states();
        copy(states, freeStates);
        INDArray targets = labels.dup('f');
        double beta = settings.beta();
        if (settings.randomSignBeta() && sign.negative(signDraw)) {
            beta = -beta;
        }
        INDArray[] low = freeStates;
        if (settings.symmetricNudging()) {
            relaxNudged(r, targets, -beta);
            copy(states, minusStates);
            copy(freeStates, states);
            low = minusStates;
        }
        RelaxationResult nudged = relaxNudged(r, targets, beta);
        double span = settings.symmetricNudging() ? 2 * beta : beta;
        List<String> wrt = new ArrayList<>(energy.parameterNames());
        wrt.add(energy.inputName());
        Map<String, INDArray> high = copyAll(energy.gradients(energy.placeholders(x, states), wrt));
        Map<String, INDArray> lowGrads = energy.gradients(energy.placeholders(x, low), wrt);
        Map<String, INDArray> gradients = new LinkedHashMap<>();
        for (String p : energy.parameterNames()) {
            gradients.put(p, high.get(p).subi(lowGrads.get(p)).divi(span));
        }
        INDArray inputGradient = high.get(energy.inputName()).subi(lowGrads.get(energy.inputName())).divi(span);
        return new Step(gradients, inputGradient, freeOutputs, beta, free, nudged);
    }

    /**
     * What one training step produced.
     *
     * @param gradients     G_theta per variable name, shaped as the variable, summed over the batch
     * @param inputGradient EP's estimate of dL/dx, (1/beta) [dE/dx (s^beta) - dE/dx (s^0)], shaped as the input, one
     *                      row per example (DL4J's epsilon for a layer below)
     * @param freeOutputs   the output group at s^0, [batch, nOut], a copy
     * @param signedBeta    beta with the sign used
     * @param free          what the free phase did
     * @param nudged        what the (+beta) nudged phase did
     */
    public record Step(Map<String, INDArray> gradients, INDArray inputGradient, INDArray freeOutputs, double signedBeta,
                       RelaxationResult free, RelaxationResult nudged) {
    }

    private RelaxationResult relaxNudged(EnergyRelaxation r, INDArray targets, double beta) {
        nudge.prepare(targets, beta);
        return r.run(settings.nudgedIterations(), settings.eps(), settings.tolerance(), nudge);
    }

    private EnergyRelaxation relaxation(int batch) {
        if (relaxation == null || relaxation.batchSize() != batch) {
            relaxation = new EnergyRelaxation(energy, batch);
            freeStates = copies(relaxation.states());
            minusStates = settings.symmetricNudging() ? copies(relaxation.states()) : null;
        }
        return relaxation;
    }

    private void requireLabels(INDArray labels, long rows) {
        long columns = nudge.targetColumns(energy.outputSize());
        if (labels.rank() != 2 || labels.size(0) != rows || labels.size(1) != columns) {
            throw new IllegalArgumentException("expected labels [" + rows + ", " + columns + "] (one row per example, "
                    + "one column per output unit); got " + java.util.Arrays.toString(labels.shape()));
        }
        if (labels.isNaN().any() || labels.isInfinite().any()) {
            throw new IllegalArgumentException("the labels contain NaN or infinite values; clean the data");
        }
        if (nudge.boundedTargets() && (labels.minNumber().doubleValue() < 0 || labels.maxNumber().doubleValue() > 1)) {
            throw new IllegalArgumentException("labels must lie in [0, 1] (the reach of the clamped output states); "
                    + "use one-hot labels, or scale regression targets to [0, 1]");
        }
    }

    private void requireInput(INDArray x) {
        long[] expected = energy.inputShape((int) x.size(0));
        if (!java.util.Arrays.equals(x.shape(), expected)) {
            throw new IllegalArgumentException("expected the input of shape " + java.util.Arrays.toString(expected)
                    + " (the energy's input placeholder '" + energy.inputName() + "'); got "
                    + java.util.Arrays.toString(x.shape()));
        }
        if (x.isNaN().any() || x.isInfinite().any()) {
            throw new IllegalArgumentException("The input features contain NaN or infinite values; clean or impute the "
                    + "data before using the EP network");
        }
    }

    private static INDArray[] copies(INDArray[] arrays) {
        INDArray[] out = new INDArray[arrays.length];
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            for (int i = 0; i < arrays.length; i++) {
                out[i] = arrays[i].dup(arrays[i].ordering());
            }
        }
        return out;
    }

    private static void copy(INDArray[] from, INDArray[] to) {
        for (int g = 0; g < from.length; g++) {
            to[g].assign(from[g]);
        }
    }

    private static Map<String, INDArray> copyAll(Map<String, INDArray> grads) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        grads.forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }
}
