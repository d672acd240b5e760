package org.eqp.arbiter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxTimeCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.TerminationCondition;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;

/**
 * How a search walks its space and when it stops, as a config's {@code budget}, {@code generator} and
 * {@code grid_points} give it; shared by every kind of search.
 *
 * @param maxCandidates stop after this many candidates
 * @param maxMinutes    stop starting candidates after this long (0 = no limit)
 * @param concurrency   candidates trained at once (default 1 on this 2-core machine)
 * @param generator     random or grid
 * @param gridPoints    points per varying knob for a grid search
 */
public record SearchPlan(int maxCandidates, double maxMinutes, int concurrency, String generator, int gridPoints) {
    /** The top-level fields a plan reads. */
    public static final Set<String> FIELDS = Set.of("budget", "generator", "grid_points");
    private static final Set<String> BUDGET = Set.of("max_candidates", "max_minutes", "concurrency");

    /** Reads the plan's fields from a config's top level; {@code name} names the config in errors. */
    public static SearchPlan parse(Map<String, Object> root, String name) {
        Map<String, Object> budget = ConfigFields.map(root, "budget", name);
        ConfigFields.requireKnown(budget, BUDGET, "budget.", name);
        int maxCandidates = ConfigFields.integer(budget, "max_candidates", 10, 1, name + ": budget");
        double maxMinutes = ConfigFields.number(budget, "max_minutes", 0, 0, name + ": budget");
        int concurrency = ConfigFields.integer(budget, "concurrency", 1, 1, name + ": budget");
        String generator = ConfigFields.text(root, "generator", "random");
        if (!List.of("random", "grid").contains(generator)) {
            throw new IllegalArgumentException(name + ": field 'generator' takes random or grid; got '" + generator + "'");
        }
        return new SearchPlan(maxCandidates, maxMinutes, concurrency, generator,
                ConfigFields.integer(root, "grid_points", 3, 1, name));
    }

    /**
     * How many candidates the search will run: max_candidates, or fewer for a smaller grid (grid_points values per
     * varying knob). Arbiter's runner waits for a termination condition even once its grid is exhausted, so the count
     * condition must not exceed the grid.
     */
    public int plannedCandidates(int varyingKnobs) {
        if (!generator.equals("grid")) {
            return maxCandidates;
        }
        return (int) Math.min(maxCandidates, Math.pow(gridPoints, varyingKnobs));
    }

    /** Arbiter's generator over {@code space}: random (seeded) or a sequential grid. */
    public CandidateGenerator generator(ParameterSpace<?> space, long seed) {
        if (generator.equals("grid")) {
            return new GridSearchCandidateGenerator(space, gridPoints, GridSearchCandidateGenerator.Mode.Sequential,
                    null);
        }
        RandomSearchGenerator random = new RandomSearchGenerator(space, null);
        random.setRngSeed(seed);
        return random;
    }

    /** Stop after {@code planned} candidates, and after max_minutes if set. */
    public List<TerminationCondition> terminationConditions(int planned) {
        List<TerminationCondition> stop = new ArrayList<>(List.of(new MaxCandidatesCondition(planned)));
        if (maxMinutes > 0) {
            stop.add(new MaxTimeCondition((long) Math.ceil(maxMinutes * 60), TimeUnit.SECONDS));
        }
        return stop;
    }
}
