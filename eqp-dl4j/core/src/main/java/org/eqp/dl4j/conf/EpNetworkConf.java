package org.eqp.dl4j.conf;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import org.eqp.learning.EpSettings;
import org.eqp.learning.ParticleStore;
import org.eqp.topology.Block;
import org.eqp.topology.BuiltTopology;
import org.eqp.topology.Topology;
import org.eqp.topology.spec.Layered;
import org.eqp.topology.spec.SymmetricTopologySpec;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The EP network an EP layer holds, whether it is the network's output ({@link EpOutputLayer}) or a block inside it
 * ({@link EpLayer}): the hidden layer sizes between the layer's nIn inputs and nOut outputs, the EP knobs
 * ({@link EpSettings}), how the units are connected ({@link SymmetricTopologySpec}), the initial scale of
 * layer-skipping weights, the per-block updaters (adjacent blocks, and one for the layer-skipping and intralayer
 * blocks) and the capacity of the persistent particles. A JSON value nested in
 * the layer configuration.
 */
public class EpNetworkConf implements Serializable {
    private static final long serialVersionUID = 1L;
    private int[] hiddenSizes;
    private EpSettings settings = EpSettings.DEFAULTS;
    private SymmetricTopologySpec topologySpec = new Layered();
    private double skipInitScale;
    private IUpdater[] blockUpdaters;
    private IUpdater skipUpdater;
    private int particleCapacity = ParticleStore.DEFAULT_CAPACITY;
    /** The built topology (deterministic from the spec and the sizes; rebuilt after deserialization). */
    private transient BuiltTopology builtCache;

    /** For JSON; use a layer's builder. */
    public EpNetworkConf() {
    }

    EpNetworkConf(int[] hiddenSizes, EpSettings settings, SymmetricTopologySpec topologySpec, double skipInitScale,
                  IUpdater[] blockUpdaters, IUpdater skipUpdater, int particleCapacity) {
        this.hiddenSizes = hiddenSizes == null ? null : hiddenSizes.clone();
        this.settings = Objects.requireNonNull(settings, "settings");
        this.topologySpec = Objects.requireNonNull(topologySpec, "topology spec");
        this.skipInitScale = skipInitScale;
        this.blockUpdaters = blockUpdaters == null ? null : blockUpdaters.clone();
        this.skipUpdater = skipUpdater;
        setParticleCapacity(particleCapacity);
        if (!(skipInitScale >= 0) || Double.isInfinite(skipInitScale)) {
            throw new IllegalArgumentException("skipInitScale must be finite and >= 0 (0 = the topology's rule); got "
                    + skipInitScale);
        }
        if (hiddenSizes == null || hiddenSizes.length == 0) {
            throw new IllegalArgumentException("an EP layer needs at least one hidden layer: call hidden(500) or "
                    + "hidden(500, 500, ...)");
        }
        for (int h : hiddenSizes) {
            if (h < 1) {
                throw new IllegalArgumentException("Hidden layer sizes must be at least 1; got " + Arrays.toString(hiddenSizes));
            }
        }
        if (blockUpdaters != null && blockUpdaters.length != hiddenSizes.length + 1) {
            throw new IllegalArgumentException("blockUpdaters needs one updater per weight block (" + (hiddenSizes.length + 1)
                    + " for " + hiddenSizes.length + " hidden layers); got " + blockUpdaters.length);
        }
    }

    /**
     * The relaxing network's layer sizes: nIn, the hidden sizes, then nOut, except under a softmax readout, whose nOut
     * classes are read out of the last hidden layer and do not relax ({@link EpOutputLayer#softmaxReadout()}).
     */
    public int[] layerSizes(long nIn, long nOut, boolean readout) {
        if (nIn < 1 || nOut < 1) {
            throw new IllegalStateException("an EP layer needs nIn and nOut (set them, or give the network an "
                    + "InputType); got nIn=" + nIn + ", nOut=" + nOut);
        }
        int[] sizes = new int[hiddenSizes.length + (readout ? 1 : 2)];
        sizes[0] = Math.toIntExact(nIn);
        System.arraycopy(hiddenSizes, 0, sizes, 1, hiddenSizes.length);
        if (!readout) {
            sizes[sizes.length - 1] = Math.toIntExact(nOut);
        }
        return sizes;
    }

    /**
     * The topology over nIn inputs, the hidden layers and nOut outputs, with what building it did (connections drawn,
     * achieved p), built from the spec (the same configuration always gives the same connections).
     */
    public BuiltTopology builtTopology(long nIn, long nOut, boolean readout) {
        int[] sizes = layerSizes(nIn, nOut, readout);
        if (builtCache == null || !Arrays.equals(builtCache.topology().layerSizes(), sizes)) {
            builtCache = topologySpec.build(sizes);
        }
        return builtCache;
    }

    /**
     * The initial scale a of layer-skipping and intralayer weights, U[-a, a]: {@code skipInitScale} if set, else the
     * topology kind's default ({@link SymmetricTopologySpec#defaultSkipInitScale}).
     */
    public double effectiveSkipInitScale(long nIn, long nOut, boolean readout) {
        return skipInitScale > 0 ? skipInitScale
                : topologySpec.defaultSkipInitScale(builtTopology(nIn, nOut, readout).topology());
    }

    /**
     * The per-block updater of a weight or bias parameter, or null for the layer's own: the updater of adjacent layer
     * pair l-(l+1) serves that block's weights and the bias of layer l+1 (a softmax readout uses the last one);
     * layer-skipping and intralayer blocks use the skip updater, or the layer's when there is none (which
     * {@link #requireSkipUpdater} refuses when per-block updaters are set).
     */
    IUpdater blockUpdater(String paramName, long nIn, long nOut, boolean readout) {
        if (EpParamInitializer.isReadoutParam(paramName)) {
            return blockUpdaters == null ? null : blockUpdaters[blockUpdaters.length - 1];
        }
        int index = Integer.parseInt(paramName.substring(1));
        if (!EpParamInitializer.isWeightKey(paramName)) {
            return blockUpdaters == null ? null : blockUpdaters[index - 1];
        }
        Block block = builtTopology(nIn, nOut, readout).topology().blocks().get(index);
        if (block.adjacent()) {
            return blockUpdaters == null ? null : blockUpdaters[block.from()];
        }
        return skipUpdater;
    }

    /**
     * Per-block updaters name the adjacent blocks only; a topology with layer-skipping or intralayer blocks then needs
     * the skip updater too, so that no block falls back to the layer's updater unnoticed.
     *
     * @param layerName names the layer in the message
     * @throws IllegalArgumentException if per-block updaters are set, the topology has a block between non-adjacent
     *                                  layers or within a layer, and no skip updater is set
     */
    void requireSkipUpdater(long nIn, long nOut, boolean readout, String layerName) {
        if (blockUpdaters == null || skipUpdater != null) {
            return;
        }
        for (Block block : builtTopology(nIn, nOut, readout).topology().blocks()) {
            if (!block.adjacent()) {
                throw new IllegalArgumentException("EP layer " + layerName + ": blockUpdaters give one updater per "
                        + "adjacent layer pair, but the topology " + topologySpec + " also has "
                        + (block.intralayer() ? "connections within layer " + block.from()
                        : "connections from layer " + block.from() + " to layer " + block.to())
                        + ", which none of them covers; add skipUpdater(...) for the layer-skipping and intralayer "
                        + "blocks (e.g. the first block's updater), or drop blockUpdaters to give every block the "
                        + "layer's updater");
            }
        }
    }

    public int[] getHiddenSizes() {
        return hiddenSizes == null ? null : hiddenSizes.clone();
    }

    public void setHiddenSizes(int[] hiddenSizes) {
        this.hiddenSizes = hiddenSizes == null ? null : hiddenSizes.clone();
        this.builtCache = null;
    }

    public EpSettings getSettings() {
        return settings;
    }

    public void setSettings(EpSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public SymmetricTopologySpec getTopologySpec() {
        return topologySpec;
    }

    public void setTopologySpec(SymmetricTopologySpec topologySpec) {
        this.topologySpec = Objects.requireNonNull(topologySpec, "topologySpec");
        this.builtCache = null;
    }

    public double getSkipInitScale() {
        return skipInitScale;
    }

    public void setSkipInitScale(double skipInitScale) {
        this.skipInitScale = skipInitScale;
    }

    public IUpdater[] getBlockUpdaters() {
        return blockUpdaters == null ? null : blockUpdaters.clone();
    }

    public void setBlockUpdaters(IUpdater[] blockUpdaters) {
        this.blockUpdaters = blockUpdaters == null ? null : blockUpdaters.clone();
    }

    /**
     * The updater of the layer-skipping and intralayer weight blocks (JSON property {@code skipUpdater}), or null for
     * the layer's own.
     */
    public IUpdater getSkipUpdater() {
        return skipUpdater;
    }

    public void setSkipUpdater(IUpdater skipUpdater) {
        this.skipUpdater = skipUpdater;
    }

    /**
     * The most training examples whose persistent particles the layer keeps (default
     * {@link ParticleStore#DEFAULT_CAPACITY}); beyond it the least recently used particle is evicted
     * ({@link ParticleStore}). Unused while particles are off.
     */
    public int getParticleCapacity() {
        return particleCapacity;
    }

    /** @throws IllegalArgumentException if the capacity is below 1 */
    public void setParticleCapacity(int particleCapacity) {
        if (particleCapacity < 1) {
            throw new IllegalArgumentException("particleCapacity (training examples whose particles are kept) must be "
                    + "at least 1; got " + particleCapacity + ". Turn persistentParticles off instead");
        }
        this.particleCapacity = particleCapacity;
    }

    /** A deep copy (updaters cloned). */
    public EpNetworkConf copy() {
        EpNetworkConf c = new EpNetworkConf();
        c.hiddenSizes = getHiddenSizes();
        c.settings = settings;
        c.topologySpec = topologySpec;
        c.skipInitScale = skipInitScale;
        c.particleCapacity = particleCapacity;
        c.skipUpdater = skipUpdater == null ? null : skipUpdater.clone();
        c.blockUpdaters = blockUpdaters == null ? null
                : Arrays.stream(blockUpdaters).map(IUpdater::clone).toArray(IUpdater[]::new);
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EpNetworkConf n && Arrays.equals(hiddenSizes, n.hiddenSizes) && settings.equals(n.settings)
                && topologySpec.equals(n.topologySpec) && skipInitScale == n.skipInitScale
                && Arrays.equals(blockUpdaters, n.blockUpdaters) && Objects.equals(skipUpdater, n.skipUpdater) && particleCapacity == n.particleCapacity;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(hiddenSizes), settings, topologySpec, skipInitScale,
                Arrays.hashCode(blockUpdaters), skipUpdater, particleCapacity);
    }
}
