package org.eqp.energy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Composes a Hopfield-style energy from couplings, so that a user need not write it by hand:
 * <pre>
 *   E = sum_g [ 1/2 ||s_g||^2 - b_g . rho(s_g) ] - sum_couplings T(rho(from), rho(to))
 * </pre>
 * with rho = clamp(., 0, 1) (written as the identity, see {@link #activity}; the input enters as it is), summed over the batch (Scellier and Bengio 2017, eq. 1, with
 * the couplings as the interaction terms). Each state group has a bias b_g (variable {@code "b" + name}: [1, n] for
 * a dense group, one per channel [1, C, 1, 1] for feature maps). The couplings, whose weights are {@code "W0"},
 * {@code "W1"}, ... in the order they are added:
 * <ul>
 *   <li>{@link #dense}: T = rho(a) W rho(b), optionally with a 0/1 mask on W (skip or sparse connections; the mask
 *       keeps absent weights out of the energy, so their EP gradient is zero);</li>
 *   <li>{@link #convPool}: T = rho(b) . maxpool(conv(rho(a), W)) for feature maps [batch, channels, h, w] (the
 *       convolutional energy of Ernoult et al. 2019, with the pooling inside the coupling): "valid" convolution with
 *       stride 1, then non-overlapping max pooling.</li>
 * </ul>
 * Weights start Glorot-uniform, U(-sqrt(6 / (fanIn + fanOut)), +), from the given seed; biases at zero.
 */
public final class EnergyGraph {
    private static final String INPUT = "x";
    private final SameDiff sd = SameDiff.create();
    private final DataType type;
    private final Random random;
    private SDVariable input;
    private final List<SDVariable> states = new ArrayList<>();
    private final List<SDVariable> terms = new ArrayList<>();
    private final List<SDVariable> halfSquares = new ArrayList<>();
    private int couplings;

    /** @param seed seeds the initial weights */
    public EnergyGraph(DataType type, long seed) {
        this.type = type;
        this.random = new Random(seed);
    }

    /** The clamped input, [batch, shape...] (e.g. {@code input(784)} or {@code input(1, 28, 28)}); first. */
    public SDVariable input(long... shape) {
        if (input != null) {
            throw new IllegalStateException("the input is already declared");
        }
        input = sd.placeHolder(INPUT, type, withBatch(shape));
        return input;
    }

    /**
     * A state group, [batch, n] or feature maps [batch, channels, h, w], with its bias; declare them bottom first, the
     * [batch, nOut] output group last.
     */
    public SDVariable state(String name, long... shape) {
        SDVariable s = sd.placeHolder(name, type, withBatch(shape));
        states.add(s);
        halfSquares.add(sd.math().square(s).sum().mul(0.5));
        long[] biasShape = shape.length == 1 ? new long[] {1, shape[0]} : new long[] {1, shape[0], 1, 1};
        SDVariable bias = sd.var("b" + name, Nd4j.zeros(type, biasShape));
        terms.add(activity(s).mul(bias).sum());
        return s;
    }

    /** A dense coupling from a (the input or a state, any rank: flattened) to the state group b [batch, n]. */
    public EnergyGraph dense(SDVariable a, SDVariable b) {
        return dense(a, b, null);
    }

    /**
     * A dense coupling restricted to a 0/1 mask [size(a), size(b)] (null for all pairs).
     *
     * @throws IllegalArgumentException for a mask of another shape or b not [batch, n]
     */
    public EnergyGraph dense(SDVariable a, SDVariable b, INDArray mask) {
        long fanIn = units(a);
        long[] to = b.placeholderShape();
        if (to.length != 2) {
            throw new IllegalArgumentException("a dense coupling needs its upper group [batch, n]; '" + b.name()
                    + "' is " + java.util.Arrays.toString(to));
        }
        long fanOut = to[1];
        int k = couplings++;
        SDVariable w = sd.var("W" + k, glorot(new long[] {fanIn, fanOut}, fanIn, fanOut));
        if (mask != null) {
            if (mask.rank() != 2 || mask.size(0) != fanIn || mask.size(1) != fanOut) {
                throw new IllegalArgumentException("the mask of coupling " + a.name() + " -> " + b.name() + " must be ["
                        + fanIn + ", " + fanOut + "]; got " + java.util.Arrays.toString(mask.shape()));
            }
            w.getArr().muli(mask);
            w = w.mul(sd.constant("mask" + k, mask.castTo(type)));
        }
        terms.add(flat(activity(a), fanIn).mmul(w).mul(activity(b)).sum());
        return this;
    }

    /**
     * A convolution + max-pooling coupling between feature maps: a [batch, cIn, h, w] to b [batch, cOut, h', w'] with
     * h' = (h - kernel + 1) / pool (and the same for w).
     *
     * @throws IllegalArgumentException when b's shape is not what the convolution and pooling make of a's
     */
    public EnergyGraph convPool(SDVariable a, SDVariable b, int kernel, int pool) {
        long[] from = a.placeholderShape();
        long[] to = b.placeholderShape();
        if (from.length != 4 || to.length != 4) {
            throw new IllegalArgumentException("a conv coupling joins feature maps [batch, channels, h, w]; got "
                    + java.util.Arrays.toString(from) + " -> " + java.util.Arrays.toString(to));
        }
        long h = (from[2] - kernel + 1) / pool;
        long wd = (from[3] - kernel + 1) / pool;
        if (to[2] != h || to[3] != wd) {
            throw new IllegalArgumentException("conv " + kernel + "x" + kernel + " then pool " + pool + " maps "
                    + java.util.Arrays.toString(from) + " to [" + to[1] + ", " + h + ", " + wd + "], but '" + b.name()
                    + "' is " + java.util.Arrays.toString(to));
        }
        int k = couplings++;
        long fanIn = from[1] * kernel * kernel;
        long fanOut = to[1] * kernel * kernel;
        SDVariable w = sd.var("W" + k, glorot(new long[] {kernel, kernel, from[1], to[1]}, fanIn, fanOut));
        Conv2DConfig conv = Conv2DConfig.builder().kH(kernel).kW(kernel).sH(1).sW(1)
                .paddingMode(PaddingMode.VALID).dataFormat("NCHW").build();
        Pooling2DConfig pooling = Pooling2DConfig.builder().kH(pool).kW(pool).sH(pool).sW(pool)
                .paddingMode(PaddingMode.VALID).isNHWC(false).build();
        SDVariable drive = sd.cnn().maxPooling2d(sd.cnn().conv2d(activity(a), w, conv), pooling);
        terms.add(drive.mul(activity(b)).sum());
        return this;
    }

    /**
     * Adds the quadratic term, names the energy and checks it ({@link SameDiffEnergy.Builder#build()}).
     *
     * @throws IllegalStateException when the input, a state or a coupling is missing
     */
    public SameDiffEnergy build() {
        if (input == null || states.isEmpty() || couplings == 0) {
            throw new IllegalStateException("declare the input, the state groups and at least one coupling first");
        }
        SDVariable energy = null;
        for (SDVariable half : halfSquares) {
            energy = energy == null ? half : energy.add(half);
        }
        for (SDVariable t : terms) {
            energy = energy.sub(t);
        }
        energy.rename("energy");
        String[] names = states.stream().map(SDVariable::name).toArray(String[]::new);
        return SameDiffEnergy.builder(sd).input(INPUT).states(names).energy("energy").build();
    }

    /**
     * rho(s) as the graph writes it: the state itself. The relaxation keeps every state in [0, 1], where
     * rho = clamp(., 0, 1) is the identity; writing it so gives rho' = 1 on the closed interval (the fused path's
     * convention), where autodiff of a clip would give 0 at the bounds and states starting at zero would never move.
     */
    private static SDVariable activity(SDVariable v) {
        return v;
    }

    private SDVariable flat(SDVariable v, long units) {
        return v.placeholderShape().length == 2 ? v : v.reshape(-1, units);
    }

    private static long units(SDVariable v) {
        long n = 1;
        long[] shape = v.placeholderShape();
        for (int d = 1; d < shape.length; d++) {
            n *= shape[d];
        }
        return n;
    }

    private INDArray glorot(long[] shape, long fanIn, long fanOut) {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        INDArray w = Nd4j.create(type, shape);
        for (long i = 0, n = w.length(); i < n; i++) {
            w.putScalar(i, (2 * random.nextDouble() - 1) * limit);
        }
        return w;
    }

    private static long[] withBatch(long[] shape) {
        long[] s = new long[shape.length + 1];
        s[0] = -1;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }
}
