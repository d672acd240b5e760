package org.eqp.data;

import java.nio.file.Path;

/** Where fetched datasets live: an explicit directory, else {@code $EQP_DATA_DIR}, else {@code ~/.eqp-dl4j/data}. */
public final class DatasetCache {
    private DatasetCache() {
    }

    public static Path resolve(Path explicit) {
        if (explicit != null) {
            return explicit;
        }
        String env = System.getenv("EQP_DATA_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".eqp-dl4j", "data");
    }
}
