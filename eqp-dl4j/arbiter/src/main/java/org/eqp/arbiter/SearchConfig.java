package org.eqp.arbiter;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
 * @param plan               budget and generator
 * @param score              what is minimized
 * @param space              the knobs
 */
public record SearchConfig(String dataset, int trainExamples, double validationFraction, long seed, SearchPlan plan,
                           SearchScore score, EpSearchSpace space) {

    private static final Set<String> TOP_LEVEL = Stream.concat(Stream.of("dataset", "train_examples",
            "validation_fraction", "seed", "score", "space"), SearchPlan.FIELDS.stream()).collect(Collectors.toSet());

    /** Reads and checks a config file. */
    public static SearchConfig read(Path file) {
        return parse(ConfigFields.readYaml(file), file.toString());
    }

    /** Checks a parsed config; {@code name} names it in errors. */
    public static SearchConfig parse(Map<String, Object> root, String name) {
        ConfigFields.requireKnown(root, TOP_LEVEL, "", name);
        String dataset = ConfigFields.text(root, "dataset", null);
        if (dataset == null || dataset.isBlank()) {
            throw new IllegalArgumentException(name + ": field 'dataset' is required (mnist, fashion-mnist, wine, "
                    + "diabetes, digits or csv:PATH)");
        }
        SearchPlan plan = SearchPlan.parse(root, name);
        double validation = ConfigFields.number(root, "validation_fraction", 0.2, 0, name);
        if (!(validation > 0 && validation < 1)) {
            throw new IllegalArgumentException(name + ": field 'validation_fraction' must lie in (0, 1); got " + validation);
        }
        SearchScore score = SearchScore.parse(ConfigFields.text(root, "score", "validation_error"), name);
        EpSearchSpace space = EpSearchSpace.parse(ConfigFields.map(root, "space", name), name);
        if (space.varying().isEmpty()) {
            throw new IllegalArgumentException(name + ": the field 'space' varies no hyperparameter; give at least one "
                    + "range or choice, e.g. lr: {loguniform: [0.01, 0.1]}");
        }
        if (score == SearchScore.LOG_SPREAD && !space.varying().contains(Knob.MODEL)
                && "backprop".equals(space.defaults().get(Knob.MODEL.id()))) {
            throw new IllegalArgumentException(name + ": score log_spread measures EP's corrections, and every candidate "
                    + "is model: backprop; use model: ep or score: validation_error");
        }
        return new SearchConfig(dataset, ConfigFields.integer(root, "train_examples", 0, 0, name), validation,
                (long) ConfigFields.number(root, "seed", 1, Long.MIN_VALUE, name), plan, score, space);
    }
}
