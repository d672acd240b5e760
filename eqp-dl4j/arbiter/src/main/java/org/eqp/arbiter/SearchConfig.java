package org.eqp.arbiter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.dataformat.yaml.YAMLFactory;

/**
 * A hyperparameter search as written in {@code arbiter-configs/NAME.yaml} (format in arbiter-configs/README.md):
 * dataset, budget, generator, score, and one line per knob ({@code lr: {loguniform: [1e-3, 1e-1]}},
 * {@code topology: {choice: [layered, small-world]}}, {@code epochs: 5}). Every error names the file, the field and
 * what is allowed.
 *
 * @param dataset            dataset spec as for {@code ./eqp train --dataset}
 * @param trainExamples      use only the first K training examples (0 = all)
 * @param validationFraction share of the training data held out for scoring (never the test set), in (0, 1)
 * @param seed               seeds the generator, the split and every candidate's training
 * @param maxCandidates      stop after this many candidates
 * @param maxMinutes         stop starting candidates after this long (0 = no limit)
 * @param concurrency        candidates trained at once (default 1 on this 2-core machine)
 * @param generator          random or grid
 * @param gridPoints         points per varying knob for a grid search
 * @param score              what is minimized
 * @param space              the knobs
 */
public record SearchConfig(String dataset, int trainExamples, double validationFraction, long seed, int maxCandidates,
                           double maxMinutes, int concurrency, String generator, int gridPoints, SearchScore score,
                           EpSearchSpace space) {

    private static final Set<String> TOP_LEVEL = Set.of("dataset", "train_examples", "validation_fraction", "seed",
            "budget", "generator", "grid_points", "score", "space");
    private static final Set<String> BUDGET = Set.of("max_candidates", "max_minutes", "concurrency");

    /** Reads and checks a config file. */
    public static SearchConfig read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("search config " + file + " does not exist; see arbiter-configs/ for "
                    + "examples");
        }
        Map<String, Object> root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Map.class);
        } catch (IOException e) {
            String where = e instanceof JsonProcessingException j && j.getLocation() != null
                    ? " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() : "";
            throw new IllegalArgumentException(file + ": not valid YAML" + where + " (" + e.getMessage().lines()
                    .findFirst().orElse("") + "); fix its syntax (arbiter-configs/ holds examples)", e);
        }
        return parse(root == null ? Map.of() : root, file.toString());
    }

    /** Checks a parsed config; {@code name} names it in errors. */
    @SuppressWarnings("unchecked")
    public static SearchConfig parse(Map<String, Object> root, String name) {
        for (String key : root.keySet()) {
            if (!TOP_LEVEL.contains(key)) {
                throw new IllegalArgumentException(name + ": unknown field '" + key + "'; allowed: " + TOP_LEVEL);
            }
        }
        String dataset = text(root, "dataset", null, name);
        if (dataset == null || dataset.isBlank()) {
            throw new IllegalArgumentException(name + ": field 'dataset' is required (mnist, fashion-mnist, wine, "
                    + "diabetes, digits or csv:PATH)");
        }
        Map<String, Object> budget = root.get("budget") == null ? Map.of() : map(root.get("budget"), "budget", name);
        for (String key : budget.keySet()) {
            if (!BUDGET.contains(key)) {
                throw new IllegalArgumentException(name + ": unknown field 'budget." + key + "'; allowed: " + BUDGET);
            }
        }
        int maxCandidates = integer(budget, "max_candidates", 10, 1, name + ": budget");
        double maxMinutes = number(budget, "max_minutes", 0, 0, name + ": budget");
        int concurrency = integer(budget, "concurrency", 1, 1, name + ": budget");
        String generator = text(root, "generator", "random", name);
        if (!List.of("random", "grid").contains(generator)) {
            throw new IllegalArgumentException(name + ": field 'generator' takes random or grid; got '" + generator + "'");
        }
        int gridPoints = integer(root, "grid_points", 3, 1, name);
        double validation = number(root, "validation_fraction", 0.2, 0, name);
        if (!(validation > 0 && validation < 1)) {
            throw new IllegalArgumentException(name + ": field 'validation_fraction' must lie in (0, 1); got " + validation);
        }
        SearchScore score = SearchScore.parse(text(root, "score", "validation_error", name), name);
        Map<String, Object> spaceMap = root.get("space") == null ? Map.of() : map(root.get("space"), "space", name);
        Map<Knob, ParameterSpace<?>> spaces = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : spaceMap.entrySet()) {
            String where = name + ": space." + e.getKey();
            Knob knob = Knob.of(e.getKey(), name + ": space");
            spaces.put(knob, knobSpace(knob, e.getValue(), where));
        }
        EpSearchSpace space = new EpSearchSpace(spaces);
        if (space.varying().isEmpty()) {
            throw new IllegalArgumentException(name + ": the field 'space' varies no hyperparameter; give at least one "
                    + "range or choice, e.g. lr: {loguniform: [0.01, 0.1]}");
        }
        if (score == SearchScore.LOG_SPREAD && !space.varying().contains(Knob.MODEL)
                && "backprop".equals(space.defaults().get(Knob.MODEL.id()))) {
            throw new IllegalArgumentException(name + ": score log_spread measures EP's corrections, and every candidate "
                    + "is model: backprop; use model: ep or score: validation_error");
        }
        return new SearchConfig(dataset, integer(root, "train_examples", 0, 0, name), validation,
                (long) number(root, "seed", 1, Long.MIN_VALUE, name), maxCandidates, maxMinutes, concurrency, generator,
                gridPoints, score, space);
    }

    /** A fixed value, or {uniform | loguniform | int: [lo, hi]}, or {choice: [...]}. */
    @SuppressWarnings("unchecked")
    private static ParameterSpace<?> knobSpace(Knob knob, Object spec, String where) {
        if (!(spec instanceof Map<?, ?> m)) {
            return new FixedValue<>(knob.check(spec, where));
        }
        if (m.size() != 1) {
            throw new IllegalArgumentException(where + ": give one of {uniform: [lo, hi]}, {loguniform: [lo, hi]}, "
                    + "{int: [lo, hi]}, {choice: [a, b, ...]} or a fixed value");
        }
        Map.Entry<String, Object> e = ((Map<String, Object>) m).entrySet().iterator().next();
        if (!(e.getValue() instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException(where + ": " + e.getKey() + " takes a list, e.g. [0.1, 1.0]");
        }
        if (e.getKey().equals("choice")) {
            return KnobSpace.choice(list.stream().map(v -> knob.check(v, where)).toList());
        }
        KnobSpace.Shape shape = switch (e.getKey()) {
            case "uniform" -> KnobSpace.Shape.UNIFORM;
            case "loguniform" -> KnobSpace.Shape.LOG_UNIFORM;
            case "int" -> KnobSpace.Shape.INTEGER;
            default -> throw new IllegalArgumentException(where + ": unknown distribution '" + e.getKey()
                    + "'; allowed: uniform, loguniform, int, choice");
        };
        if (list.size() != 2) {
            throw new IllegalArgumentException(where + ": " + e.getKey() + " takes [lo, hi]; got " + list);
        }
        if (shape != KnobSpace.Shape.INTEGER && !knob.continuous()) {
            throw new IllegalArgumentException(where + ": " + knob.id() + " takes whole or discrete values; use "
                    + "{int: [lo, hi]} or {choice: [...]}");
        }
        Object lo = knob.check(list.get(0), where);
        Object hi = knob.check(list.get(1), where);
        try {
            return KnobSpace.range(shape, ((Number) lo).doubleValue(), ((Number) hi).doubleValue());
        } catch (IllegalArgumentException | ClassCastException ex) {
            throw new IllegalArgumentException(where + ": " + (ex.getMessage() == null ? "not a range" : ex.getMessage()));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String field, String name) {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException(name + ": field '" + field + "' must be a mapping (key: value lines)");
    }

    private static String text(Map<String, Object> m, String key, String fallback, String name) {
        Object v = m.get(key);
        return v == null ? fallback : String.valueOf(v).trim();
    }

    private static double number(Map<String, Object> m, String key, double fallback, double min, String name) {
        Object v = m.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue()) || n.doubleValue() < min) {
            throw new IllegalArgumentException(name + ": field '" + key + "' must be a number"
                    + (min > Long.MIN_VALUE ? " >= " + min : "") + "; got '" + v + "'");
        }
        return n.doubleValue();
    }

    private static int integer(Map<String, Object> m, String key, int fallback, int min, String name) {
        double v = number(m, key, fallback, min, name);
        if (v != Math.rint(v) || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": field '" + key + "' must be a whole number; got " + v);
        }
        return (int) v;
    }
}
