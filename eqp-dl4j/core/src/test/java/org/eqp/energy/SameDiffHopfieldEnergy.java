package org.eqp.energy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eqp.dynamics.NetworkParams;
import org.eqp.topology.Block;
import org.eqp.topology.Topology;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The Hopfield energy of {@link HopfieldEnergy} written as a SameDiff graph, so that its gradients come from
 * autodiff (the hand-fused path must agree with the same energy written in SameDiff). This is the template
 * for user-defined energies: relax with dE/ds ({@link #stateGradient}) and train with
 * (1/beta)(dE/dtheta at s^beta - dE/dtheta at s^0) ({@link #epParameterGradient}; Scellier and Bengio 2017,
 * Theorem 1).
 *
 * <p>The graph, built once per topology in DOUBLE, computes the batch-summed energy (Scellier and Bengio 2017,
 * eq. 1)
 * <pre>
 *   E = sum_batch [ 1/2 sum_{l &gt;= 1} ||s_l||^2 - sum_{blocks (a, b)} rho(s_a)^T W_ab rho(s_b)
 *                   - sum_{l &gt;= 1} b_l . rho(s_l) ],   s_0 = x (not passed through rho)
 * </pre>
 * with rho = {@code clipByValue(., 0, 1)}. Autodiff gives clipByValue the derivative 1 strictly inside (0, 1) and 0
 * on and outside the bounds, so at states exactly on 0 or 1 dE/ds differs from {@link HopfieldEnergy}'s
 * convention (rho' = 1 on the closed interval); inside (0, 1) both agree.
 *
 * <p>Graph names: placeholder {@code "x"} [batch, size(0)]; placeholders {@code "s1"} ... {@code "sL"}
 * [batch, size(l)]; variables {@code "W0"} ... (one per block, in {@link Topology#blocks()} order,
 * [size(from), size(to)]) and {@code "b1"} ... {@code "bL"} [1, size(l)]; output scalar {@code "energy"}.
 * Shapes of the method arguments: as in {@link HopfieldEnergy} ({@code states[0]} ignored). Parameter values are
 * copied into the graph's variables on every call; inputs of any floating type are cast to DOUBLE.
 *
 * <p>Results are copies (the graph may reuse its arrays in the next call). Not thread safe: the graph's variables
 * are overwritten by every call. Building the gradient function prints one line per op to stdout (ND4J M2.1).
 */
public final class SameDiffHopfieldEnergy {
    private static final String ENERGY = "energy";
    private final Topology topology;
    private final SameDiff sd;
    private final List<String> stateNames = new ArrayList<>();
    private final List<String> parameterNames = new ArrayList<>();

    /**
     * @throws IllegalArgumentException for a topology with intralayer blocks: autodiff of this graph would give the
     *                                  derivative of each stored entry, not of the pair weight they share (use
     *                                  {@link HopfieldEnergy})
     */
    public SameDiffHopfieldEnergy(Topology topology) {
        if (topology.blocks().stream().anyMatch(Block::intralayer)) {
            throw new IllegalArgumentException("SameDiffHopfieldEnergy does not support intralayer blocks; use "
                    + "HopfieldEnergy for " + topology);
        }
        this.topology = topology;
        this.sd = SameDiff.create();
        int layers = topology.numLayers();
        SDVariable[] activity = new SDVariable[layers];
        SDVariable[] state = new SDVariable[layers];
        activity[0] = sd.placeHolder("x", DataType.DOUBLE, -1, topology.size(0));
        for (int l = 1; l < layers; l++) {
            state[l] = sd.placeHolder(stateName(l), DataType.DOUBLE, -1, topology.size(l));
            activity[l] = sd.math().clipByValue(state[l], 0.0, 1.0);
            stateNames.add(stateName(l));
        }
        SDVariable energy = null;
        for (int l = 1; l < layers; l++) {
            SDVariable bias = sd.var(biasName(l), DataType.DOUBLE, 1, topology.size(l));
            parameterNames.add(biasName(l));
            SDVariable term = state[l].mul(state[l]).sum().mul(0.5).sub(activity[l].mul(bias).sum());
            energy = energy == null ? term : energy.add(term);
        }
        List<Block> blocks = topology.blocks();
        for (int k = 0; k < blocks.size(); k++) {
            Block b = blocks.get(k);
            SDVariable w = sd.var(weightName(k), DataType.DOUBLE, topology.size(b.from()), topology.size(b.to()));
            parameterNames.add(weightName(k));
            energy = energy.sub(activity[b.from()].mmul(w).mul(activity[b.to()]).sum());
        }
        energy.rename(ENERGY);
        sd.setLossVariables(ENERGY);
        sd.createGradFunction(stateNames.toArray(new String[0]));
    }

    public Topology topology() {
        return topology;
    }

    /** The underlying graph (names in the class javadoc). */
    public SameDiff graph() {
        return sd;
    }

    /**
     * The energy summed over the batch. Evaluated through the gradient function: in ND4J 1.0.0-M2.1,
     * {@code SameDiff.output} on this graph returned a wrong energy once {@code calculateGradients} had run
     * (measured on a 2-2-1 net: 1.895 instead of 1.961).
     */
    public double energy(INDArray x, INDArray[] states, NetworkParams params) {
        loadParameters(params);
        return sd.calculateGradientsAndOutputs(placeholders(x, states), List.of(ENERGY), null).getOutputs().get(ENERGY)
                .getDouble(0);
    }

    /**
     * dE/ds_l by autodiff, for every non-input layer.
     *
     * @return index l (1 &lt;= l &lt;= output): [batch, size(l)], DOUBLE; index 0 is null
     */
    public INDArray[] stateGradient(INDArray x, INDArray[] states, NetworkParams params) {
        loadParameters(params);
        Map<String, INDArray> grads = sd.calculateGradients(placeholders(x, states), stateNames);
        INDArray[] out = new INDArray[topology.numLayers()];
        for (int l = 1; l < topology.numLayers(); l++) {
            out[l] = grads.get(stateName(l)).dup();
        }
        return out;
    }

    /**
     * dE/dtheta by autodiff, summed over the batch.
     *
     * @return a new DOUBLE parameter set: weights [size(from), size(to)], biases [1, size(l)]
     */
    public NetworkParams parameterGradient(INDArray x, INDArray[] states, NetworkParams params) {
        loadParameters(params);
        Map<String, INDArray> grads = sd.calculateGradients(placeholders(x, states), parameterNames);
        INDArray[] weights = new INDArray[topology.blocks().size()];
        for (int k = 0; k < weights.length; k++) {
            weights[k] = grads.get(weightName(k)).dup();
        }
        INDArray[] biases = new INDArray[topology.numLayers()];
        for (int l = 1; l < biases.length; l++) {
            biases[l] = grads.get(biasName(l)).dup();
        }
        return new NetworkParams(topology, weights, biases);
    }

    /**
     * EP's parameter gradient (Scellier and Bengio 2017, Theorem 1, at finite beta), summed over the batch:
     * {@code (1/beta) (dE/dtheta(s^beta) - dE/dtheta(s^0))}, an estimate of +dL/dtheta (descent convention, the
     * same quantity {@link org.eqp.learning.EquilibriumPropagation#writeGradients} writes).
     *
     * @param statesFree   the free equilibrium s^0, per layer [batch, size(l)]
     * @param statesNudged the nudged equilibrium s^beta, per layer [batch, size(l)]
     * @param beta         the signed nudge strength that produced s^beta, non-zero
     * @return a new DOUBLE parameter set holding the gradient
     */
    public NetworkParams epParameterGradient(INDArray x, INDArray[] statesFree, INDArray[] statesNudged, double beta,
                                             NetworkParams params) {
        NetworkParams free = parameterGradient(x, statesFree, params);
        NetworkParams nudged = parameterGradient(x, statesNudged, params);
        for (int k = 0; k < topology.blocks().size(); k++) {
            nudged.weight(k).subi(free.weight(k)).divi(beta);
        }
        for (int l = 1; l < topology.numLayers(); l++) {
            nudged.bias(l).subi(free.bias(l)).divi(beta);
        }
        return nudged;
    }

    private void loadParameters(NetworkParams params) {
        for (int k = 0; k < topology.blocks().size(); k++) {
            sd.getVariable(weightName(k)).getArr().assign(params.weight(k).castTo(DataType.DOUBLE));
        }
        for (int l = 1; l < topology.numLayers(); l++) {
            sd.getVariable(biasName(l)).getArr().assign(params.bias(l).castTo(DataType.DOUBLE).reshape(1, topology.size(l)));
        }
    }

    private Map<String, INDArray> placeholders(INDArray x, INDArray[] states) {
        Map<String, INDArray> values = new HashMap<>();
        values.put("x", x.castTo(DataType.DOUBLE));
        for (int l = 1; l < topology.numLayers(); l++) {
            values.put(stateName(l), states[l].castTo(DataType.DOUBLE));
        }
        return values;
    }

    private static String stateName(int layer) {
        return "s" + layer;
    }

    private static String biasName(int layer) {
        return "b" + layer;
    }

    private static String weightName(int block) {
        return "W" + block;
    }
}
