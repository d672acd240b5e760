package org.eqp.energy;

import java.util.List;
import org.eqp.dynamics.NetworkParams;
import org.eqp.topology.Block;
import org.eqp.topology.Topology;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Double-precision reference implementation of the Hopfield energy of an EP network and of its gradients
 * (Scellier and Bengio 2017, "Equilibrium Propagation", eq. 1, in the seed code's layered form,
 * {@link org.eqp.learning} "Conventions"):
 * <pre>
 *   E(s; x, theta) = 1/2 sum_{l &gt;= 1} ||s_l||^2
 *                    - sum_{blocks (a, b), a &lt; b} rho(s_a)^T W_ab rho(s_b)
 *                    - 1/2 sum_{intralayer blocks (l, l)} rho(s_l)^T W_ll rho(s_l)
 *                    - sum_{l &gt;= 1} b_l . rho(s_l)                       per example, with s_0 = x
 * </pre>
 * where rho = clamp(., 0, 1) is the hard sigmoid and the clamped input x enters as it is (not through rho).
 * The cost is C = ||y - s_out||^2 (no 1/2) and the total energy F = E + beta * C (eq. 4).
 *
 * <p>EP's learning rule (Scellier and Bengio 2017, Theorem 1) estimates the gradient of the loss
 * L(theta) = C(y, s^0(theta)) at the free equilibrium s^0 by
 * <pre>  dL/dtheta = lim_{beta -&gt; 0} (1/beta) (dF/dtheta(s^beta) - dF/dtheta(s^0)),</pre>
 * and since C does not depend on theta, dF/dtheta = dE/dtheta = {@link #parameterGradient}.
 *
 * <p>This class is the readable ground truth for tests and diagnostics, not the training hot path (which is the
 * fused float32 {@link org.eqp.dynamics.Relaxation}). Every method accepts arrays of any floating data type and
 * computes in DOUBLE.
 *
 * <p>Shapes: {@code x} is [batch, size(0)]; {@code states[l]} is [batch, size(l)] for 1 &lt;= l &lt;= output
 * ({@code states[0]} is ignored and may be null); the parameters are laid out as in {@link NetworkParams}.
 *
 * <p>Derivative of rho at the bounds: rho'(s) = 1 on the closed interval [0, 1] and 0 outside it. This is the
 * one-sided derivative from inside the box that the clamped relaxation uses: at a state on a bound, -dE/ds is the
 * velocity {@code W rho(s) + b - s} of the Euler step before its clamp.
 */
public final class HopfieldEnergy {
    private final Topology topology;

    public HopfieldEnergy(Topology topology) {
        this.topology = topology;
    }

    public Topology topology() {
        return topology;
    }

    /**
     * The energy of each example.
     *
     * @return E per example, length batch
     */
    public double[] energyPerExample(INDArray x, INDArray[] states, NetworkParams params) {
        INDArray e = Nd4j.zeros(DataType.DOUBLE, x.size(0), 1);
        for (int l = 1; l < topology.numLayers(); l++) {
            INDArray s = d(states[l]);
            e.addi(s.mul(s).sum(true, 1).muli(0.5));
            e.subi(rho(s).mulRowVector(d(params.bias(l)).reshape(1, topology.size(l))).sum(true, 1));
        }
        List<Block> blocks = topology.blocks();
        for (int k = 0; k < blocks.size(); k++) {
            Block b = blocks.get(k);
            INDArray lower = activity(b.from(), x, states);
            INDArray upper = activity(b.to(), x, states);
            e.subi(lower.mmul(d(params.weight(k))).muli(upper).sum(true, 1).muli(b.intralayer() ? 0.5 : 1.0));
        }
        return e.data().asDouble();
    }

    /** The energy summed over the batch. */
    public double energy(INDArray x, INDArray[] states, NetworkParams params) {
        double sum = 0;
        for (double v : energyPerExample(x, states, params)) {
            sum += v;
        }
        return sum;
    }

    /**
     * dE/ds_l for every non-input layer:
     * {@code s_l - rho'(s_l) * (sum over blocks touching l of the neighbour's rho(s) through W or W^T + b_l)}.
     *
     * @return index l (1 &lt;= l &lt;= output): [batch, size(l)], DOUBLE; index 0 is null
     */
    public INDArray[] stateGradient(INDArray x, INDArray[] states, NetworkParams params) {
        int layers = topology.numLayers();
        INDArray[] field = new INDArray[layers];
        for (int l = 1; l < layers; l++) {
            field[l] = d(params.bias(l)).reshape(1, topology.size(l)).repeat(0, x.size(0));
        }
        List<Block> blocks = topology.blocks();
        for (int k = 0; k < blocks.size(); k++) {
            Block b = blocks.get(k);
            INDArray w = d(params.weight(k));
            field[b.to()].addi(activity(b.from(), x, states).mmul(w));
            if (!b.fromInput() && !b.intralayer()) {
                field[b.from()].addi(activity(b.to(), x, states).mmul(w.transpose()));
            }
        }
        INDArray[] grad = new INDArray[layers];
        for (int l = 1; l < layers; l++) {
            INDArray s = d(states[l]);
            grad[l] = s.sub(field[l].muli(rhoPrime(s)));
        }
        return grad;
    }

    /**
     * dE/dtheta summed over the batch: {@code dE/dW_ab = -sum_batch rho(s_a)^T rho(s_b)} ([size(a), size(b)],
     * with rho(s_0) = x) and {@code dE/db_l = -sum_batch rho(s_l)} ([1, size(l)]). For an intralayer block the
     * parameter is the pair weight W_ij = W_ji (stored twice), whose derivative -rho_i rho_j has the same form; the
     * diagonal (no connection) is then meaningless.
     *
     * @return a new DOUBLE parameter set holding the gradients
     */
    public NetworkParams parameterGradient(INDArray x, INDArray[] states) {
        List<Block> blocks = topology.blocks();
        INDArray[] gw = new INDArray[blocks.size()];
        for (int k = 0; k < blocks.size(); k++) {
            Block b = blocks.get(k);
            gw[k] = activity(b.from(), x, states).transpose().mmul(activity(b.to(), x, states)).negi();
        }
        INDArray[] gb = new INDArray[topology.numLayers()];
        for (int l = 1; l < topology.numLayers(); l++) {
            gb[l] = rho(d(states[l])).sum(true, 0).negi();
        }
        return new NetworkParams(topology, gw, gb);
    }

    /**
     * The cost C = ||y - s_out||^2 summed over the batch.
     *
     * @param targets y, [batch, size(output)]
     * @param output  s_out, [batch, size(output)]
     */
    public static double cost(INDArray targets, INDArray output) {
        INDArray diff = d(targets).sub(d(output));
        return diff.mul(diff).sumNumber().doubleValue();
    }

    /** rho(s_l) for a state layer, x itself for the input layer; DOUBLE. */
    private static INDArray activity(int layer, INDArray x, INDArray[] states) {
        return layer == 0 ? d(x) : rho(d(states[layer]));
    }

    private static INDArray rho(INDArray s) {
        return Transforms.min(Transforms.max(s, 0.0), 1.0);
    }

    private static INDArray rhoPrime(INDArray s) {
        return s.gte(0.0).castTo(DataType.DOUBLE).muli(s.lte(1.0).castTo(DataType.DOUBLE));
    }

    private static INDArray d(INDArray a) {
        return a.castTo(DataType.DOUBLE);
    }
}
