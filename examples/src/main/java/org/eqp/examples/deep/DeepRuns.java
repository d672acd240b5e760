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
 * {@code fit}: per run the cost (mean 1/2 squared error at the free equilibrium) after every epoch, final
 * classification errors, sparsity and the Proposition 2 check. Writes {@code mse.csv},
 * {@code mse.png} (figure 1 style), {@code stability.csv} (Proposition 2 per unit) and one {@code graph-run<k>.png}
 * per run (figure 2 style) into its folder.
 */
public final class DeepRuns {

    /**
     * One run's outcome.
     *
     * @param mse                cost after each epoch
     * @param errors             misclassified patterns at the end (of 4)
     * @param edges              edges left, bias edges included
     * @param sparsity           removed / initial edges, bias edges counted (the paper's percentages: 48 edges)
     * @param sparsityWithoutBias the same without the bias unit's edges (42 edges)
     * @param stability          Proposition 2's conditions, unit by unit, on the trained network
     */
    public record Run(double[] mse, int errors, int edges, double sparsity, double sparsityWithoutBias,
                      StabilityReport stability) {
        /** Non-input units satisfying Proposition 2's conditions. */
        public int stableUnits() {
            return (int) stability.units().stream().filter(StabilityReport.Unit::satisfied).count();
        }

        public double finalMse() {
            return mse[mse.length - 1];
        }
    }

    private DeepRuns() {
    }

    /**
     * Trains {@code runs} networks, each a {@link DeepRecipe#network} fitted once per epoch on the four patterns (one
     * update per epoch), and writes the run's files.
     *
     * @param seed run k (0-based) uses seed + k for its weights, initial states and pruning
     */
    public static List<Run> run(LogicTask task, DeepRecipe recipe, int hidden, int runs, int epochs, double initSigma,
                                long seed, Path dir, PrintStream log) throws IOException {
        if (runs < 1 || epochs < 1) {
            throw new IllegalArgumentException("runs and epochs must be at least 1; got " + runs + " and " + epochs);
        }
        Files.createDirectories(dir);
        double[][] y = task.targets();
        DataSet patterns = new DataSet(Nd4j.create(LogicTask.INPUTS), Nd4j.create(y));
        String rule = recipe.ruleName();
        List<Run> out = new ArrayList<>();
        for (int k = 0; k < runs; k++) {
            MultiLayerNetwork net = recipe.network(2, hidden, 1, initSigma, seed + k, DataType.DOUBLE);
            DirectedEpOutputLayerImpl layer = (DirectedEpOutputLayerImpl) net.getLayer(0);
            DirectedGraph graph = layer.network().graph();
            double[] mse = new double[epochs];
            double[][] outputs = null;
            for (int e = 0; e < epochs; e++) {
                net.fit(patterns);
                outputs = net.output(patterns.getFeatures()).toDoubleMatrix();
                mse[e] = cost(outputs, y);
            }
            DirectedNetwork trained = layer.network();
            DirectedGraph left = trained.graph();
            int errors = errors(outputs, y);
            double sparsity = 1 - left.edgeCount() / (double) graph.edgeCount();
            double withoutBias = 1 - (left.edgeCount() - left.biasEdgeCount())
                    / (double) (graph.edgeCount() - graph.biasEdgeCount());
            Run r = new Run(mse, errors, left.edgeCount(), sparsity, withoutBias, StabilityReport.of(trained));
            out.add(r);
            log.printf(Locale.ROOT, "%s %s run %d: final MSE %.3g, %d/4 wrong, %d edges left (sparsity %.2f %%), "
                    + "%d/%d units meet Proposition 2%n", task.id(), rule, k + 1, r.finalMse(), errors,
                    left.edgeCount(), 100 * sparsity, r.stableUnits(), left.size() - left.inputs());
            DirectedGraphPlot.save(trained, String.format(Locale.ROOT, "%s, %s, run %d: %d edges (%.2f %% sparse)",
                    task.id().toUpperCase(Locale.ROOT), rule, k + 1, left.edgeCount(), 100 * sparsity),
                    dir.resolve("graph-run" + (k + 1) + ".png"));
        }
        writeCsv(out, dir.resolve("mse.csv"));
        writeStability(out, dir.resolve("stability.csv"));
        QuantileBandPlot.save(out.stream().map(Run::mse).toArray(double[][]::new), String.format(Locale.ROOT,
                "%s with %s: MSE at the free equilibrium over %d runs", task.id().toUpperCase(Locale.ROOT), rule,
                runs), "MSE", dir.resolve("mse.png"));
        return out;
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
