package org.eqp.examples.reproduce;

import java.util.Locale;
import java.util.Map;

/** The relaxation schedule a run used, read back from its {@code summary.json} config, for a report's text. */
record RunSchedule(double eps, double beta, int free, int nudged, boolean alternating, boolean particles) {

    /** From the {@code config} map of a run's {@code summary.json}. */
    static RunSchedule of(Map<?, ?> config) {
        return new RunSchedule(number(config, "eps"), number(config, "beta"), (int) number(config, "free_iterations"),
                (int) number(config, "nudged_iterations"), Boolean.TRUE.equals(config.get("alternating_updates")),
                Boolean.TRUE.equals(config.get("persistent_particles")));
    }

    private static double number(Map<?, ?> config, String key) {
        Object v = config.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("summary.json's config has no number '" + key + "'; was the run written "
                    + "by this version of eqp?");
        }
        return n.doubleValue();
    }

    /** E.g. "synchronous steps at eps 0.5, beta 1, 500 / 8 iterations, free phases from zero". */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s steps at eps %s, beta %s, %d / %d iterations, %s",
                alternating ? "alternating" : "synchronous", compact(eps), compact(beta), free, nudged,
                particles ? "persistent particles" : "free phases from zero");
    }

    private static String compact(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
