package org.eqp.arbiter;

import java.util.Locale;

/** What a search minimizes for each candidate. */
public enum SearchScore {
    /** Classification error (or MSE for regression) on the validation split carved from the training data. */
    VALIDATION_ERROR,
    /** The log-spread of the EP corrections over training (Gammell et al. 2021): how evenly the layers train. */
    LOG_SPREAD,
    /** Seconds of training. */
    TRAINING_TIME;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static SearchScore parse(String id, String name) {
        for (SearchScore s : values()) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException(name + ": field 'score' takes validation_error, log_spread or "
                + "training_time; got '" + id + "'");
    }
}
