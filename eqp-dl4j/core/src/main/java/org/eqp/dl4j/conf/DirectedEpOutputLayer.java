package org.eqp.dl4j.conf;

import java.util.Collection;
import java.util.Objects;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.NetworkUtils;
import org.eqp.directed.DirectedGraph;
import org.eqp.directed.DirectedRule;
import org.eqp.directed.DirectedSettings;
import org.eqp.dl4j.layers.DirectedEpOutputLayerImpl;
import org.eqp.topology.spec.CompleteDirected;
import org.eqp.topology.spec.DirectedTopologySpec;
import org.eqp.topology.spec.GivenDirectedGraph;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossL2;

/**
 * A directed EP network (Farinha et al. 2020) as one DL4J output layer: this layer's nIn inputs plus a bias unit
 * drive a complete directed graph (or a given one, {@link Builder#graph}) over {@code hidden} hidden units and nOut
 * outputs, with asymmetric weights; the rule (DEEP or vector-field EP) sets both the dynamics and the learning rule
 * ({@link DirectedRule}). This layer is the one training path of directed EP:
 * <ul>
 *   <li>{@code output} relaxes the free phase (eq. 1 with beta = 0) and returns the output units' states
 *       [batch, nOut];</li>
 *   <li>{@code fit} runs the free and nudged phases per example ({@link org.eqp.directed.DirectedPhases}) and hands
 *       the correction (eq. 2 for DEEP) to DL4J's updater as the gradient of W, in descent convention and summed over
 *       the batch, so {@code Sgd(a)} is {@code W += a * mean dW};</li>
 *   <li>the authors' l1 term is the regularization {@link L1AfterUpdate} ({@link Builder#l1Step}): after the update,
 *       {@code W -= amount * sign(W)}, not scaled by the rate. DL4J's {@code .l1(c)} also works but is another rule
 *       (see {@link L1AfterUpdate});</li>
 *   <li>after every update (DL4J's constraint hook, after the iteration listeners) the pruning policy of eq. 3
 *       ({@link org.eqp.directed.BoltzmannPruning}) removes edges whose |W| fell below {@code pruneBelow}.</li>
 * </ul>
 * Which edges exist is the parameter {@code M} (0/1, never trained), so pruning survives {@code ModelSerializer} and a
 * pruned edge never returns; W is reset to exactly zero where M is 0 after every update, so not even an updater with
 * momentum revives a pruned weight. With {@link Builder#regrow} (the authors' notebook) pruning sets the drawn weights
 * to zero and leaves M alone: the edge stays, and the next update moves its weight away from zero unless its
 * correction is zero too. The epsilon handed to a layer below is the vector-field estimate
 * {@code -(1/beta) sum_j W_ij (s_j^beta - s_j^0)}. The loss is fixed to the papers' C = 1/2 ||y - s_out||^2 (LossL2
 * reports its score).
 */
public class DirectedEpOutputLayer extends BaseOutputLayer {
    /** The default sigma of the initial weights N(0, sigma^2): the authors' 0.05. */
    public static final double DEFAULT_INIT_SIGMA = 0.05;
    private int hidden = 5;
    private DirectedRule rule = DirectedRule.DEEP;
    private double dt = 0.05;
    private int freeSteps = 1000;
    private int nudgedSteps = 1000;
    private double beta = 10;
    private double pruneBelow;
    private double temperature = 5;
    private double initialSpread;
    private double initSigma = DEFAULT_INIT_SIGMA;
    private DirectedTopologySpec topologySpec = new CompleteDirected();
    private boolean regrow;

    /** For JSON; use the {@link Builder}. */
    public DirectedEpOutputLayer() {
    }

    protected DirectedEpOutputLayer(Builder b) {
        super(b);
        this.hidden = b.hidden;
        this.rule = b.rule;
        this.dt = b.dt;
        this.freeSteps = b.freeSteps;
        this.nudgedSteps = b.nudgedSteps;
        this.beta = b.beta;
        this.pruneBelow = b.pruneBelow;
        this.temperature = b.temperature;
        this.initialSpread = b.initialSpread;
        this.initSigma = b.initSigma;
        this.topologySpec = b.topologySpec;
        this.regrow = b.regrow;
        settings();
        if (hidden < 0) {
            throw new IllegalArgumentException("hidden units must be >= 0; got " + hidden);
        }
        if (!(initSigma >= 0) || Double.isInfinite(initSigma)) {
            throw new IllegalArgumentException("initSigma must be finite and >= 0; got " + initSigma);
        }
    }

    /** The validated knobs of the phases and the pruning (the rate and the l1 term are DL4J's, not here). */
    public DirectedSettings settings() {
        return new DirectedSettings(rule, dt, freeSteps, nudgedSteps, beta, pruneBelow, temperature, initialSpread,
                regrow);
    }

    /**
     * The graph the network starts from over nIn inputs, the bias unit, the hidden units and nOut outputs, built by the
     * topology spec: the complete directed graph ({@link CompleteDirected}, the default), or a given one
     * ({@link Builder#graph}, checked against these sizes).
     */
    public DirectedGraph graph() {
        if (nIn < 1 || nOut < 1) {
            throw new IllegalStateException("DirectedEpOutputLayer needs nIn and nOut; got nIn=" + nIn + ", nOut=" + nOut);
        }
        return topologySpec.build(Math.toIntExact(nIn), hidden, Math.toIntExact(nOut));
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        LayerValidation.assertNInNOutSet("DirectedEpOutputLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerWiring.wire(new DirectedEpOutputLayerImpl(conf, networkDataType), conf, listeners, layerIndex, layerParamsView,
                initializeParams, initializer());
    }

    @Override
    public ParamInitializer initializer() {
        return DirectedParamInitializer.getInstance();
    }

    /** The edge mask {@code M} is never trained. */
    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        return DirectedParamInitializer.MASK.equals(paramName) ? new NoOp() : super.getUpdaterByParam(paramName);
    }

    public int getHidden() {
        return hidden;
    }

    public void setHidden(int hidden) {
        this.hidden = hidden;
    }

    public DirectedRule getRule() {
        return rule;
    }

    public void setRule(DirectedRule rule) {
        this.rule = rule;
    }

    public double getDt() {
        return dt;
    }

    public void setDt(double dt) {
        this.dt = dt;
    }

    public int getFreeSteps() {
        return freeSteps;
    }

    public void setFreeSteps(int freeSteps) {
        this.freeSteps = freeSteps;
    }

    public int getNudgedSteps() {
        return nudgedSteps;
    }

    public void setNudgedSteps(int nudgedSteps) {
        this.nudgedSteps = nudgedSteps;
    }

    public double getBeta() {
        return beta;
    }

    public void setBeta(double beta) {
        this.beta = beta;
    }

    public double getPruneBelow() {
        return pruneBelow;
    }

    public void setPruneBelow(double pruneBelow) {
        this.pruneBelow = pruneBelow;
    }

    public double getTemperature() {
        return temperature;
    }

    public void setTemperature(double temperature) {
        this.temperature = temperature;
    }

    public double getInitialSpread() {
        return initialSpread;
    }

    public void setInitialSpread(double initialSpread) {
        this.initialSpread = initialSpread;
    }

    public DirectedTopologySpec getTopologySpec() {
        return topologySpec;
    }

    public void setTopologySpec(DirectedTopologySpec topologySpec) {
        this.topologySpec = Objects.requireNonNull(topologySpec, "topologySpec");
    }

    /** Whether pruned edges may grow back (pruning zeroes the weight only), see {@link Builder#regrow}. */
    public boolean isRegrow() {
        return regrow;
    }

    public void setRegrow(boolean regrow) {
        this.regrow = regrow;
    }

    public double getInitSigma() {
        return initSigma;
    }

    public void setInitSigma(double initSigma) {
        this.initSigma = initSigma;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DirectedEpOutputLayer other) || !super.equals(o)) {
            return false;
        }
        return hidden == other.hidden && rule == other.rule && dt == other.dt && freeSteps == other.freeSteps
                && nudgedSteps == other.nudgedSteps && beta == other.beta && pruneBelow == other.pruneBelow
                && temperature == other.temperature && initialSpread == other.initialSpread
                && initSigma == other.initSigma && topologySpec.equals(other.topologySpec) && regrow == other.regrow;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), hidden, rule, dt, freeSteps, nudgedSteps, beta, pruneBelow, temperature,
                initialSpread, initSigma, topologySpec, regrow);
    }

    /**
     * Builds a {@link DirectedEpOutputLayer}. Defaults: DEEP, 5 hidden units, the authors' dt 0.05, 1000 / 1000 steps,
     * beta 10, no pruning (pruned edges removed for good once {@link #pruning} is on), states from zero, weights
     * N(0, 0.05^2).
     */
    public static class Builder extends BaseOutputLayer.Builder<Builder> {
        private int hidden = 5;
        private DirectedRule rule = DirectedRule.DEEP;
        private double dt = 0.05;
        private int freeSteps = 1000;
        private int nudgedSteps = 1000;
        private double beta = 10;
        private double pruneBelow;
        private double temperature = 5;
        private double initialSpread;
        private double initSigma = DEFAULT_INIT_SIGMA;
        private DirectedTopologySpec topologySpec = new CompleteDirected();
        private boolean regrow;

        public Builder() {
            lossFunction(new LossL2());
            activation(new ActivationIdentity());
        }

        public Builder hidden(int units) {
            this.hidden = units;
            return this;
        }

        /** DEEP (default) or VECTOR_FIELD: the dynamics and the learning rule. */
        public Builder rule(DirectedRule rule) {
            this.rule = rule;
            return this;
        }

        public Builder dt(double dt) {
            this.dt = dt;
            return this;
        }

        public Builder freeSteps(int steps) {
            this.freeSteps = steps;
            return this;
        }

        public Builder nudgedSteps(int steps) {
            this.nudgedSteps = steps;
            return this;
        }

        public Builder beta(double beta) {
            this.beta = beta;
            return this;
        }

        /** Boltzmann pruning (eq. 3) of weights below lambda at temperature T after each update (lambda 0: none). */
        public Builder pruning(double lambda, double temperature) {
            this.pruneBelow = lambda;
            this.temperature = temperature;
            return this;
        }

        /**
         * What pruning does to an edge: {@code false} (default) removes it for good (M goes to 0); {@code true}, the
         * authors' notebook, only sets its weight to zero, so the next update may make it non-zero again. Needs
         * {@link #pruning} with lambda &gt; 0.
         */
        public Builder regrow(boolean regrow) {
            this.regrow = regrow;
            return this;
        }

        /** Non-input states start each free phase uniform in [0, spread] (the authors: 0.1; default 0). */
        public Builder initialSpread(double spread) {
            this.initialSpread = spread;
            return this;
        }

        /** How the units are connected (default {@link CompleteDirected}); {@link #graph} gives a fixed graph. */
        public Builder topology(DirectedTopologySpec spec) {
            this.topologySpec = Objects.requireNonNull(spec, "topology spec");
            return this;
        }

        /**
         * Start from this graph instead of the complete one (it must have a bias unit); sets nIn, the hidden units and
         * nOut from it.
         */
        public Builder graph(DirectedGraph graph) {
            GivenDirectedGraph spec = GivenDirectedGraph.of(graph);
            nIn(spec.inputs());
            nOut(spec.outputs());
            this.hidden = spec.hidden();
            this.topologySpec = spec;
            return this;
        }

        /**
         * Every knob of the phases and the pruning at once: rule, dt, steps, beta, lambda and T, regrowth, initial
         * spread.
         */
        public Builder settings(DirectedSettings settings) {
            rule(settings.rule()).dt(settings.dt()).freeSteps(settings.freeSteps()).nudgedSteps(settings.nudgedSteps())
                    .beta(settings.beta()).initialSpread(settings.initialSpread()).regrow(settings.regrow());
            return pruning(settings.pruneBelow(), settings.temperature());
        }

        /**
         * The authors' l1 term: after every update {@code W -= amount * sign(W)}, not scaled by the learning rate
         * ({@link L1AfterUpdate}; 0 removes it). Replaces an earlier {@code l1Step}; DL4J's {@code .l1(c)} is separate.
         */
        public Builder l1Step(double amount) {
            NetworkUtils.removeInstances(regularization, L1AfterUpdate.class);
            if (amount != 0) {
                regularization.add(new L1AfterUpdate(amount));
            }
            return this;
        }

        public Builder initSigma(double sigma) {
            this.initSigma = sigma;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public DirectedEpOutputLayer build() {
            return new DirectedEpOutputLayer(this);
        }
    }
}
