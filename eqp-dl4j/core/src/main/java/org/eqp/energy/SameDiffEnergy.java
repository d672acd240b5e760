package org.eqp.energy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An energy function E(x, s_1..s_G; theta) written by the user as a SameDiff graph, checked once when it is built:
 * a placeholder for the clamped input x, one placeholder per state group s_g (any rank, batch first: dense layers
 * [batch, n], feature maps [batch, channels, height, width]), the SameDiff variables as the parameters theta, and a
 * scalar energy summed over the batch. The last state group is the output group, which the nudge acts on; it must be
 * [batch, nOut].
 *
 * <pre>
 *   SameDiffEnergy energy = SameDiffEnergy.builder(sd).input("x").states("h", "y").energy("E").build();
 * </pre>
 *
 * <p>EP needs nothing else from the graph: the states relax by dE/ds ({@link EnergyRelaxation}) and the parameters
 * learn by (1/beta)(dE/dtheta at s^beta - dE/dtheta at s^0) ({@link EnergyPropagation}; Scellier and Bengio 2017,
 * Theorem 1, which holds for any energy). Both gradients come from one gradient function, built here once.
 *
 * <p>Not thread safe: the graph holds its parameter arrays, and every call overwrites its placeholders.
 */
public final class SameDiffEnergy {
    private final SameDiff sd;
    private final String input;
    private final List<String> states;
    private final String energy;
    private final List<String> parameters;
    private final long[] inputShape;
    private final List<long[]> stateShapes;
    private final DataType dataType;

    private SameDiffEnergy(Builder b, List<String> parameters, List<long[]> stateShapes) {
        this.sd = b.sd;
        this.input = b.input;
        this.states = List.copyOf(b.states);
        this.energy = b.energy;
        this.parameters = List.copyOf(parameters);
        this.inputShape = sd.getVariable(input).placeholderShape();
        this.stateShapes = stateShapes;
        this.dataType = sd.getVariable(input).dataType();
    }

    public static Builder builder(SameDiff sd) {
        return new Builder(sd);
    }

    /** The graph (its variables hold the parameters theta). */
    public SameDiff graph() {
        return sd;
    }

    /** The scalar energy variable. */
    public String energyName() {
        return energy;
    }

    public String inputName() {
        return input;
    }

    /** The state groups, in the order given; the last is the output group. */
    public List<String> stateNames() {
        return states;
    }

    /** The trainable parameters: every SameDiff variable of the graph, in the graph's order. */
    public List<String> parameterNames() {
        return parameters;
    }

    public DataType dataType() {
        return dataType;
    }

    /** The shape of state group g for a batch of {@code batch} examples. */
    public long[] stateShape(int g, int batch) {
        return withBatch(stateShapes.get(g), batch);
    }

    /** The input's shape for a batch of {@code batch} examples. */
    public long[] inputShape(int batch) {
        return withBatch(inputShape, batch);
    }

    /**
     * The features as the input placeholder's shape: as they are when they have it, else reshaped ('c' order) when an
     * example has as many values (e.g. [batch, 784] to [batch, 1, 28, 28]).
     *
     * @throws IllegalArgumentException when an example has another number of values
     */
    public INDArray toInput(INDArray features) {
        long[] shape = inputShape((int) features.size(0));
        if (Arrays.equals(features.shape(), shape)) {
            return features;
        }
        if (features.length() != Arrays.stream(shape).reduce(1, (a, b) -> a * b)) {
            throw new IllegalArgumentException("the energy's input '" + input + "' takes " + Arrays.toString(shape)
                    + "; got features " + Arrays.toString(features.shape()));
        }
        return features.dup('c').reshape('c', shape);
    }

    /** Number of output units (the output group is [batch, nOut]). */
    public int outputSize() {
        return (int) stateShapes.get(stateShapes.size() - 1)[1];
    }

    /**
     * dE/d(each named variable) at these placeholder values, as the graph returns them (its own arrays, valid until
     * the next call; copy what you keep).
     */
    Map<String, INDArray> gradients(Map<String, INDArray> placeholders, List<String> of) {
        return sd.calculateGradients(placeholders, of);
    }

    /**
     * The energy, summed over the batch, at these values (through the gradient function: in ND4J 1.0.0-M2.1
     * {@code SameDiff.output} can return a stale energy once gradients have been taken).
     *
     * @param x      the input, {@link #inputShape}
     * @param states one array per state group, {@link #stateShape}
     */
    public double energy(INDArray x, INDArray... states) {
        OutAndGrad out = sd.calculateGradientsAndOutputs(placeholders(x, states), List.of(energy), List.of());
        return out.getOutputs().get(energy).getDouble(0);
    }

    /** The placeholder map for these values, cast to the graph's data type where they differ. */
    Map<String, INDArray> placeholders(INDArray x, INDArray[] stateValues) {
        if (stateValues.length != states.size()) {
            throw new IllegalArgumentException("expected " + states.size() + " state arrays " + states + "; got "
                    + stateValues.length);
        }
        Map<String, INDArray> values = new HashMap<>();
        values.put(input, cast(x));
        for (int g = 0; g < states.size(); g++) {
            values.put(states.get(g), cast(stateValues[g]));
        }
        return values;
    }

    private INDArray cast(INDArray a) {
        return a.dataType() == dataType ? a : a.castTo(dataType);
    }

    private static long[] withBatch(long[] shape, int batch) {
        long[] s = shape.clone();
        s[0] = batch;
        return s;
    }

    /** Names the graph's parts; {@link #build()} checks them. */
    public static final class Builder {
        private final SameDiff sd;
        private String input;
        private final List<String> states = new ArrayList<>();
        private String energy;

        private Builder(SameDiff sd) {
            this.sd = Objects.requireNonNull(sd, "the SameDiff graph");
        }

        /** The placeholder of the clamped input x, shape [batch (-1), ...]. */
        public Builder input(String placeholder) {
            this.input = placeholder;
            return this;
        }

        /** The state placeholders, bottom first, the output group last; shapes [batch (-1), ...] fixed otherwise. */
        public Builder states(String... placeholders) {
            states.addAll(Arrays.asList(placeholders));
            return this;
        }

        /** The scalar energy, summed over the batch. */
        public Builder energy(String variable) {
            this.energy = variable;
            return this;
        }

        /**
         * Checks the graph on a batch of one example (zeros for the input, 1/2 for every state) and builds its
         * gradient function.
         *
         * @throws IllegalArgumentException naming the problem: a missing or misnamed placeholder, a shape with an
         *                                  unknown non-batch size, no parameters, a non-scalar energy, a state group
         *                                  with no gradient path to the energy, an output group that is not
         *                                  [batch, nOut]
         */
        public SameDiffEnergy build() {
            requirePlaceholder(input, "input");
            if (states.isEmpty()) {
                throw new IllegalArgumentException("name at least one state placeholder: states(\"h\", \"y\")");
            }
            Set<String> seen = new LinkedHashSet<>(states);
            if (seen.size() != states.size() || seen.contains(input)) {
                throw new IllegalArgumentException("state and input placeholders must be distinct; got input " + input
                        + ", states " + states);
            }
            List<long[]> shapes = new ArrayList<>();
            for (String s : states) {
                shapes.add(requirePlaceholder(s, "state"));
            }
            long[] outputShape = shapes.get(shapes.size() - 1);
            if (outputShape.length != 2) {
                throw new IllegalArgumentException("the output state group '" + states.get(states.size() - 1)
                        + "' must be [batch, nOut] (the nudge compares it with the labels); got shape "
                        + Arrays.toString(outputShape) + ". Add a dense output group after feature maps");
            }
            if (energy == null || !sd.hasVariable(energy)) {
                throw new IllegalArgumentException("the energy variable '" + energy + "' is not in the graph; name the "
                        + "scalar energy with energy(name)");
            }
            List<String> parameters = new ArrayList<>();
            for (SDVariable v : sd.variables()) {
                if (v.getVariableType() == VariableType.VARIABLE) {
                    parameters.add(v.name());
                }
            }
            if (parameters.isEmpty()) {
                throw new IllegalArgumentException("the energy has no parameters: declare them with sd.var(...)");
            }
            for (SDVariable v : sd.variables()) {
                if (v.getVariableType() == VariableType.PLACEHOLDER && !v.name().equals(input)
                        && !states.contains(v.name())) {
                    throw new IllegalArgumentException("placeholder '" + v.name() + "' is neither the input nor a "
                            + "state group; EP feeds only those (input " + input + ", states " + states + ")");
                }
            }
            sd.setLossVariables(energy);
            // Name the state (and input) placeholders as needing gradients before anything differentiates the graph: otherwise
            // ND4J 1.0.0-M2.1 builds the gradient function along the paths to the variables only, and the terms
            // without parameters (the 1/2 ||s||^2 of a Hopfield energy) silently drop out of dE/ds.
            List<String> needGradients = new ArrayList<>(states);
            needGradients.add(input);
            withoutStdout(() -> sd.createGradFunction(needGradients.toArray(new String[0])));
            SameDiffEnergy built = new SameDiffEnergy(this, parameters, List.copyOf(shapes));
            checkOnOneExample(built);
            return built;
        }

        /**
         * Runs {@code action} with System.out silenced: ND4J 1.0.0-M2.1's {@code createGradFunction} prints one line
         * per op with {@code System.out.println} (hundreds for a conv energy). Output of other threads during the call
         * is lost too; the call is short and made once per energy.
         */
        private static synchronized void withoutStdout(Runnable action) {
            java.io.PrintStream out = System.out;
            System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            try {
                action.run();
            } finally {
                System.setOut(out);
            }
        }

        private long[] requirePlaceholder(String name, String role) {
            if (name == null || !sd.hasVariable(name)
                    || sd.getVariable(name).getVariableType() != VariableType.PLACEHOLDER) {
                throw new IllegalArgumentException("the " + role + " '" + name + "' is not a placeholder of the graph; "
                        + "declare it with sd.placeHolder(name, type, -1, ...)");
            }
            long[] shape = sd.getVariable(name).placeholderShape();
            if (shape == null || shape.length < 2) {
                throw new IllegalArgumentException("the " + role + " placeholder '" + name + "' needs a shape [batch, "
                        + "...] with batch first; got " + Arrays.toString(shape));
            }
            for (int d = 1; d < shape.length; d++) {
                if (shape[d] < 1) {
                    throw new IllegalArgumentException("the " + role + " placeholder '" + name + "' has an unknown size "
                            + "in dimension " + d + " (" + Arrays.toString(shape) + "); only the batch (first) "
                            + "dimension may be -1");
                }
            }
            return shape;
        }

        private void checkOnOneExample(SameDiffEnergy e) {
            INDArray x = Nd4j.zeros(e.dataType, e.inputShape(1));
            INDArray[] s = new INDArray[states.size()];
            for (int g = 0; g < s.length; g++) {
                s[g] = Nd4j.zeros(e.dataType, e.stateShape(g, 1)).addi(0.5);
            }
            List<String> wrt = new ArrayList<>(states);
            wrt.addAll(e.parameters);
            OutAndGrad out;
            try {
                out = sd.calculateGradientsAndOutputs(e.placeholders(x, s), List.of(energy), wrt);
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException("the energy graph fails on one example with input "
                        + Arrays.toString(e.inputShape(1)) + " and states " + describeShapes(e) + ": " + ex.getMessage(),
                        ex);
            }
            INDArray value = out.getOutputs().get(energy);
            if (value == null || value.length() != 1) {
                throw new IllegalArgumentException("the energy '" + energy + "' must be a scalar (sum it over the batch "
                        + "and units); got shape " + (value == null ? "none" : Arrays.toString(value.shape())));
            }
            for (int g = 0; g < states.size(); g++) {
                INDArray grad = out.getGradients().get(states.get(g));
                if (grad == null) {
                    throw new IllegalArgumentException("the state group '" + states.get(g) + "' has no gradient path to "
                            + "the energy: it would never move; make the energy depend on it");
                }
            }
        }

        private String describeShapes(SameDiffEnergy e) {
            List<String> out = new ArrayList<>();
            for (int g = 0; g < states.size(); g++) {
                out.add(states.get(g) + Arrays.toString(e.stateShape(g, 1)));
            }
            return out.toString();
        }
    }
}
