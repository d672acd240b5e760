package org.eqp.examples.deep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eqp.arbiter.ConfigFields;
import org.eqp.arbiter.KnobSearchSpace;
import org.eqp.arbiter.SearchPlan;

/**
 * An Arbiter search over DEEP's knobs for a configuration that meets the paper's claims on the logic tasks, as written
 * in {@code arbiter-configs/deep-logic.yaml} (format in arbiter-configs/README.md): {@code experiment: deep-logic},
 * the tasks, the seeds, the claims, whether to stop a candidate once it cannot meet them, the budget and generator
 * ({@link SearchPlan}) and one line per {@link DeepKnob}. Every error names the file, the field and what is allowed.
 *
 * @param tasks     evaluated in this order (put the hardest first when stopping early)
 * @param seeds     runs per task
 * @param firstSeed run k (0-based) of every task uses firstSeed + k
 * @param claims    what each task must reach, one per task
 * @param stopEarly stop a candidate's runs as soon as one claim cannot be met any more
 * @param seed      seeds the generator
 * @param plan      budget and generator
 * @param space     the knobs
 */
public record DeepSearchConfig(List<LogicTask> tasks, int seeds, long firstSeed, Map<LogicTask, DeepClaim> claims,
                               boolean stopEarly, long seed, SearchPlan plan, KnobSearchSpace<DeepKnob> space) {
    /** The value of the field {@code experiment} that marks a DEEP logic-task search. */
    public static final String EXPERIMENT = "deep-logic";
    private static final Set<String> TOP_LEVEL = Stream.concat(Stream.of("experiment", "tasks", "seeds", "first_seed",
            "claims", "stop_early", "seed", "space"), SearchPlan.FIELDS.stream()).collect(Collectors.toSet());

    /** Whether a parsed config file is a DEEP logic-task search (it has the field {@code experiment}). */
    public static boolean describes(Map<String, Object> root) {
        return root.containsKey("experiment");
    }

    /** Checks a parsed config; {@code name} names it in errors. */
    public static DeepSearchConfig parse(Map<String, Object> root, String name) {
        ConfigFields.requireKnown(root, TOP_LEVEL, "", name);
        if (!EXPERIMENT.equals(ConfigFields.text(root, "experiment", null))) {
            throw new IllegalArgumentException(name + ": field 'experiment' takes " + EXPERIMENT + "; got '"
                    + root.get("experiment") + "'");
        }
        List<LogicTask> tasks = tasks(root.get("tasks"), name);
        int seeds = ConfigFields.integer(root, "seeds", 10, 1, name);
        Map<LogicTask, DeepClaim> claims = claims(ConfigFields.map(root, "claims", name), tasks, seeds, name);
        Object stopEarly = root.getOrDefault("stop_early", true);
        if (!(stopEarly instanceof Boolean)) {
            throw new IllegalArgumentException(name + ": field 'stop_early' takes true or false; got '" + stopEarly + "'");
        }
        KnobSearchSpace<DeepKnob> space = KnobSearchSpace.parse(ConfigFields.map(root, "space", name), DeepKnob.all(),
                name);
        if (space.varying().isEmpty()) {
            throw new IllegalArgumentException(name + ": the field 'space' varies no hyperparameter; give at least one "
                    + "range or choice, e.g. lambda: {loguniform: [0.005, 0.05]}");
        }
        return new DeepSearchConfig(tasks, seeds, (long) ConfigFields.number(root, "first_seed", 1, 0, name), claims,
                (boolean) stopEarly, (long) ConfigFields.number(root, "seed", 1, Long.MIN_VALUE, name),
                SearchPlan.parse(root, name), space);
    }

    private static List<LogicTask> tasks(Object value, String name) {
        if (value == null) {
            return List.of(LogicTask.values());
        }
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException(name + ": field 'tasks' takes a list such as [xor, and, or]");
        }
        List<LogicTask> tasks = new ArrayList<>();
        for (Object t : list) {
            LogicTask task;
            try {
                task = LogicTask.parse(String.valueOf(t));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": field 'tasks' takes and, or, xor; got '" + t + "'", e);
            }
            if (tasks.contains(task)) {
                throw new IllegalArgumentException(name + ": field 'tasks' names " + task.id() + " twice");
            }
            tasks.add(task);
        }
        return List.copyOf(tasks);
    }

    /** Each task's claim: the config's, else the paper's ({@link DeepClaim#paper}). */
    private static Map<LogicTask, DeepClaim> claims(Map<String, Object> given, List<LogicTask> tasks, int seeds,
                                                    String name) {
        Map<LogicTask, DeepClaim> claims = new LinkedHashMap<>();
        for (String key : given.keySet()) {
            String where = name + ": claims." + key;
            LogicTask task;
            try {
                task = LogicTask.parse(key);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": not a task; give and, or or xor", e);
            }
            if (!tasks.contains(task)) {
                throw new IllegalArgumentException(where + ": the search does not run " + key + "; add it to 'tasks'");
            }
            Map<String, Object> claim = ConfigFields.map(given, key, name + ": claims");
            ConfigFields.requireKnown(claim, Set.of("learnt", "median_sparsity"), "claims." + key + ".", name);
            DeepClaim paper = DeepClaim.paper().get(task);
            int learnt = ConfigFields.integer(claim, "learnt", paper.learnt(), 0, where);
            double sparsity = ConfigFields.number(claim, "median_sparsity", paper.medianSparsity(), 0, where);
            if (learnt > seeds || sparsity > 1) {
                throw new IllegalArgumentException(where + ": learnt must be at most seeds (" + seeds + ") and "
                        + "median_sparsity at most 1; got " + learnt + " and " + sparsity);
            }
            claims.put(task, new DeepClaim(learnt, sparsity));
        }
        for (LogicTask task : tasks) {
            DeepClaim paper = DeepClaim.paper().get(task);
            if (!claims.containsKey(task) && paper.learnt() > seeds) {
                throw new IllegalArgumentException(name + ": the paper's claim for " + task.id() + " needs "
                        + paper.learnt() + " learnt runs but 'seeds' is " + seeds + "; raise seeds or give "
                        + "claims." + task.id() + ".learnt");
            }
            claims.putIfAbsent(task, paper);
        }
        return Map.copyOf(claims);
    }
}
