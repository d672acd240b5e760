package org.eqp.examples.run;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.topology.SmallWorld;

/**
 * Which connectivity a run's EP network gets, with its knob: p for the journal's small-world kinds, the number of
 * replaced connections for the preprint's intralayer kind.
 *
 * @param kind         the connectivity (not CUSTOM: a user-given mask is a Java API feature)
 * @param p            small-world probability (SMALL_WORLD, SMALL_WORLD_ADD)
 * @param replacements replaced connections (SMALL_WORLD_INTRALAYER)
 */
public record TopologyChoice(EpOutputLayer.Connectivity kind, double p, long replacements) {

    public TopologyChoice {
        if (kind == EpOutputLayer.Connectivity.CUSTOM) {
            throw new IllegalArgumentException("a run takes a generated topology; give a custom one through the Java API");
        }
    }

    public static TopologyChoice layered() {
        return new TopologyChoice(EpOutputLayer.Connectivity.LAYERED, 0, 0);
    }

    /** The journal's small-world network (layered when p = 0, as in the seed's sweep). */
    public static TopologyChoice smallWorld(double p) {
        return p == 0 ? layered() : new TopologyChoice(EpOutputLayer.Connectivity.SMALL_WORLD, p, 0);
    }

    /** The command-line name of a kind: layered, small-world, small-world-add, small-world-intralayer. */
    public String name() {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The command-line spelling: {@code --topology NAME} with {@code --p} or {@code --replacements}. */
    public static TopologyChoice parse(String name, double p, long replacements) {
        for (EpOutputLayer.Connectivity k : EpOutputLayer.Connectivity.values()) {
            if (k != EpOutputLayer.Connectivity.CUSTOM && new TopologyChoice(k, 0, 0).name().equals(name)) {
                return new TopologyChoice(k, p, replacements);
            }
        }
        throw new IllegalArgumentException("--topology takes layered, small-world, small-world-add or "
                + "small-world-intralayer; got '" + name + "'");
    }

    /** Sets the connectivity on a layer builder, the topology seeded with {@code seed}. */
    public EpOutputLayer.Builder apply(EpOutputLayer.Builder layer, long seed) {
        return switch (kind) {
            case SMALL_WORLD -> layer.smallWorld(p).topologySeed(seed);
            case SMALL_WORLD_ADD -> layer.smallWorldAdd(p).topologySeed(seed);
            case SMALL_WORLD_INTRALAYER -> layer.smallWorldIntralayer(replacements).topologySeed(seed);
            case LAYERED, CUSTOM -> layer;
        };
    }

    /** What the generator builds for these layer sizes and seed (the layer regenerates the same), or null if layered. */
    public SmallWorld.Result generate(int[] layerSizes, long seed) {
        return switch (kind) {
            case SMALL_WORLD -> SmallWorld.replace(layerSizes, p, seed);
            case SMALL_WORLD_ADD -> SmallWorld.add(layerSizes, p, seed);
            case SMALL_WORLD_INTRALAYER -> SmallWorld.intralayerReplace(layerSizes, replacements, seed);
            case LAYERED, CUSTOM -> null;
        };
    }

    /** The settings for summary.json: the name and its knob. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connectivity", name());
        switch (kind) {
            case SMALL_WORLD, SMALL_WORLD_ADD -> m.put("p", p);
            case SMALL_WORLD_INTRALAYER -> m.put("replacements", replacements);
            default -> { }
        }
        return m;
    }
}
