package org.eqp.dl4j.conf;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.eqp.dl4j.layers.EnergyEpOutputLayerImpl;
import org.eqp.energy.EnergyDefinition;
import org.eqp.energy.SameDiffEnergy;
import org.eqp.learning.EpSettings;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.impl.LossL2;
import org.nd4j.shade.jackson.annotation.JsonIgnore;

/**
 * An EP network with any energy written in SameDiff ({@link EnergyDefinition}: {@link org.eqp.energy.DenseEnergy},
 * {@link org.eqp.energy.ConvEnergy} or the user's own) as one DL4J output layer: {@code output} is the free phase
 * from zero states; {@code fit} runs the free and nudged phases by autodiff ({@link org.eqp.energy.EnergyPropagation})
 * and hands EP's gradient of every SameDiff variable to DL4J's updater; {@code backpropGradient} returns EP's
 * estimate of dL/d(input), so layers below train too. The layer's input (nIn values per example) is reshaped to the
 * energy's input placeholder (e.g. [1, 28, 28]).
 *
 * <p>Parameters: the energy's variables, under their SameDiff names, each flattened in 'c' order, in the graph's
 * order ({@link EnergyParamInitializer}); the loss sets the nudge as for {@link EpOutputLayer} (default {@link LossL2},
 * the papers' C = ||y - s_y||^2). Persistent particles are not available. beta's random sign is drawn from the
 * network's seed and DL4J's iteration count, which the model file keeps.
 */
public class EnergyEpOutputLayer extends BaseOutputLayer {
    private EnergyDefinition energy;
    private EpSettings settings = EpSettings.DEFAULTS;
    /** The energy's variables and shapes (they do not depend on the seed), built once on first use. */
    @JsonIgnore
    private transient Map<String, long[]> parameterShapes;

    /** For JSON; use the {@link Builder}. */
    public EnergyEpOutputLayer() {
    }

    protected EnergyEpOutputLayer(Builder builder) {
        super(builder);
        this.energy = Objects.requireNonNull(builder.energy, "the energy: call energy(definition) on the builder");
        this.settings = builder.settings;
        if (settings.persistentParticles()) {
            throw new IllegalArgumentException("persistent particles are not available for SameDiff energies; turn "
                    + "them off in the settings");
        }
    }

    /** Builds the energy this layer relaxes, with initial parameters from {@code seed}. */
    public SameDiffEnergy buildEnergy(long seed) {
        SameDiffEnergy built = energy.build(getNIn(), getNOut(), seed);
        for (String name : built.parameterNames()) {
            if (name.contains("_")) {
                throw new IllegalArgumentException("the energy's variable '" + name + "' contains '_': DL4J splits "
                        + "gradient keys on it; rename the variable");
            }
        }
        return built;
    }

    /** The energy's variables in the graph's order and their shapes. */
    public Map<String, long[]> parameterShapes() {
        if (parameterShapes == null) {
            SameDiffEnergy built = buildEnergy(0);
            Map<String, long[]> shapes = new java.util.LinkedHashMap<>();
            for (String name : built.parameterNames()) {
                shapes.put(name, built.graph().getVariable(name).getArr().shape());
            }
            parameterShapes = java.util.Collections.unmodifiableMap(shapes);
        }
        return parameterShapes;
    }

    @Override
    public EnergyEpOutputLayer clone() {
        EnergyEpOutputLayer copy = (EnergyEpOutputLayer) super.clone();
        copy.parameterShapes = parameterShapes;
        return copy;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        LayerValidation.assertNInNOutSet("EnergyEpOutputLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerWiring.wire(new EnergyEpOutputLayerImpl(conf, networkDataType), conf, listeners, layerIndex, layerParamsView,
                initializeParams, initializer());
    }

    @Override
    public ParamInitializer initializer() {
        return EnergyParamInitializer.getInstance();
    }

    public EnergyDefinition getEnergy() {
        return energy;
    }

    public void setEnergy(EnergyDefinition energy) {
        this.energy = energy;
        this.parameterShapes = null;
    }

    public EpSettings getSettings() {
        return settings;
    }

    public void setSettings(EpSettings settings) {
        this.settings = settings;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof EnergyEpOutputLayer other && super.equals(o)
                && Objects.equals(energy, other.energy) && Objects.equals(settings, other.settings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), energy, settings);
    }

    /** Builds an {@link EnergyEpOutputLayer}; defaults: {@link EpSettings#DEFAULTS}, {@link LossL2}, identity. */
    public static class Builder extends BaseOutputLayer.Builder<Builder> {
        private EnergyDefinition energy;
        private EpSettings settings = EpSettings.DEFAULTS;

        public Builder() {
            lossFunction(new LossL2());
            activation(new ActivationIdentity());
        }

        /** The energy to relax (required). */
        public Builder energy(EnergyDefinition energy) {
            this.energy = energy;
            return this;
        }

        /** The EP knobs (persistent particles must stay off). */
        public Builder settings(EpSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public EnergyEpOutputLayer build() {
            return new EnergyEpOutputLayer(this);
        }
    }
}
