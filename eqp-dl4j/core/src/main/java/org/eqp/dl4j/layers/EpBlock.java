package org.eqp.dl4j.layers;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.eqp.dl4j.conf.EpLayerConf;
import org.eqp.dl4j.conf.EpParamInitializer;
import org.eqp.dynamics.FeedbackLayout;
import org.eqp.dynamics.FloatView;
import org.eqp.dynamics.NetworkParams;
import org.eqp.dynamics.NudgeForce;
import org.eqp.dynamics.SoftmaxReadout;
import org.eqp.learning.EquilibriumPropagation;
import org.eqp.learning.FreeEquilibrium;
import org.eqp.learning.NudgedEquilibrium;
import org.eqp.learning.ParticleStore;
import org.eqp.topology.Block;
import org.eqp.topology.Topology;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The EP network of one DL4J EP layer at run time, whatever role the layer plays in its network (the output,
 * {@link EpOutputLayerImpl}, nudged by its loss; a block inside, {@link EpLayerImpl}, nudged by the gradient from
 * above): the engine, the free phase, the training step (nudged phase, EP gradients into the layer's gradient views,
 * the random-sign draw count), what listeners read ({@link EpLayerStats}) and the EP side of DL4J's constraints.
 */
final class EpBlock implements EpLayerStats {
    private static final Logger log = LoggerFactory.getLogger(EpBlock.class);

    private final EpLayerConf conf;
    private final String layerId;
    private final EquilibriumPropagation engine;
    private final EnumSet<FeedbackLayout> loggedLayouts = EnumSet.noneOf(FeedbackLayout.class);
    private EpStepStats lastStepStats;
    /** The free equilibrium of the last training step, and the sequence number it had then. */
    private FreeEquilibrium lastTrainingFree;
    private long lastTrainingSequence;
    /** The network's input arrays of the current pass, when the particles are keyed by them; else null. */
    private Supplier<INDArray[]> networkInput;
    /** Whether DL4J computes this layer's input from other layers (so it is not the network's own input). */
    private boolean inputFromLayersBelow;
    private boolean evictionLogged;

    /**
     * @param nudge   the force of the nudged phase (from the layer's loss, or the gradient from above)
     * @param seed    seeds the random sign of beta
     * @param layerId names the layer in errors and the log
     */
    EpBlock(EpLayerConf conf, NudgeForce nudge, long seed, String layerId) {
        this.conf = conf;
        this.layerId = layerId;
        this.engine = new EquilibriumPropagation(conf.topology(), conf.settings(), nudge, seed,
                conf.getNetwork().getParticleCapacity());
    }

    /**
     * Keys the persistent particles by the network's input (all its arrays, {@link ParticleStore#keysOf}) instead of
     * this layer's own input: what a layer under trainable layers needs, whose input changes every step.
     *
     * @param networkInput the network's input arrays of the current forward or training pass
     */
    void keyParticlesBy(Supplier<INDArray[]> networkInput) {
        this.networkInput = networkInput;
    }

    /**
     * Records what DL4J says of the layer's input ({@code Layer.allowInputModification}, which a MultiLayerNetwork
     * calls with true for every layer but the first and a ComputationGraph for layers whose input is not a graph input
     * and not shared): true when other layers compute it.
     */
    void inputFromLayersBelow(boolean computed) {
        this.inputFromLayersBelow = computed;
    }

    /**
     * The free phase on an input batch [batch, nIn] (from persistent particles when training and enabled); logs once
     * per feedback layout which kernel relaxes it, and once when the particle store first evicts.
     *
     * @throws IllegalStateException when particles are on, keyed by nothing that identifies the example: the input
     *                               is computed by layers below and {@link #keyParticlesBy} was not called
     */
    FreeEquilibrium freePhase(INDArray input, Map<String, INDArray> params, boolean training) {
        boolean particles = training && engine.settings().persistentParticles();
        if (particles && networkInput == null) {
            requireOwnInputIsTheNetworks();
        }
        FreeEquilibrium free;
        try {
            NetworkParams networkParams = EpParamInitializer.asNetworkParams(topology(), params);
            free = particles && networkInput != null
                    ? engine.freePhase(input, networkParams, networkInputKeys(input.size(0)))
                    : engine.freePhase(input, networkParams, particles);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(layerId + ": " + e.getMessage(), e);
        }
        if (loggedLayouts.add(free.layout())) {
            log.info("{}: EP network {} relaxes batches of {} in the {} feedback layout: {}", layerId,
                    Arrays.toString(topology().layerSizes()), free.batchSize(), free.layout(), kernel(free.layout()));
        }
        if (particles && !evictionLogged && particles().evictions() > 0) {
            evictionLogged = true;
            log.warn("{}: the persistent particles fill their capacity of {} examples; from now on the least recently "
                    + "used is evicted and its example restarts from zero states. Raise particleCapacity if the training "
                    + "set is larger{}", layerId, particles().capacity(), networkInput != null ? ""
                    : "; if this layer's input changes from step to step (trainable layers below it), key the "
                    + "particles by the network's input with ParticleKeys.fromNetworkInput(network)");
        }
        return free;
    }

    /** The particle key of each example from the network's input, which must have one row per input row. */
    private long[] networkInputKeys(long rows) {
        INDArray[] features = networkInput.get();
        if (features == null || features.length == 0 || features[0] == null || features[0].size(0) != rows) {
            throw new IllegalStateException(layerId + ": the persistent particles are keyed by the network's input, "
                    + "but the network's input " + (features == null || features.length == 0 || features[0] == null
                    ? "is not set" : "has " + features[0].size(0) + " rows") + " where this layer's has " + rows
                    + "; train the network with fit, which sets its input");
        }
        return ParticleStore.keysOf(features);
    }

    /**
     * This layer's own input may key the particles only when it is the network's input.
     *
     * @throws IllegalStateException when other layers compute it
     */
    private void requireOwnInputIsTheNetworks() {
        if (inputFromLayersBelow) {
            throw new IllegalStateException(layerId + ": persistent particles are kept per training example and keyed by "
                    + "its features, but this layer's input is computed by the layers below it, which change as they "
                    + "train (keyed by that input, the store would gain a particle per example and step): key them by "
                    + "the network's input with org.eqp.dl4j.ParticleKeys.fromNetworkInput(network) after init() "
                    + "(EpModelSerializer's restore methods do it), or turn persistentParticles off");
        }
    }

    /**
     * Whether DL4J's updater divides the gradient of parameter {@code key} by the batch size
     * ({@code Trainable.updaterDivideByMinibatch}): not the weights and biases, which {@link #trainingStep} writes as
     * batch means; the readout's and the random-sign state's, yes.
     */
    static boolean updaterDivides(String key) {
        return !EpParamInitializer.isEnergyParam(key);
    }

    /**
     * One EP step from a free equilibrium of the current input: the nudged phase toward {@code targets} (labels for a
     * loss nudge, dL/ds_out for the gradient from above) with the next random sign, EP's gradient into the gradient
     * views (descent convention, summed over the batch; zero for the random-sign state, which advances by one draw),
     * a softmax readout's cross-entropy gradient when there is one, and, when asked, EP's estimate of dL/d(input)
     * [batch, nIn] for the layer below.
     *
     * <p>With {@code batchMean} the weights' and biases' gradient is written as the batch mean, and the layer tells
     * DL4J's updater not to divide it by the batch size ({@link #updaterDivides}). Folded into the products, the
     * division costs nothing; done by the updater, it is one more pass over every weight per step. The readout's
     * gradient stays a sum that DL4J divides, as every DL4J layer's.
     *
     * @param readout   the layer's softmax readout (bound to its parameters), or null
     * @param batchMean whether DL4J trains on minibatch means ({@code conf().isMiniBatch()}, DL4J's default)
     */
    Pair<Gradient, INDArray> trainingStep(FreeEquilibrium free, INDArray targets, SoftmaxReadout readout,
                                          Map<String, INDArray> params,
                                          Map<String, INDArray> gradientViews, INDArray gradientsFlattened,
                                          boolean inputGradientWanted, boolean batchMean,
                                          LayerWorkspaceMgr workspaceMgr) {
        long draw = EpParamInitializer.signDraws(params);
        NudgedEquilibrium nudged;
        try {
            nudged = free.nudge(targets, draw);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(layerId + ": " + e.getMessage(), e);
        }
        if (engine.settings().randomSignBeta()) {
            EpParamInitializer.setSignDraws(params, draw + 1);
        }
        nudged.writeGradients(EpParamInitializer.asNetworkParams(topology(), gradientViews),
                batchMean ? 1.0 / free.batchSize() : 1.0);
        int onlineErrors = readout == null ? nudged.freeArgmaxErrors()
                : readout.writeGradients(free.outputs(), targets, gradientViews.get(EpParamInitializer.READOUT_WEIGHTS),
                        gradientViews.get(EpParamInitializer.READOUT_BIAS));
        FloatView.of(gradientViews.get(EpParamInitializer.SIGN_DRAWS)).fill(0f);
        Gradient g = new DefaultGradient(gradientsFlattened);
        for (Map.Entry<String, INDArray> view : gradientViews.entrySet()) {
            g.gradientForVariable().put(view.getKey(), view.getValue());
        }
        INDArray inputGradient = null;
        if (inputGradientWanted) {
            inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
                    new long[] {free.batchSize(), topology().size(0)}, 'f');
            nudged.writeInputGradient(inputGradient);
        }
        lastStepStats = new EpStepStats(free.batchSize(), batchMean, onlineErrors, free.relaxation().steps(),
                free.relaxation().residual(), nudged.relaxation().steps(), nudged.signedBeta());
        lastTrainingFree = free;
        lastTrainingSequence = free.sequence();
        return new Pair<>(g, inputGradient);
    }

    /**
     * Runs DL4J's constraints ({@code dl4jConstraints}) so that the random-sign state keeps its count and weights stay
     * zero where no connection exists.
     */
    void applyConstraints(Map<String, INDArray> params, Runnable dl4jConstraints) {
        long draws = EpParamInitializer.signDraws(params);
        dl4jConstraints.run();
        EpParamInitializer.setSignDraws(params, draws);
        engine.zeroAbsentConnections(EpParamInitializer.asNetworkParams(topology(), params));
    }

    /** The persistent particles of the training examples (empty unless the configuration enables them). */
    ParticleStore particles() {
        return engine.particles();
    }

    @Override
    public EpStepStats lastStepStats() {
        return lastStepStats;
    }

    @Override
    public Topology topology() {
        return engine.topology();
    }

    @Override
    public FloatBuffer freeState(int layer) {
        if (lastTrainingFree == null) {
            throw new IllegalStateException(layerId + ": no training step yet, so no free equilibrium to show");
        }
        if (lastTrainingFree.sequence() != lastTrainingSequence) {
            throw new IllegalStateException(layerId + ": the free equilibrium of the last training step is gone: the "
                    + "layer has relaxed another batch of the same size since (e.g. output()); read it in "
                    + "onGradientCalculation or iterationDone");
        }
        return FloatView.of(lastTrainingFree.state(layer)).buffer().asReadOnlyBuffer();
    }

    /**
     * DL4J's constraints act on rows or columns of a parameter (max-norm, unit-norm, ...), which on an intralayer block
     * W_ll would break the symmetry W_ij = W_ji the energy needs.
     *
     * @throws IllegalArgumentException if a constraint of {@code conf} names an intralayer block's weights
     */
    static void rejectConstraintsOnIntralayerBlocks(EpLayerConf conf, List<LayerConstraint> constraints,
                                                    String layerName) {
        if (constraints == null) {
            return;
        }
        List<Block> blocks = conf.topology().blocks();
        for (LayerConstraint constraint : constraints) {
            for (int k = 0; k < blocks.size(); k++) {
                if (blocks.get(k).intralayer() && constraint.getParams().contains(EpParamInitializer.weightKey(k))) {
                    throw new IllegalArgumentException("EP layer " + layerName + ": the constraint " + constraint
                            + " would act on the intralayer weights " + EpParamInitializer.weightKey(k) + " of layer "
                            + blocks.get(k).from() + ", whose symmetry W_ij = W_ji it can break; constrain the biases "
                            + "only (constrainBias) or use a topology without intralayer connections");
                }
            }
        }
    }

    /**
     * Whether a layer below consumes a layer's epsilon. The first layer of a MultiLayerNetwork has index 0 and its
     * epsilon is discarded; in a ComputationGraph the input vertices take the first indices, so a layer never has
     * index 0 there.
     */
    static boolean hasLayerBelow(int layerIndex) {
        return layerIndex > 0;
    }

    /** Which code computes the feedback in a layout. */
    private static String kernel(FeedbackLayout layout) {
        String withoutVector = FeedbackLayout.vectorAvailable() ? ""
                : " (the JVM lacks jdk.incubator.vector: run it with --add-modules jdk.incubator.vector for the faster "
                + "Java Vector API kernel)";
        return switch (layout) {
            case VECTOR_BLOCKS -> "the per-block products in a Java Vector API (jdk.incubator.vector) kernel";
            case BLOCKS -> "one ND4J BLAS gemm per block and direction" + withoutVector;
            case DENSE -> "one ND4J BLAS gemm over all non-input units" + withoutVector;
        };
    }
}
