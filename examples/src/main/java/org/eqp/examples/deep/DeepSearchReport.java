package org.eqp.examples.deep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * What {@code ./eqp search} writes after a DEEP logic-task search, next to {@code results.csv} and {@code runs.csv}:
 * {@code summary.json}, {@code report.md} (the claims, the budget used, the best candidate's knobs, per-task table and
 * per-seed results, the ten best candidates) and {@code best-command.txt} (the best candidate as an {@code ./eqp deep}
 * command line that repeats its runs).
 */
public final class DeepSearchReport {
    private static final int LISTED = 10;

    private DeepSearchReport() {
    }

    public static void write(DeepSearchConfig config, Path configFile, DeepSearch.Outcome o, Path out)
            throws IOException {
        DeepSearch.Result best = o.best();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("config", configFile.toString());
        root.put("minutes", o.minutes());
        root.put("candidates", o.results().size());
        root.put("stopped_early", count(o, DeepSearch.Status.STOPPED));
        root.put("failed", count(o, DeepSearch.Status.FAILED));
        root.put("meeting_claims", o.results().stream().filter(DeepSearch.Result::meetsClaims).count());
        root.put("best_index", best == null ? null : best.index());
        root.put("best_score", best == null ? null : best.score());
        root.put("best_status", best == null ? null : best.status().id());
        root.put("best_knobs", best == null ? null : best.knobs());
        root.put("best_command", best == null ? null : command(config, best));
        Files.writeString(out.resolve("summary.json"), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(root));
        if (best != null) {
            Files.writeString(out.resolve("best-command.txt"), command(config, best) + "\n");
        }
        Files.writeString(out.resolve("report.md"), markdown(config, configFile, o));
    }

    /** The {@code ./eqp deep} command that repeats a candidate's runs (same tasks, seeds and knobs). */
    public static String command(DeepSearchConfig config, DeepSearch.Result r) {
        return String.format(Locale.ROOT, "./eqp deep --task %s --runs %d --seed %d %s --out runs/deep-search-best",
                String.join(",", config.tasks().stream().map(LogicTask::id).toList()), config.seeds(),
                config.firstSeed(), DeepKnob.flags(r.knobs()));
    }

    static String markdown(DeepSearchConfig config, Path configFile, DeepSearch.Outcome o) {
        StringBuilder md = new StringBuilder("# DEEP logic-task search (Farinha et al. 2020)\n\n");
        md.append(String.format(Locale.ROOT, "`./eqp search --config %s`: %d candidates in %.1f min (%d stopped early "
                        + "once a claim was out of reach, %d failed), %s generator, budget %d candidates / %s min; "
                        + "tasks %s, seeds %d..%d.%n%n", configFile, o.results().size(), o.minutes(),
                count(o, DeepSearch.Status.STOPPED), count(o, DeepSearch.Status.FAILED), config.plan().generator(),
                config.plan().maxCandidates(), config.plan().maxMinutes() == 0 ? "no limit"
                        : String.format(Locale.ROOT, "%.0f", config.plan().maxMinutes()),
                String.join(", ", config.tasks().stream().map(LogicTask::id).toList()), config.firstSeed(),
                config.firstSeed() + config.seeds() - 1));
        md.append("Claims (per task: runs that must end at zero errors, median sparsity over all runs, bias edges "
                + "counted):");
        for (LogicTask t : config.tasks()) {
            DeepClaim c = config.claims().get(t);
            md.append(String.format(Locale.ROOT, " %s >= %d/%d at >= %.0f %%;", t.id(), c.learnt(), config.seeds(),
                    100 * c.medianSparsity()));
        }
        md.setLength(md.length() - 1);
        md.append(String.format(Locale.ROOT, ". Score: the shortfall from them summed over the tasks (missing learnt "
                + "runs / %d + missing median sparsity), 0 when all are met; a candidate stopped early counts its "
                + "missing runs as failed.%n%n", config.seeds()));
        long meeting = o.results().stream().filter(DeepSearch.Result::meetsClaims).count();
        DeepSearch.Result best = o.best();
        if (best == null) {
            md.append("Every candidate failed; see results.csv for the reasons.\n");
            return md.toString();
        }
        md.append(String.format(Locale.ROOT, "## Best candidate (index %d, score %.3g, %s)%n%n%s%n%n", best.index(),
                best.score(), meeting > 0 ? "meets every claim" : best.status() == DeepSearch.Status.STOPPED
                        ? "the closest, stopped early: " + best.reason() : "the closest; no candidate met every claim",
                "`" + command(config, best) + "` repeats its runs."));
        md.append(DeepReport.table(best.tasks()));
        md.append("\nPer seed (errors of 4 patterns, sparsity of ").append(best.tasks().get(0).runs().get(0)
                .startGraph().edgeCount()).append(" edges):\n\n| task | seed | errors | final MSE | sparsity % | edges "
                + "left |\n|---|---|---|---|---|---|\n");
        for (TaskRuns t : best.tasks()) {
            for (DeepRuns.Run r : t.runs()) {
                md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.3g | %.2f | %d |%n", t.task().id(), r.seed(),
                        r.errors(), r.finalMse(), 100 * r.sparsity(), r.edges()));
            }
        }
        md.append(String.format(Locale.ROOT, "%n## The %d best candidates%n%n| index | status | score |", Math.min(
                LISTED, o.results().size())));
        config.tasks().forEach(t -> md.append(' ').append(t.id()).append(" learnt, median sparsity % |"));
        DeepKnob.all().forEach(k -> md.append(' ').append(k.id()).append(" |"));
        md.append("\n|---|---|---|").append("---|".repeat(config.tasks().size() + DeepKnob.all().size())).append('\n');
        List<DeepSearch.Result> ranked = o.results().stream().filter(r -> r.status() != DeepSearch.Status.FAILED)
                .sorted(Comparator.comparingDouble(DeepSearch.Result::score)).limit(LISTED).toList();
        for (DeepSearch.Result r : ranked) {
            md.append(String.format(Locale.ROOT, "| %d | %s | %.3g |", r.index(), r.status().id(), r.score()));
            for (LogicTask t : config.tasks()) {
                TaskRuns runs = r.task(t);
                md.append(runs == null ? " not run |" : String.format(Locale.ROOT, " %d/%d, %.1f |", runs.learnt(),
                        runs.runs().size(), 100 * runs.medianSparsity()));
            }
            DeepKnob.all().forEach(k -> md.append(' ').append(format(r.knobs().get(k.id()))).append(" |"));
            md.append('\n');
        }
        md.append("\nEvery candidate: `results.csv`; every run: `runs.csv` and `runs.log`.\n");
        return md.toString();
    }

    private static String format(Object value) {
        return value instanceof Double d ? String.format(Locale.ROOT, "%.4g", d) : String.valueOf(value);
    }

    private static long count(DeepSearch.Outcome o, DeepSearch.Status status) {
        return o.results().stream().filter(r -> r.status() == status).count();
    }
}
