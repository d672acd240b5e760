package org.eqp.examples.deep;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.directed.DirectedGraph;
import org.eqp.directed.DirectedNetwork;
import org.eqp.directed.DirectedRule;
import org.eqp.directed.StabilityReport;
import org.eqp.dl4j.layers.DirectedEpOutputLayerImpl;
import org.eqp.examples.report.DirectedGraphPlot;
import org.eqp.examples.report.QuantileBandPlot;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Independent runs of one rule on one logic task over the complete directed graph of Farinha et al. 2020 (2 inputs,
 * a bias unit, the given hidden units, 1 output), each a DL4J network of one {@code DirectedEpOutputLayer} trained by
 * {@code fit}: per run the cost (mean 1/2 squared error at the free equilibrium), the final classification errors, the
 * trained network (its sparsity, the Proposition 2 check). {@link #run} also writes {@code mse.csv}, {@code mse.png}
 * (figure 1 style), {@code stability.csv} (Proposition 2 per unit) and one {@code graph-run<k>.png} per run (figure 2
 * style) into its folder; {@link #train} only trains (the search's candidates).
 */
public final class DeepRuns {

    /**
     * One run's outcome. Sparsity is the share of the starting graph's edges whose weight is zero at the end, as the
     * authors' notebook counts it: pruned for good, or pruned and not grown back (with regrowth).
     *
     * @param seed       the run's seed (weights, initial states, pruning draws)
     * @param mse        cost after each epoch, or only after the last when the run was trained without its curve
     * @param errors     misclassified patterns at the end (of 4)
     * @param network    the trained network
     * @param startGraph the graph it started from (for the complete 2-5-1 graph 48 edges: 42 among the 8 neurons,
     *                   6 from the bias unit)
     */
    public record Run(long seed, double[] mse, int errors, DirectedNetwork network, DirectedGraph startGraph) {
        /** Ended with every pattern on the right side of 0.5. */
        public boolean learnt() {
            return errors == 0;
        }

        public double finalMse() {
            return mse[mse.length - 1];
        }

        /** Edges with a non-zero weight at the end, bias edges included. */
        public int edges() {
            return network.liveGraph().edgeCount();
        }

        /** Zero-weight / starting edges, the bias unit's edges counted (the paper's percentages: of 48). */
        public double sparsity() {
            return 1 - edges() / (double) startGraph.edgeCount();
        }

        /** The same without the bias unit's edges (of 42 on the 2-5-1 graph). */
        public double sparsityWithoutBias() {
            DirectedGraph live = network.liveGraph();
            return 1 - (live.edgeCount() - live.biasEdgeCount())
                    / (double) (startGraph.edgeCount() - startGraph.biasEdgeCount());
        }

        /** Proposition 2's conditions, unit by unit, on the trained network. */
        public StabilityReport stability() {
            return StabilityReport.of(network);
        }

        /** Non-input units satisfying Proposition 2's conditions. */
        public int stableUnits() {
            return (int) stability().units().stream().filter(StabilityReport.Unit::satisfied).count();
        }

        /** One line: final MSE, errors, edges left and sparsity, units meeting Proposition 2. */
        public String describe() {
            return String.format(Locale.ROOT, "final MSE %.3g, %d/4 wrong, %d edges left (sparsity %.2f %%), %d/%d units "
                    + "meet Proposition 2", finalMse(), errors, edges(), 100 * sparsity(), stableUnits(),
                    startGraph.size() - startGraph.inputs());
        }
    }

    private DeepRuns() {
    }

    /**
     * Trains the runs and writes their files into {@code dir}: {@link #train} with the cost curve of every epoch.
     *
     * @param seed run k (0-based) uses seed + k for its weights, initial states and pruning
     */
    public static List<Run> run(LogicTask task, DeepRecipe recipe, int hidden, int runs, int epochs, double initSigma,
                                long seed, Path dir, PrintStream log) throws IOException {
        List<Run> out = train(task, recipe, hidden, runs, epochs, initSigma, seed, true, log);
        Files.createDirectories(dir);
        String rule = recipe.ruleName();
        for (int k = 0; k < out.size(); k++) {
            Run r = out.get(k);
            DirectedGraphPlot.save(r.network(), String.format(Locale.ROOT, "%s, %s, run %d: %d edges (%.2f %% sparse)",
                    task.id().toUpperCase(Locale.ROOT), rule, k + 1, r.edges(), 100 * r.sparsity()),
                    dir.resolve("graph-run" + (k + 1) + ".png"));
        }
        writeCsv(out, dir.resolve("mse.csv"));
        writeStability(out, dir.resolve("stability.csv"));
        QuantileBandPlot.save(out.stream().map(Run::mse).toArray(double[][]::new), String.format(Locale.ROOT,
                "%s with %s: MSE at the free equilibrium over %d runs", task.id().toUpperCase(Locale.ROOT), rule,
                runs), "MSE", dir.resolve("mse.png"));
        return out;
    }

    /**
     * Trains {@code runs} networks ({@link #trainOne}) and logs one line per run.
     *
     * @param seed  run k (0-based) uses seed + k for its weights, initial states and pruning
     * @param curve relax the free phase after every epoch for the cost curve; without it only after the last (about
     *              a third less work, the same runs)
     */
    public static List<Run> train(LogicTask task, DeepRecipe recipe, int hidden, int runs, int epochs,
                                  double initSigma, long seed, boolean curve, PrintStream log) {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be at least 1; got " + runs);
        }
        List<Run> out = new ArrayList<>();
        for (int k = 0; k < runs; k++) {
            Run r = trainOne(task, recipe, hidden, epochs, initSigma, seed + k, curve);
            out.add(r);
            log.println(task.id() + " " + recipe.ruleName() + " run " + (k + 1) + ": " + r.describe());
        }
        return out;
    }

    /**
     * One run: a {@link DeepRecipe#network} fitted once per epoch on the four patterns (one update per epoch).
     *
     * @param seed  seeds its weights, initial states and pruning
     * @param curve as for {@link #train}
     */
    public static Run trainOne(LogicTask task, DeepRecipe recipe, int hidden, int epochs, double initSigma, long seed,
                               boolean curve) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1; got " + epochs);
        }
        double[][] y = task.targets();
        DataSet patterns = new DataSet(Nd4j.create(LogicTask.INPUTS), Nd4j.create(y));
        MultiLayerNetwork net = recipe.network(2, hidden, 1, initSigma, seed, DataType.DOUBLE);
        DirectedEpOutputLayerImpl layer = (DirectedEpOutputLayerImpl) net.getLayer(0);
        DirectedGraph start = layer.network().graph();
        double[] mse = new double[curve ? epochs : 1];
        double[][] outputs = null;
        for (int e = 0; e < epochs; e++) {
            net.fit(patterns);
            if (curve || e == epochs - 1) {
                outputs = net.output(patterns.getFeatures()).toDoubleMatrix();
                mse[curve ? e : 0] = cost(outputs, y);
            }
        }
        return new Run(seed, mse, errors(outputs, y), layer.network(), start);
    }

    /** Mean over examples of C = 1/2 ||y - s_out^0||^2; outputs and targets [examples][outputs]. */
    static double cost(double[][] outputs, double[][] targets) {
        double sum = 0;
        for (int e = 0; e < outputs.length; e++) {
            for (int o = 0; o < outputs[e].length; o++) {
                double d = outputs[e][o] - targets[e][o];
                sum += 0.5 * d * d;
            }
        }
        return sum / outputs.length;
    }

    /** Examples on the wrong side of 0.5 (one output per example, as the logic tasks have). */
    static int errors(double[][] outputs, double[][] targets) {
        int errors = 0;
        for (int e = 0; e < outputs.length; e++) {
            errors += (outputs[e][0] >= 0.5) == (targets[e][0] >= 0.5) ? 0 : 1;
        }
        return errors;
    }

    /** The rule named on the command line: deep or vector-field. */
    public static DirectedRule parseRule(String name) {
        return switch (name) {
            case "deep" -> DirectedRule.DEEP;
            case "vector-field" -> DirectedRule.VECTOR_FIELD;
            default -> throw new IllegalArgumentException("--rule takes deep or vector-field; got '" + name + "'");
        };
    }

    /** Proposition 2 per run and non-input unit: sum of outgoing weights, sum of |incoming| from non-inputs. */
    private static void writeStability(List<Run> runs, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write("run,unit,outgoing_sum,incoming_abs_sum_from_non_inputs,satisfied\n");
            for (int k = 0; k < runs.size(); k++) {
                for (StabilityReport.Unit u : runs.get(k).stability().units()) {
                    w.write(String.format(Locale.ROOT, "%d,%d,%s,%s,%b%n", k + 1, u.unit(), u.outgoingSum(),
                            u.incomingAbsSum(), u.satisfied()));
                }
            }
        }
    }

    private static void writeCsv(List<Run> runs, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write("run,epoch,mse\n");
            for (int k = 0; k < runs.size(); k++) {
                double[] mse = runs.get(k).mse();
                for (int e = 0; e < mse.length; e++) {
                    w.write(String.format(Locale.ROOT, "%d,%d,%s%n", k + 1, e + 1, Double.toString(mse[e])));
                }
            }
        }
    }
}
