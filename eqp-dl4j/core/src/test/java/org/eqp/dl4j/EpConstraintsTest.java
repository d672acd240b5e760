package org.eqp.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.constraint.BaseConstraint;
import org.deeplearning4j.nn.conf.constraint.MaxNormConstraint;
import org.deeplearning4j.nn.conf.constraint.NonNegativeConstraint;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.dl4j.conf.EpOutputLayer;
import org.eqp.dl4j.conf.EpParamInitializer;
import org.eqp.topology.Block;
import org.eqp.topology.Topology;
import org.eqp.testing.TinyProblems;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

/** DL4J's parameter constraints on an EP layer. */
class EpConstraintsTest {

    @Test
    void constraintsActOnWeightsAndBiasesAndLeaveTheRandomSignStateAndTheMasksAlone() {
        // given a small-world EP net whose layer keeps the weights non-negative and every parameter at row norms <= 0.5
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(2).updater(new Sgd(0.5)).list()
                .layer(new EpOutputLayer.Builder().nIn(6).nOut(3).hidden(8, 8).smallWorld(0.3).topologySeed(1)
                        .constrainWeights(new NonNegativeConstraint())
                        .constrainAllParameters(new MaxNormConstraint(0.5, 1)).build())
                .build();
        EpOutputLayer layerConf = (EpOutputLayer) conf.getConf(0).getLayer();
        assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()), "constraints survive JSON");
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        DataSet data = TinyProblems.blobs(40, 6, 3, 3);
        // when it trains on 4 batches
        net.fit(new ListDataSetIterator<>(data.asList(), 10));
        // then the weights obey both constraints, the biases the norm, and absent connections stay zero
        var layer = net.getLayer(0);
        Topology topology = layerConf.topology();
        for (int k = 0; k < topology.blocks().size(); k++) {
            INDArray w = layer.getParam(EpParamInitializer.weightKey(k));
            assertTrue(w.minNumber().doubleValue() >= 0, "W" + k + " has a negative weight");
            assertTrue(w.norm2(1).maxNumber().doubleValue() <= 0.5 + 1e-6, "W" + k + " has a row norm above 0.5");
        }
        assertAbsentConnectionsZero(net);
        for (int l = 1; l < topology.numLayers(); l++) {
            assertTrue(layer.getParam(EpParamInitializer.biasKey(l)).norm2Number().doubleValue() <= 0.5 + 1e-6);
        }
        // and the random-sign state still counts the 4 draws
        assertEquals(4, EpParamInitializer.signDraws(layer.paramTable()));
    }

    /** A user's constraint that moves every entry, those of absent connections too. */
    private static final class ShiftConstraint extends BaseConstraint {
        ShiftConstraint() {
            super(java.util.Set.of());
        }

        @Override
        public void apply(INDArray param) {
            param.addi(1e-3);
        }

        @Override
        public ShiftConstraint clone() {
            ShiftConstraint copy = new ShiftConstraint();
            copy.setParams(getParams());
            return copy;
        }
    }

    @Test
    void absentConnectionsStayZeroWhateverAConstraintDoes() {
        // given a small-world EP net with a constraint that shifts every weight
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(2).updater(new Sgd(0.5))
                .constrainWeights(new ShiftConstraint()).list()
                .layer(new EpOutputLayer.Builder().nIn(6).nOut(3).hidden(8, 8).smallWorld(0.3).topologySeed(1).build())
                .build());
        net.init();
        // when it trains on a batch
        net.fit(TinyProblems.blobs(10, 6, 3, 3));
        // then the weights of absent connections are still zero
        assertAbsentConnectionsZero(net);
    }

    private static void assertAbsentConnectionsZero(MultiLayerNetwork net) {
        var layer = net.getLayer(0);
        Topology topology = ((EpOutputLayer) layer.conf().getLayer()).topology();
        int masked = 0;
        for (int k = 0; k < topology.blocks().size(); k++) {
            INDArray w = layer.getParam(EpParamInitializer.weightKey(k));
            Block b = topology.blocks().get(k);
            if (!b.dense()) {
                masked++;
                for (int i = 0; i < topology.size(b.from()); i++) {
                    for (int j = 0; j < topology.size(b.to()); j++) {
                        if (!b.mask().connected(i, j)) {
                            assertEquals(0.0, w.getFloat(i, j), 0.0, "W" + k + " (" + i + ", " + j + ") is absent");
                        }
                    }
                }
            }
        }
        assertTrue(masked > 0, "the topology should have masked blocks");
    }

    @Test
    void constraintsOnIntralayerWeightsAreRejectedWithTheFix() {
        // given the preprint's topology (hidden layers connected within) and a max-norm constraint on the weights
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .constrainWeights(new MaxNormConstraint(1, 1)).list().layer(new EpOutputLayer.Builder().nIn(6).nOut(3).hidden(8, 8).smallWorldIntralayer(10)
                        .build()).build();
        // when the network is built, then it is refused with the fix
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MultiLayerNetwork(conf).init());
        assertTrue(e.getMessage().contains("intralayer") && e.getMessage().contains("constrainBias"), e.getMessage());
    }
}
