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
 * ended with zero classification error, the final MSE and sparsity of each run, the median sparsity, the best learnt
 * run's sparsity and the runs at or above the paper's sparsity.
 */
public final class DeepReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** How the reports count sparsity, in words. */
    private static final String SPARSITY_COUNTS = "zero-weight / starting edges; 'sparsity' counts the bias unit's "
            + "edges (48 on the paper's graph: 42 among its 8 neurons, 2 inputs, 5 hidden and 1 output, each sending "
            + "to the 6 non-input neurons but itself, + 6 from the bias unit), 'sparsity_without_bias' does not (42)";

    private DeepReport() {
    }

    public static void write(Path dir, List<TaskRuns> entries, int hidden, int epochs, double initSigma, long seed)
            throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("graph", "complete directed: 2 inputs + bias unit, " + hidden + " hidden, 1 output");
        root.put("epochs", epochs);
        root.put("init_sigma", initSigma);
        root.put("seed", seed);
        root.put("sparsity_counts", SPARSITY_COUNTS);
        Map<String, Object> settings = new LinkedHashMap<>();
        Map<String, Map<String, Object>> tasks = new LinkedHashMap<>();
        for (TaskRuns e : entries) {
            String rule = e.recipe().ruleName();
            settings.put(rule, e.recipe().describe());
            tasks.computeIfAbsent(e.task().id(), t -> new LinkedHashMap<>()).put(rule, json(e));
        }
        root.put("settings", settings);
        root.put("tasks", tasks);
        Files.writeString(dir.resolve("summary.json"), JSON.writeValueAsString(root));

        StringBuilder md = new StringBuilder("# DEEP on logic tasks (Farinha et al. 2020)\n\n");
        md.append(String.format(Locale.ROOT, "Complete directed graph: 2 inputs, a bias unit, %d hidden, 1 output; %d "
                + "epochs of one update over the 4 patterns; weights N(0, %s); seeds %d..%d; pruned edges %s.%n%n",
                hidden, epochs, initSigma, seed, seed + entries.get(0).runs().size() - 1,
                entries.get(0).recipe().settings().regrow() ? "may grow back (--regrow)" : "removed for good"));
        md.append(table(entries));
        md.append("\nSparsity: share of the starting edges whose weight is zero at the end, the bias unit's edges "
                + "counted (48 = 42 among the 8 neurons + 6 from the bias unit on the paper's graph); in brackets "
                + "without them. 'Learnt': zero classification errors at the end. 'Best learnt': the highest sparsity "
                + "of a run that learnt the task.\n");
        md.append("\nProposition 2 (sufficient for a stable free equilibrium): units meeting it per run in summary.json, "
                + "unit by unit in `TASK-RULE/stability.csv`.\n");
        md.append("\nThe paper (DEEP, with pruning): AND and OR always learnt, XOR most times; its figure 2 networks are "
                + "93.75 / 95.83 / 62.5 % sparse (45, 46, 30 of 48 edges pruned); vector-field EP fails XOR and is "
                + "slower on AND/OR.\nPer task and rule: `TASK-RULE/mse.csv`, `mse.png` (median, 25-75 % and min-max "
                + "bands), `graph-runK.png` (edge opacity by |W|; blue positive, red negative).\n");
        Files.writeString(dir.resolve("summary.md"), md);
    }

    /** The per-task-and-rule table of summary.md (also the search report's per-candidate table). */
    public static String table(List<TaskRuns> entries) {
        StringBuilder md = new StringBuilder("| task | rule | learnt | median final MSE | max final MSE | median "
                + "sparsity % (no bias) | best learnt sparsity % | runs >= paper sparsity (learnt) | paper sparsity % |"
                + "\n|---|---|---|---|---|---|---|---|---|\n");
        for (TaskRuns e : entries) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d / %d | %.3g | %.3g | %.2f (%.2f) | %s | %d (%d) | "
                            + "%.2f |%n", e.task().id(), e.recipe().ruleName(), e.learnt(), e.runs().size(),
                    e.medianFinalMse(), e.maxFinalMse(), 100 * e.medianSparsity(), 100 * e.medianSparsityWithoutBias(),
                    Double.isNaN(e.bestLearntSparsity()) ? "none learnt"
                            : String.format(Locale.ROOT, "%.2f", 100 * e.bestLearntSparsity()),
                    e.atPaperSparsity(), e.learntAtPaperSparsity(), 100 * e.task().paperSparsity()));
        }
        return md.toString();
    }

    private static Map<String, Object> json(TaskRuns e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runs", e.runs().size());
        m.put("converged_to_zero_error", e.learnt());
        m.put("median_sparsity", e.medianSparsity());
        m.put("best_learnt_sparsity", Double.isNaN(e.bestLearntSparsity()) ? null : e.bestLearntSparsity());
        m.put("paper_sparsity", e.task().paperSparsity());
        m.put("runs_at_paper_sparsity", e.atPaperSparsity());
        m.put("learnt_runs_at_paper_sparsity", e.learntAtPaperSparsity());
        m.put("seeds", e.runs().stream().mapToLong(DeepRuns.Run::seed).toArray());
        m.put("final_mse", e.runs().stream().mapToDouble(DeepRuns.Run::finalMse).toArray());
        m.put("errors", e.runs().stream().mapToInt(DeepRuns.Run::errors).toArray());
        m.put("sparsity", e.runs().stream().mapToDouble(DeepRuns.Run::sparsity).toArray());
        m.put("sparsity_without_bias", e.runs().stream().mapToDouble(DeepRuns.Run::sparsityWithoutBias).toArray());
        m.put("edges_left", e.runs().stream().mapToInt(DeepRuns.Run::edges).toArray());
        m.put("units_meeting_proposition_2", e.runs().stream().mapToInt(DeepRuns.Run::stableUnits).toArray());
        return m;
    }
}
