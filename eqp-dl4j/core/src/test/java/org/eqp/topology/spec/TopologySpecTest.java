package org.eqp.topology.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.eqp.directed.DirectedGraph;
import org.eqp.dl4j.conf.DirectedEpOutputLayer;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.topology.Block;
import org.eqp.topology.BuiltTopology;
import org.eqp.topology.ConnectionMask;
import org.eqp.topology.SmallWorld;
import org.eqp.topology.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One value says how a layered network is connected: it builds the topology, describes itself, survives JSON. */
class TopologySpecTest {
    private static final int[] SIZES = {6, 8, 8, 3};

    static List<SymmetricTopologySpec> everyKind() {
        return List.of(new Layered(), new SmallWorldReplace(0.3, 4), new SmallWorldAdd(0.2, 5),
                new SmallWorldIntralayer(40, 6),
                CustomMasks.of(Topology.of(SIZES, List.of(new Block(0, 1), new Block(1, 2), new Block(2, 3),
                        new Block(0, 3, ConnectionMask.of(new boolean[][] {
                                {true, false, false}, {false, true, false}, {false, false, true},
                                {false, false, false}, {false, false, false}, {false, false, false}}))))));
    }

    @ParameterizedTest
    @MethodSource("everyKind")
    void aLayerConfigurationKeepsItsSpecThroughJsonAndYaml(SymmetricTopologySpec spec) {
        // given a layer configured with the spec
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new EpOutputLayer.Builder().nIn(6).nOut(3).hidden(8, 8).topology(spec).build()).build();
        // when the configuration goes through JSON and YAML
        EpOutputLayer fromJson = (EpOutputLayer) MultiLayerConfiguration.fromJson(conf.toJson()).getConf(0).getLayer();
        EpOutputLayer fromYaml = (EpOutputLayer) MultiLayerConfiguration.fromYaml(conf.toYaml()).getConf(0).getLayer();
        // then the same spec comes back, and it builds the same connections
        assertEquals(spec, fromJson.getNetwork().getTopologySpec());
        assertEquals(spec, fromYaml.getNetwork().getTopologySpec());
        assertEquals(spec.build(SIZES).topology().blocks(), fromJson.topology().blocks());
    }

    @Test
    void aDirectedLayerKeepsItsGraphSpecThroughJson() {
        // given a directed layer on a given graph: the complete one over 2 inputs, 2 hidden, 1 output, without the
        // edge from input 0 to hidden unit 4
        DirectedGraph complete = new CompleteDirected().build(2, 2, 1);
        DirectedGraph given = complete.without(bit(complete, 0, 4));
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new DirectedEpOutputLayer.Builder().graph(given).build()).build();
        // when it goes through JSON
        DirectedEpOutputLayer back = (DirectedEpOutputLayer) MultiLayerConfiguration.fromJson(conf.toJson()).getConf(0)
                .getLayer();
        // then it builds the same graph, one edge short of the complete one
        assertEquals(GivenDirectedGraph.of(given), back.getTopologySpec());
        assertEquals(given, back.graph());
        assertEquals(complete.edgeCount() - 1, back.graph().edgeCount());
        assertEquals(new CompleteDirected(), new DirectedEpOutputLayer.Builder().build().getTopologySpec());
        // and a spec made for other sizes is refused by name
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GivenDirectedGraph.of(given).build(3, 2, 1));
        assertTrue(e.getMessage().contains("the graph and the layer sizes must agree"), e.getMessage());
    }

    private static BitSet bit(DirectedGraph g, int from, int to) {
        BitSet b = new BitSet();
        b.set(from * g.size() + to);
        return b;
    }

    @Test
    void generatedKindsBuildWhatTheirGeneratorBuilds() {
        // given the same p and seed
        BuiltTopology bySpec = new SmallWorldReplace(0.1, 9).build(SIZES);
        BuiltTopology byGenerator = SmallWorld.replace(SIZES, 0.1, 9);
        // then the same blocks and report
        assertEquals(byGenerator.topology().blocks(), bySpec.topology().blocks());
        assertEquals(byGenerator.draws(), bySpec.draws());
        assertEquals(byGenerator.achievedP(), bySpec.achievedP());
    }

    @Test
    void theSeedIsPartOfTheSpec() {
        SymmetricTopologySpec a = new SmallWorldAdd(0.5, 1);
        SymmetricTopologySpec b = a.withSeed(2);
        assertEquals(new SmallWorldAdd(0.5, 2), b);
        assertNotEquals(a.build(SIZES).topology().blocks(), b.build(SIZES).topology().blocks());
        assertEquals(new Layered(), new Layered().withSeed(2));
    }

    @Test
    void theCommandLineSpellingParsesToEachGeneratedKind() {
        for (String kind : SymmetricTopologySpec.kinds()) {
            SymmetricTopologySpec spec = SymmetricTopologySpec.parse(kind, 0.1, 7, 3);
            assertEquals(kind, spec.kind());
            assertEquals(kind, spec.describe().get("connectivity"));
        }
        assertEquals(new SmallWorldIntralayer(7, 3), SymmetricTopologySpec.parse("small-world-intralayer", 0.1, 7, 3));
        assertEquals(Map.of("connectivity", "small-world", "p", 0.1), SymmetricTopologySpec.parse("small-world", 0.1, 0, 3).describe());
    }

    @Test
    void badKindsAndKnobsAreRejectedByName() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> SymmetricTopologySpec.parse("smallworld", 0.1, 0, 1));
        assertTrue(unknown.getMessage().contains("unknown topology 'smallworld'; use one of layered, small-world"),
                unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SmallWorldReplace(1.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new SmallWorldAdd(Double.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> new SmallWorldIntralayer(-1, 0));
    }

    @Test
    void theLayerBuildsItsTopologyFromTheSpecWithTheBuildersSeed() {
        // given the builder's seed set before the kind
        EpOutputLayer layer = new EpOutputLayer.Builder().nIn(6).nOut(3).hidden(8, 8).topologySeed(11).smallWorld(0.3)
                .build();
        // then the spec carries it
        assertEquals(new SmallWorldReplace(0.3, 11), layer.getNetwork().getTopologySpec());
        assertInstanceOf(Layered.class, new EpOutputLayer.Builder().hidden(4).build().getNetwork().getTopologySpec());
    }
}
