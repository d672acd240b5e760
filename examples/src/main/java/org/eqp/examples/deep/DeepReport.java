package org.eqp.examples.deep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * {@code DIR/summary.json} and {@code DIR/summary.md} of {@code ./eqp deep}: per task and rule, the runs, how many
 * ended with zero classification error, the final MSE and sparsity of each run.
 */
public final class DeepReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The runs of one task under one rule. */
    public record Entry(LogicTask task, DeepRecipe recipe, List<DeepRuns.Run> runs) {
        long converged() {
            return runs.stream().filter(r -> r.errors() == 0).count();
        }
    }

    private DeepReport() {
    }

    public static void write(Path dir, List<Entry> entries, int hidden, int epochs, double initSigma, long seed)
            throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("graph", "complete directed: 2 inputs + bias unit, " + hidden + " hidden, 1 output");
        root.put("epochs", epochs);
        root.put("init_sigma", initSigma);
        root.put("seed", seed);
        root.put("sparsity_counts", "removed / initial edges; 'sparsity' counts the bias unit's edges (48 on the "
                + "paper's 8-neuron graph), 'sparsity_without_bias' does not (42)");
        Map<String, Object> settings = new LinkedHashMap<>();
        Map<String, Map<String, Object>> tasks = new LinkedHashMap<>();
        for (Entry e : entries) {
            String rule = e.recipe().ruleName();
            settings.put(rule, e.recipe().describe());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("runs", e.runs().size());
            m.put("converged_to_zero_error", e.converged());
            m.put("final_mse", e.runs().stream().mapToDouble(DeepRuns.Run::finalMse).toArray());
            m.put("sparsity", e.runs().stream().mapToDouble(DeepRuns.Run::sparsity).toArray());
            m.put("sparsity_without_bias", e.runs().stream().mapToDouble(DeepRuns.Run::sparsityWithoutBias).toArray());
            m.put("edges_left", e.runs().stream().mapToInt(DeepRuns.Run::edges).toArray());
            m.put("units_meeting_proposition_2", e.runs().stream().mapToInt(DeepRuns.Run::stableUnits).toArray());
            tasks.computeIfAbsent(e.task().id(), t -> new LinkedHashMap<>()).put(rule, m);
        }
        root.put("settings", settings);
        root.put("tasks", tasks);
        Files.writeString(dir.resolve("summary.json"), JSON.writeValueAsString(root));

        StringBuilder md = new StringBuilder("# DEEP on logic tasks (Farinha et al. 2020)\n\n");
        md.append(String.format(Locale.ROOT, "Complete directed graph: 2 inputs, a bias unit, %d hidden, 1 output; %d "
                + "epochs of one update over the 4 patterns; weights N(0, %s); seeds %d..%d.%n%n", hidden, epochs,
                initSigma, seed, seed + entries.get(0).runs().size() - 1));
        md.append("| task | rule | runs at 0 errors | median final MSE | max final MSE | median sparsity % (no bias) "
                + "| paper sparsity % |\n|---|---|---|---|---|---|---|\n");
        for (Entry e : entries) {
            double[] mse = e.runs().stream().mapToDouble(DeepRuns.Run::finalMse).toArray();
            double[] sparsity = e.runs().stream().mapToDouble(DeepRuns.Run::sparsity).toArray();
            double[] noBias = e.runs().stream().mapToDouble(DeepRuns.Run::sparsityWithoutBias).toArray();
            md.append(String.format(Locale.ROOT, "| %s | %s | %d / %d | %.3g | %.3g | %.2f (%.2f) | %s |%n",
                    e.task().id(), e.recipe().ruleName(), e.converged(), e.runs().size(),
                    org.eqp.examples.report.QuantileBandPlot.quantile(mse, 0.5), java.util.Arrays.stream(mse).max().orElseThrow(),
                    100 * org.eqp.examples.report.QuantileBandPlot.quantile(sparsity, 0.5),
                    100 * org.eqp.examples.report.QuantileBandPlot.quantile(noBias, 0.5), paperSparsity(e.task())));
        }
        md.append("\nProposition 2 (sufficient for a stable free equilibrium): units meeting it per run in summary.json, "
                + "unit by unit in `TASK-RULE/stability.csv`.\n");
        md.append("\nThe paper (DEEP, with pruning): AND and OR always learnt, XOR most times; sparsity 93.75 / 95.83 / "
                + "62.5 % (of 48 edges, the bias unit's included); vector-field EP fails XOR and is slower on AND/OR.\n"
                + "Per task and rule: `TASK-RULE/mse.csv`, `mse.png` (median, 25-75 % and min-max bands), "
                + "`graph-runK.png` (edge opacity by |W|; blue positive, red negative).\n");
        Files.writeString(dir.resolve("summary.md"), md);
    }

    private static String paperSparsity(LogicTask task) {
        return switch (task) {
            case AND -> "93.75";
            case OR -> "95.83";
            case XOR -> "62.50";
        };
    }
}
