package org.eqp.examples.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eqp.arbiter.EpSearch;
import org.eqp.arbiter.Knob;
import org.eqp.arbiter.KnobKind;
import org.eqp.arbiter.SearchConfig;
import org.eqp.arbiter.SearchResults;
import org.eqp.topology.spec.SymmetricTopologySpec;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * What {@code ./eqp search} writes next to {@code results.csv}: {@code summary.json}, {@code best-command.txt} (the
 * best candidate as an {@code ./eqp train} command line), {@code best.yaml} (its knobs, ready to paste as fixed values
 * into a search config), {@code scores.png} (score per candidate) and {@code score-vs-KNOB.png} for the varying knob
 * whose values correlate most with the score.
 */
public final class SearchOutputs {
    private SearchOutputs() {
    }

    public static void write(SearchConfig config, EpSearch.Outcome o, Path out) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("dataset", config.dataset());
        root.put("score", config.score().id());
        root.put("candidates_run", o.rows().size());
        root.put("candidates_failed", o.failed());
        root.put("best_score", o.best() == null ? null : o.best().score());
        root.put("best_index", o.best() == null ? null : o.best().index());
        root.put("best_hyperparameters", o.best() == null ? null : o.best().knobs());
        root.put("default_score", o.defaultOutcome() == null ? null : o.defaultOutcome().score(config.score()));
        root.put("default_failure", o.defaultFailure());
        root.put("default_hyperparameters", SearchResults.text(o.defaults()));
        Files.writeString(out.resolve("summary.json"), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(root));
        if (o.best() != null) {
            Files.writeString(out.resolve("best-command.txt"), trainCommand(config, o.best().knobs()) + "\n");
            StringBuilder yaml = new StringBuilder("# the best candidate's hyperparameters (" + config.score().id() + " "
                    + o.best().score() + ")\nspace:\n");
            o.best().knobs().forEach((k, v) -> yaml.append("  ").append(k).append(": ")
                    .append(k.equals(Knob.HIDDEN.id()) ? "\"" + v.replace(';', ',') + "\"" : v).append('\n'));
            Files.writeString(out.resolve("best.yaml"), yaml);
        }
        plots(config, o, out);
        if (config.space().varying().contains(Knob.MODEL)) {
            Files.writeString(out.resolve("by-model.md"), byModel(config, o.rows()));
        }
    }

    /** EP next to backprop within one search: candidates, failures, best and median score per model. */
    static String byModel(SearchConfig config, List<SearchResults.Row> rows) {
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "# EP vs backprop at equal budget (%s, %s)%n%n"
                + "| model | candidates | failed | best %s | median %s | mean seconds |%n|---|---|---|---|---|---|%n",
                config.dataset(), config.score().id(), config.score().id(), config.score().id()));
        for (String model : List.of("ep", "backprop")) {
            List<SearchResults.Row> mine = rows.stream().filter(r -> model.equals(r.knobs().get(Knob.MODEL.id())))
                    .toList();
            double[] scores = mine.stream().filter(SearchResults.Row::complete).mapToDouble(SearchResults.Row::score)
                    .sorted().toArray();
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %s | %.1f |%n", model, mine.size(),
                    mine.stream().filter(r -> !r.complete()).count(),
                    scores.length == 0 ? "n/a" : String.format(Locale.ROOT, "%.4g", scores[0]),
                    scores.length == 0 ? "n/a" : String.format(Locale.ROOT, "%.4g", scores[scores.length / 2]),
                    mine.stream().mapToDouble(SearchResults.Row::seconds).average().orElse(Double.NaN)));
        }
        return md.toString();
    }

    /** The best candidate as {@code ./eqp train} flags; knobs train has no flag for are named in a trailing comment. */
    static String trainCommand(SearchConfig config, Map<String, String> k) {
        StringBuilder cmd = new StringBuilder("./eqp train --dataset " + config.dataset());
        cmd.append(" --hidden ").append(k.get("hidden").replace(';', ','));
        cmd.append(" --eps ").append(k.get("eps")).append(" --beta ").append(k.get("beta"));
        cmd.append(" --free ").append(k.get("free")).append(" --nudged ").append(k.get("nudged"));
        if (!k.get("lr").equals(KnobKind.RATE_DEFAULT)) {
            cmd.append(" --lr ").append(k.get("lr")); // train's default rates are the search's default
        }
        cmd.append(" --epochs ").append(k.get("epochs"));
        if (!k.get("loss").equals(Knob.LOSS.defaultValue())) {
            cmd.append(" --loss ").append(k.get("loss"));
        }
        cmd.append(" --batch ").append(k.get("batch")).append(" --seed ").append(config.seed());
        SymmetricTopologySpec topology = SymmetricTopologySpec.parse(k.get("topology"), Double.parseDouble(k.get("p")),
                Long.parseLong(k.get("replacements")), config.seed());
        cmd.append(" --topology ").append(topology.kind());
        topology.describe().forEach((knob, value) -> {
            if (!knob.equals("connectivity")) {
                cmd.append(" --").append(knob).append(' ').append(value);
            }
        });
        if (k.get("random_sign").equals("false")) {
            cmd.append(" --fixed-sign");
        }
        if (k.get("model").equals("backprop")) {
            cmd.append(" --baseline backprop");
        }
        cmd.append(" --out runs/best");
        List<String> notExpressible = new ArrayList<>();
        if (!k.get("updater").equals("sgd")) {
            notExpressible.add("updater " + k.get("updater"));
        }
        if (Double.parseDouble(k.get("skip_init")) != 0) {
            notExpressible.add("skip_init " + k.get("skip_init"));
        }
        if (!notExpressible.isEmpty()) {
            cmd.append("   # train has no flag for: ").append(String.join(", ", notExpressible))
                    .append(" (EpOutputLayer.Builder in Java)");
        }
        return cmd.toString();
    }

    private static void plots(SearchConfig config, EpSearch.Outcome o, Path out) throws IOException {
        List<SearchResults.Row> done = o.rows().stream().filter(SearchResults.Row::complete).toList();
        if (done.isEmpty()) {
            return;
        }
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        XYChart scores = scatter("Score per candidate", "candidate", config.score().id());
        scores.addSeries("candidates", done.stream().mapToDouble(SearchResults.Row::index).toArray(),
                done.stream().mapToDouble(SearchResults.Row::score).toArray());
        save(scores, out.resolve("scores.png"));
        Knob knob = mostImportant(config, done);
        if (knob != null) {
            XYChart vs = scatter("Score against " + knob.id(), knob.id(), config.score().id());
            vs.addSeries("candidates", done.stream().mapToDouble(r -> numeric(knob, r)).toArray(),
                    done.stream().mapToDouble(SearchResults.Row::score).toArray());
            if (knob == Knob.LR || knob == Knob.BETA) {
                vs.getStyler().setXAxisLogarithmic(done.stream().allMatch(r -> numeric(knob, r) > 0));
            }
            save(vs, out.resolve("score-vs-" + knob.id() + ".png"));
        }
    }

    /** The varying knob whose (numeric or choice-index) values have the largest |correlation| with the score. */
    static Knob mostImportant(SearchConfig config, List<SearchResults.Row> rows) {
        Knob best = null;
        double bestR = -1;
        double[] y = rows.stream().mapToDouble(SearchResults.Row::score).toArray();
        for (Knob k : config.space().varying()) {
            double[] x = rows.stream().mapToDouble(r -> numeric(k, r)).toArray();
            double r = Math.abs(correlation(x, y));
            if (Double.isFinite(r) && r > bestR) {
                bestR = r;
                best = k;
            }
        }
        return best;
    }

    /** A knob's value as a number: itself, 1/0 for booleans, its index for choices, total units for hidden sizes. */
    private static double numeric(Knob k, SearchResults.Row r) {
        String v = r.knobs().get(k.id());
        return switch (k.kind()) {
            case BOOLEAN -> Boolean.parseBoolean(v) ? 1 : 0;
            case CHOICE -> k.choiceIndex(v);
            case SIZES -> java.util.Arrays.stream(v.split(";")).mapToDouble(Double::parseDouble).sum();
            default -> Double.parseDouble(v);
        };
    }

    private static double correlation(double[] x, double[] y) {
        double mx = java.util.Arrays.stream(x).average().orElse(0);
        double my = java.util.Arrays.stream(y).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    private static XYChart scatter(String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(x).yAxisTitle(y).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setLegendVisible(false);
        return chart;
    }

    private static void save(XYChart chart, Path png) throws IOException {
        try (var o = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, o, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    /** One line for the console. */
    public static String line(SearchConfig config, EpSearch.Outcome o) {
        return String.format(Locale.ROOT, "%d candidates (%d failed); best %s %s (index %s in results.csv); default configuration %s",
                o.rows().size(), o.failed(), config.score().id(), o.best() == null ? "n/a" : String.format(Locale.ROOT,
                        "%.4g", o.best().score()), o.best() == null ? "-" : o.best().index(),
                o.defaultOutcome() == null ? "failed: " + o.defaultFailure()
                        : String.format(Locale.ROOT, "%.4g", o.defaultOutcome().score(config.score())));
    }
}
