package org.eqp.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.eqp.directed.DirectedRule;
import org.eqp.dl4j.conf.DirectedEpOutputLayer;
import org.eqp.dl4j.conf.L1AfterUpdate;
import org.eqp.dl4j.layers.DirectedEpOutputLayerImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

/** DEEP and vector-field EP as a DL4J output layer. */
class DirectedEpOutputLayerTest {
    private static final DataSet AND = new DataSet(Nd4j.create(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}}),
            Nd4j.create(new float[][] {{0}, {0}, {0}, {1}}));

    private static MultiLayerConfiguration conf(DirectedRule rule, org.nd4j.linalg.learning.config.IUpdater updater,
                                                double lambda) {
        return new NeuralNetConfiguration.Builder().seed(3).updater(updater).list()
                .layer(new DirectedEpOutputLayer.Builder().nIn(2).nOut(1).hidden(5).rule(rule).freeSteps(300)
                        .nudgedSteps(300).pruning(lambda, 5).build()).build();
    }

    @Test
    void deepLearnsAndThroughFitWithSgd() {
        // given the authors' DEEP net (5 hidden units, beta 10) with Sgd(100), the authors' rate
        MultiLayerNetwork net = new MultiLayerNetwork(conf(DirectedRule.DEEP, new Sgd(100), 0));
        net.init();
        // when fitted on the four AND patterns for 100 epochs
        for (int epoch = 0; epoch < 100; epoch++) {
            net.fit(AND);
        }
        // then every pattern is on the right side of 0.5
        INDArray out = net.output(AND.getFeatures());
        for (int r = 0; r < 4; r++) {
            assertEquals(AND.getLabels().getDouble(r, 0), out.getDouble(r, 0) >= 0.5 ? 1.0 : 0.0, 0.0, "pattern " + r
                    + ": " + out);
        }
    }

    @Test
    void prunedEdgesStayAtZeroUnderAdamAndSurviveSerialization(@TempDir Path dir) throws Exception {
        MultiLayerConfiguration conf = conf(DirectedRule.VECTOR_FIELD, new Adam(0.01), 0.05);
        assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()));
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        for (int epoch = 0; epoch < 10; epoch++) {
            net.fit(AND);
        }
        INDArray w = net.getLayer(0).getParam("W");
        INDArray m = net.getLayer(0).getParam("M");
        int n = (int) w.rows();
        int pruned = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (m.getDouble(i, j) == 0) {
                    assertEquals(0.0, w.getDouble(i, j), 0.0, "no weight without an edge: " + i + " -> " + j);
                    pruned += (j >= 3 && i != j) ? 1 : 0;
                }
            }
        }
        assertTrue(pruned > 0, "lambda 0.05 pruned some of the 48 edges");
        assertEquals(48 - pruned, ((DirectedEpOutputLayerImpl) net.getLayer(0)).network().graph().edgeCount());
        File file = dir.resolve("deep.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(net.params(), restored.params());
        assertEquals(net.output(AND.getFeatures()), restored.output(AND.getFeatures()));
    }

    @Test
    void worksAsTheHeadOfAComputationGraph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(4).updater(new Sgd(100))
                .graphBuilder().addInputs("in")
                .addLayer("deep", new DirectedEpOutputLayer.Builder().nIn(2).nOut(1).hidden(5).freeSteps(300)
                        .nudgedSteps(300).build(), "in")
                .setOutputs("deep").build();
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        for (int epoch = 0; epoch < 100; epoch++) {
            graph.fit(AND);
        }
        INDArray out = graph.outputSingle(AND.getFeatures());
        assertTrue(out.getDouble(3, 0) >= 0.5 && out.getDouble(0, 0) < 0.5, out.toString());
    }

    @Test
    void aBackpropEncoderUnderADeepHeadTrainsThroughDeepsInputEstimate() {
        // given a graph: a sigmoid dense encoder (backprop) feeding a DEEP head, on two separable blobs
        DataSet data = org.eqp.testing.TinyProblems.blobs(80, 4, 2, 6);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(6).updater(new Sgd(1))
                .graphBuilder().addInputs("in")
                .addLayer("encoder", new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(4).nOut(3)
                        .activation(org.nd4j.linalg.activations.Activation.SIGMOID).build(), "in")
                .addLayer("deep", new DirectedEpOutputLayer.Builder().nIn(3).nOut(2).hidden(3).dt(0.1).freeSteps(100)
                        .nudgedSteps(20).beta(1).build(), "encoder")
                .setOutputs("deep").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        INDArray encoderBefore = graph.getLayer("encoder").params().dup();
        // when it trains for 40 epochs of batches of 20
        for (int epoch = 0; epoch < 40; epoch++) {
            for (DataSet batch : data.batchBy(20)) {
                graph.fit(batch);
            }
        }
        // then the encoder moved (DEEP's dL/d(input) reached it) and the pair classifies the blobs
        assertTrue(graph.getLayer("encoder").params().distance2(encoderBefore) > 1e-3, "encoder did not train");
        double accuracy = graph.evaluate(new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(
                data.asList(), 80)).accuracy();
        assertTrue(accuracy >= 0.9, "accuracy " + accuracy);
    }

    @Test
    void aGivenGraphIsKeptThroughJsonAndTraining() {
        // given a feed-forward-only graph over 2 inputs + bias, 2 hidden, 1 output: inputs and bias -> hidden -> output
        boolean[][] edges = new boolean[6][6];
        for (int i = 0; i < 3; i++) {
            edges[i][3] = true;
            edges[i][4] = true;
        }
        edges[3][5] = true;
        edges[4][5] = true;
        edges[2][5] = true;
        org.eqp.directed.DirectedGraph graph = org.eqp.directed.DirectedGraph.of(2, 2, 1, true, edges);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).updater(new Sgd(1)).list()
                .layer(new DirectedEpOutputLayer.Builder().graph(graph).freeSteps(50).nudgedSteps(20).build()).build();
        assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()));
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        // when trained a little
        for (int epoch = 0; epoch < 3; epoch++) {
            net.fit(AND);
        }
        // then it still has exactly the given edges, and weights only there
        DirectedEpOutputLayerImpl layer = (DirectedEpOutputLayerImpl) net.getLayer(0);
        assertEquals(graph, layer.network().graph());
        INDArray w = layer.getParam("W");
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                assertEquals(edges[i][j], w.getDouble(i, j) != 0, "weight " + i + " -> " + j);
            }
        }
    }
    /** DEEP's rule (or vector-field EP's) with the authors' l1 step, written out from the paper for this test. */
    private static final class AuthorsRule {
        private final DirectedRule rule;
        private final double[][] w;
        private final int inputs;
        private final double dt;
        private final double beta;

        /** @param w W_ij [N][N] (i -> j), zero off the graph; inputs: clamped units, the bias unit (at 1) last */
        AuthorsRule(DirectedRule rule, double[][] w, int inputs, double dt, double beta) {
            this.rule = rule;
            this.w = w;
            this.inputs = inputs;
            this.dt = dt;
            this.beta = beta;
        }

        /** One Euler step of eq. 1 (DEEP: leak sum_k W_jk; vector field: leak 1), then the hard sigmoid. */
        double[] step(double[] s, Double target) {
            int n = s.length;
            double[] next = s.clone();
            for (int j = inputs; j < n; j++) {
                double v = 0;
                double leak = 0;
                for (int i = 0; i < n; i++) {
                    v += w[i][j] * s[i];
                    leak += w[j][i];
                }
                v -= (rule == DirectedRule.DEEP ? leak : 1) * s[j];
                if (target != null && j == n - 1) {
                    v -= beta * (s[j] - target);
                }
                next[j] = Math.min(1, Math.max(0, s[j] + dt * v));
            }
            return next;
        }

        /**
         * One update on a batch from zero initial states: W += lr * mean over examples of eq. 2 (DEEP: (1/M_beta)
         * sum_m s_i(m) (s_j(m) - s_j(m-1)) over the nudged steps; vector field: (1/beta) s_i^0 (s_j^beta - s_j^0)),
         * then W -= l1 * sign(W).
         */
        double[][] update(double[][] xs, double[] ys, int freeSteps, int nudgedSteps, double lr, double l1) {
            int n = w.length;
            double[][] dw = new double[n][n];
            for (int e = 0; e < xs.length; e++) {
                double[] s = new double[n];
                System.arraycopy(xs[e], 0, s, 0, xs[e].length);
                s[inputs - 1] = 1;
                for (int m = 0; m < freeSteps; m++) {
                    s = step(s, null);
                }
                double[] free = s;
                for (int m = 0; m < nudgedSteps; m++) {
                    double[] next = step(s, ys[e]);
                    for (int i = 0; i < n; i++) {
                        for (int j = inputs; j < n; j++) {
                            if (rule == DirectedRule.DEEP && i != j) {
                                dw[i][j] += next[i] * (next[j] - s[j]) / nudgedSteps / xs.length;
                            }
                        }
                    }
                    s = next;
                }
                if (rule == DirectedRule.VECTOR_FIELD) {
                    for (int i = 0; i < n; i++) {
                        for (int j = inputs; j < n; j++) {
                            dw[i][j] += i == j ? 0 : free[i] * (s[j] - free[j]) / beta / xs.length;
                        }
                    }
                }
            }
            double[][] next = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    next[i][j] = w[i][j] + lr * dw[i][j];
                    next[i][j] -= l1 * Math.signum(next[i][j]);
                }
            }
            return next;
        }
    }

    @ParameterizedTest
    @EnumSource(DirectedRule.class)
    void oneFitThroughTheLayerIsOneUpdateOfTheAuthorsRule(DirectedRule rule) {
        // given a 5-unit network (2 inputs + bias, 1 hidden, 1 output) in double precision, states from zero,
        // no pruning, Sgd(5) and the authors' l1 step 1e-3
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(11)
                .dataType(DataType.DOUBLE).updater(new Sgd(5)).list()
                .layer(new DirectedEpOutputLayer.Builder().nIn(2).nOut(1).hidden(1).rule(rule).dt(0.1).freeSteps(40)
                        .nudgedSteps(30).beta(2).initSigma(0.3).l1Step(1e-3).build())
                .build());
        net.init();
        double[][] before = net.getLayer(0).getParam("W").toDoubleMatrix();
        AuthorsRule authors = new AuthorsRule(rule, before, 3, 0.1, 2);
        double[][] xs = AND.getFeatures().toDoubleMatrix();
        double[] ys = {0, 0, 0, 1};
        double[][] expected = authors.update(xs, ys, 40, 30, 5, 1e-3);
        // when the network is fitted once on the four AND patterns
        net.fit(new DataSet(AND.getFeatures().castTo(DataType.DOUBLE), AND.getLabels().castTo(DataType.DOUBLE)));
        // then its weights are the authors' update, to rounding
        double[][] after = net.getLayer(0).getParam("W").toDoubleMatrix();
        double largestMove = 0;
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(expected[i], after[i], 1e-13, "row " + i);
            for (int j = 0; j < 5; j++) {
                largestMove = Math.max(largestMove, Math.abs(after[i][j] - before[i][j]));
            }
        }
        assertTrue(largestMove > 1e-2, "the update moved the weights: " + largestMove);
        // and the l1 step mattered: without it the authors' update differs by 1e-3 on every non-zero weight
        double[][] withoutL1 = authors.update(xs, ys, 40, 30, 5, 0);
        assertEquals(1e-3, Math.abs(withoutL1[0][3] - after[0][3]), 1e-12);
    }

    @Test
    void theL1StepTakesTheSignAfterTheUpdateAndIgnoresTheRate() {
        // given weights and the update an updater produced (DL4J subtracts it): W' = W - u = [-0.002, -0.4, 0, 0.25]
        INDArray w = Nd4j.create(new double[] {0.001, -0.3, 0, 0.2});
        INDArray u = Nd4j.create(new double[] {0.003, 0.1, 0, -0.05});
        // when the authors' l1 step of 1e-4 is applied at learning rate 100
        new L1AfterUpdate(1e-4).apply(w, u, 100, 0, 0);
        // then W - u moves 1e-4 toward zero from W' (the first weight crossed zero: it goes up, by the new sign),
        // and a zero weight stays at zero
        assertArrayEquals(new double[] {-0.002 + 1e-4, -0.4 + 1e-4, 0, 0.25 - 1e-4}, w.sub(u).toDoubleVector(), 1e-15);
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> new L1AfterUpdate(-1));
        assertTrue(negative.getMessage().contains("l1 step"), negative.getMessage());
        // and a layer configured with it survives JSON
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new DirectedEpOutputLayer.Builder().nIn(2).nOut(1).l1Step(1e-4).build()).build();
        assertTrue(conf.toJson().contains("L1AfterUpdate"), conf.toJson());
        assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()));
    }

    @Test
    void pruningSeesTheWeightsAfterTheUpdate() {
        // given every edge at 0.02, above lambda 0.01, except the edges into the output at 0.5; no learning (Sgd(0))
        // but an l1 step of 0.015, which brings the 0.02 weights to 0.005, below lambda
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(2)
                .dataType(DataType.DOUBLE).updater(new Sgd(0)).list()
                .layer(new DirectedEpOutputLayer.Builder().nIn(2).nOut(1).hidden(5).freeSteps(20).nudgedSteps(10)
                        .pruning(0.01, 5).l1Step(0.015).build())
                .build());
        net.init();
        INDArray w = net.getLayer(0).getParam("W");
        INDArray m = net.getLayer(0).getParam("M");
        int n = 9;
        int output = 8;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                w.putScalar(i, j, m.getDouble(i, j) * (j == output ? 0.5 : 0.02));
            }
        }
        // when fitted once
        net.fit(AND);
        // then some of the weakened edges were pruned (had the pruning come before the update, none would be), none
        // of the strong ones, and what is left is the l1-shrunk weight
        int pruned = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 3; j < n; j++) {
                if (i == j) {
                    continue;
                }
                boolean kept = m.getDouble(i, j) == 1;
                pruned += kept ? 0 : 1;
                assertTrue(kept || j != output, "edge " + i + " -> " + j + " was above lambda");
                assertEquals(kept ? (j == output ? 0.485 : 0.005) : 0, w.getDouble(i, j), 1e-15, i + " -> " + j);
            }
        }
        assertTrue(pruned > 0, "the weights below lambda after the update are pruning candidates");
    }

    @Test
    void prunedEdgesNeverReturnAndSparsityOnlyGrows() {
        // given DEEP with the authors' rate, l1 step and a high threshold lambda 0.05
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(2).updater(new Sgd(100))
                .list().layer(new DirectedEpOutputLayer.Builder().nIn(2).nOut(1).hidden(5).freeSteps(100)
                        .nudgedSteps(50).initialSpread(0.1).pruning(0.05, 5).l1Step(1.5e-4).build())
                .build());
        net.init();
        INDArray m = net.getLayer(0).getParam("M");
        double[][] before = m.toDoubleMatrix();
        // when fitted 30 times, then no edge ever comes back and a pruned edge's weight is zero
        for (int epoch = 0; epoch < 30; epoch++) {
            net.fit(AND);
            double[][] now = m.toDoubleMatrix();
            double[][] w = net.getLayer(0).getParam("W").toDoubleMatrix();
            for (int i = 0; i < now.length; i++) {
                for (int j = 0; j < now.length; j++) {
                    assertTrue(now[i][j] <= before[i][j], "edge " + i + " -> " + j + " came back at epoch " + epoch);
                    assertTrue(now[i][j] == 1 || w[i][j] == 0, "weight without an edge: " + i + " -> " + j);
                }
            }
            before = now;
        }
        assertTrue(((DirectedEpOutputLayerImpl) net.getLayer(0)).network().graph().edgeCount() < 48, "some pruned");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aPrunedWeightIsZeroAndOnlyWithRegrowthDoesTheNextUpdateBringItBack(boolean regrow) {
        // given DEEP on the complete 2-5-1 graph where every weight is a pruning candidate (lambda 1e9) and the
        // Boltzmann draw is nearly uniform (T 1e6: each edge pruned with probability about 1/9 per update), no l1 term
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).updater(new Sgd(100)).list()
                .layer(new DirectedEpOutputLayer.Builder().nIn(2).nOut(1).hidden(5).freeSteps(100).nudgedSteps(50)
                        .initialSpread(0.1).pruning(1e9, 1e6).regrow(regrow).build())
                .build();
        assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()));
        assertEquals(regrow, ((DirectedEpOutputLayer) MultiLayerConfiguration.fromJson(conf.toJson()).getConf(0)
                .getLayer()).isRegrow());
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray w = net.getLayer(0).getParam("W");
        INDArray m = net.getLayer(0).getParam("M");
        double[][] edges = m.toDoubleMatrix();
        int zeroed = 0;
        int cameBack = 0;
        // when fitted 6 times on AND
        for (int epoch = 0; epoch < 6; epoch++) {
            double[][] before = w.toDoubleMatrix();
            net.fit(AND);
            double[][] after = w.toDoubleMatrix();
            double[][] mask = m.toDoubleMatrix();
            for (int i = 0; i < after.length; i++) {
                for (int j = 0; j < after.length; j++) {
                    if (edges[i][j] == 0) {
                        continue;
                    }
                    boolean wasZero = before[i][j] == 0;
                    zeroed += after[i][j] == 0 ? 1 : 0;
                    cameBack += wasZero && after[i][j] != 0 ? 1 : 0;
                    // then a pruned edge keeps its place in M only with regrowth, and without it stays at zero
                    assertEquals(regrow || after[i][j] != 0 ? 1.0 : 0.0, mask[i][j], 0.0, i + " -> " + j);
                    assertTrue(regrow || !wasZero || after[i][j] == 0, "edge " + i + " -> " + j + " came back");
                }
            }
        }
        // and some weights were pruned to zero, which the next update moved off zero again only with regrowth
        assertTrue(zeroed > 0, "nothing was pruned");
        assertEquals(regrow, cameBack > 0, cameBack + " pruned weights came back");
        DirectedEpOutputLayerImpl layer = (DirectedEpOutputLayerImpl) net.getLayer(0);
        assertEquals(regrow ? 48 : layer.network().liveGraph().edgeCount(), layer.network().graph().edgeCount());
        assertTrue(layer.network().liveGraph().edgeCount() < 48, "the live graph counts the pruned weights as missing");
    }

    @Test
    void aSeedGivesOneRunAndARestoredModelContinuesIt(@TempDir Path dir) throws Exception {
        // given random initial states and pruning, so both kinds of draws matter
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(6).dataType(DataType.DOUBLE)
                .updater(new Sgd(100)).list()
                .layer(new DirectedEpOutputLayer.Builder().nIn(2).nOut(1).hidden(5).freeSteps(100).nudgedSteps(50)
                        .initialSpread(0.1).pruning(0.05, 5).l1Step(1.5e-4).build())
                .build();
        DataSet and = new DataSet(AND.getFeatures().castTo(DataType.DOUBLE), AND.getLabels().castTo(DataType.DOUBLE));
        MultiLayerNetwork straight = new MultiLayerNetwork(conf.clone());
        straight.init();
        MultiLayerNetwork halves = new MultiLayerNetwork(conf.clone());
        halves.init();
        // when one network is fitted 6 times, the other 3 times, saved, restored and fitted 3 more times
        for (int epoch = 0; epoch < 6; epoch++) {
            straight.fit(and);
        }
        for (int epoch = 0; epoch < 3; epoch++) {
            halves.fit(and);
        }
        File file = dir.resolve("half.zip").toFile();
        ModelSerializer.writeModel(halves, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        for (int epoch = 0; epoch < 3; epoch++) {
            restored.fit(and);
        }
        // then both hold the same parameters, bit for bit, and pruning happened
        assertArrayEquals(straight.params().toDoubleVector(), restored.params().toDoubleVector(), 0.0);
        assertTrue(((DirectedEpOutputLayerImpl) straight.getLayer(0)).network().graph().edgeCount() < 48);
        // and another seed gives another run
        MultiLayerConfiguration other = conf.clone();
        other.getConf(0).setSeed(7);
        MultiLayerNetwork seven = new MultiLayerNetwork(other);
        seven.init();
        for (int epoch = 0; epoch < 6; epoch++) {
            seven.fit(and);
        }
        assertTrue(!java.util.Arrays.equals(straight.params().toDoubleVector(), seven.params().toDoubleVector()));
    }

    @Test
    void targetsOutsideTheStatesRangeAreRejectedWithTheLayerNamed() {
        MultiLayerNetwork net = new MultiLayerNetwork(conf(DirectedRule.DEEP, new Sgd(1), 0));
        net.init();
        DataSet bad = new DataSet(AND.getFeatures(), Nd4j.create(new float[][] {{0}, {0}, {0}, {2}}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.fit(bad));
        assertTrue(e.getMessage().contains("[0, 1]") && e.getMessage().contains("layer index: 0"), e.getMessage());
    }

    @Test
    void theInputGradientIsTheFiniteDifferenceGradientOfTheCostUnderSymmetricVectorFieldWeights() {
        // given a vector-field layer 2 -> 3 hidden -> 1 (units 0, 1 the inputs, 2 the bias unit, 3-5 hidden, 6 the
        // output) whose weights among hidden and output units are symmetric, so that its dynamics descend an energy
        // with dE/dx_i = -sum_j W_ij s_j and the layer's estimate -(1/beta) sum_j W_ij (s_j^beta - s_j^0) is EP's dL/dx
        // for C = 1/2 (s_out - y)^2; beta 0.001, phases of 3000 steps of dt 0.1 from zero states
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).updater(new Sgd(0))
                .list().layer(new DirectedEpOutputLayer.Builder().nIn(2).nOut(1).hidden(3)
                        .rule(DirectedRule.VECTOR_FIELD).dt(0.1).freeSteps(3000).nudgedSteps(3000).beta(1e-3)
                        .initialSpread(0).build()).build());
        net.init();
        java.util.Random random = new java.util.Random(11);
        float[][] w = new float[7][7];
        for (int j = 3; j < 7; j++) {
            w[0][j] = (float) (0.6 * random.nextDouble() - 0.3);
            w[1][j] = (float) (0.6 * random.nextDouble() - 0.3);
            w[2][j] = 0.5f; // the bias: states near the middle of [0, 1]
            for (int i = 3; i < j; i++) {
                w[i][j] = (float) (0.4 * random.nextDouble() - 0.2);
                w[j][i] = w[i][j];
            }
        }
        var layer = (DirectedEpOutputLayerImpl) net.getLayer(0);
        layer.setParam("W", Nd4j.create(w));
        INDArray x = Nd4j.create(new float[][] {{0.3f, 0.7f}, {0.6f, 0.2f}});
        INDArray y = Nd4j.create(new float[][] {{0.9f}, {0.1f}});
        var settings = ((DirectedEpOutputLayer) layer.conf().getLayer()).settings();
        for (double[] states : new org.eqp.directed.DirectedPhases(layer.network(), settings)
                .free(x.castTo(DataType.DOUBLE).toDoubleMatrix(), new java.util.SplittableRandom(0))) {
            for (int j = 3; j < 7; j++) {
                assertTrue(states[j] > 0.05 && states[j] < 0.95, "unit " + j + " on a bound: " + states[j]);
            }
        }
        // when the layer hands DL4J its estimate of dL/dx for the two examples
        var mgr = org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces();
        net.initGradientsView();
        layer.setInput(x, mgr);
        layer.setLabels(y);
        double[] estimate = layer.backpropGradient(null, mgr).getSecond().castTo(DataType.DOUBLE).dup('c').data()
                .asDouble();
        // then it matches the central differences of the summed cost at the free equilibrium, each input moved 0.01
        double[] finiteDifference = new double[4];
        for (int k = 0; k < 4; k++) {
            INDArray plus = x.dup();
            INDArray minus = x.dup();
            plus.putScalar(k / 2, k % 2, x.getFloat(k / 2, k % 2) + 0.01f);
            minus.putScalar(k / 2, k % 2, x.getFloat(k / 2, k % 2) - 0.01f);
            finiteDifference[k] = (cost(net, plus, y) - cost(net, minus, y))
                    / ((double) plus.getFloat(k / 2, k % 2) - minus.getFloat(k / 2, k % 2));
        }
        double diff = 0;
        double norm = 0;
        for (int k = 0; k < 4; k++) {
            diff += (estimate[k] - finiteDifference[k]) * (estimate[k] - finiteDifference[k]);
            norm += finiteDifference[k] * finiteDifference[k];
        }
        System.out.printf("directed dL/dx: %s against finite differences %s%n", java.util.Arrays.toString(estimate),
                java.util.Arrays.toString(finiteDifference));
        assertTrue(norm > 0, "the cost depends on the input");
        assertTrue(Math.sqrt(diff / norm) < 0.01, "|estimate - dL/dx| / |dL/dx| = " + Math.sqrt(diff / norm));
    }

    /** The sum over the examples of 1/2 (s_out - y)^2 at the free equilibrium (output() relaxes from zero states). */
    private static double cost(MultiLayerNetwork net, INDArray x, INDArray y) {
        INDArray d = net.output(x).castTo(DataType.DOUBLE).sub(y.castTo(DataType.DOUBLE));
        return 0.5 * d.mul(d).sumNumber().doubleValue();
    }
}
