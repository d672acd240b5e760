package org.eqp.data;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * Which dataset to load and how: see {@link Builder}. Immutable and serializable (a Spark job ships it to the workers,
 * which read their own copy of the data: {@code org.eqp.spark.SparkData.readOnWorkers}); directories are kept as
 * strings for that.
 */
public final class DatasetRequest implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String spec;
    private final String dataDir;
    private final String cacheDir;
    private final int labelColumn;
    private final Integer classes;
    private final boolean regression;
    private final double testFraction;
    private final long seed;
    private final int trainLimit;
    private final int testLimit;

    private DatasetRequest(Builder b) {
        if (b.spec == null || b.spec.isBlank()) {
            throw new IllegalArgumentException("a dataset is needed: mnist | fashion-mnist | wine | diabetes | digits | csv:PATH");
        }
        if (!(b.testFraction > 0 && b.testFraction < 1)) {
            throw new IllegalArgumentException("the test fraction must lie strictly between 0 and 1; got " + b.testFraction);
        }
        if (b.classes != null && b.classes < 2) {
            throw new IllegalArgumentException("classes must be at least 2; got " + b.classes);
        }
        if (b.trainLimit == 0 || b.testLimit == 0) {
            throw new IllegalArgumentException("example limits must be positive; got train " + b.trainLimit + ", test "
                    + b.testLimit);
        }
        this.spec = b.spec;
        this.dataDir = b.dataDir == null ? null : b.dataDir.toString();
        this.cacheDir = b.cacheDir == null ? null : b.cacheDir.toString();
        this.labelColumn = b.labelColumn;
        this.classes = b.classes;
        this.regression = b.regression;
        this.testFraction = b.testFraction;
        this.seed = b.seed;
        this.trainLimit = b.trainLimit;
        this.testLimit = b.testLimit;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** "mnist" | "fashion-mnist" | "wine" | "diabetes" | "digits" | "csv:PATH". */
    public String spec() {
        return spec;
    }

    /** A user-given directory searched first, or null. */
    public Path dataDir() {
        return dataDir == null ? null : Path.of(dataDir);
    }

    /** The cache directory: the explicit one, else $EQP_DATA_DIR, else ~/.eqp-dl4j/data. */
    public Path cacheDir() {
        return DatasetCache.resolve(cacheDir == null ? null : Path.of(cacheDir));
    }

    /** CSV label column, 0-based; negative counts from the end (-1 = last). */
    public int labelColumn() {
        return labelColumn;
    }

    /** CSV: number of classes, or null to infer (max label + 1) unless {@link #regression()}. */
    public Integer classes() {
        return classes;
    }

    public boolean regression() {
        return regression;
    }

    public double testFraction() {
        return testFraction;
    }

    public long seed() {
        return seed;
    }

    /** Keep only the first K training examples; negative = all. */
    public int trainLimit() {
        return trainLimit;
    }

    /** Keep only the first K test examples; negative = all. */
    public int testLimit() {
        return testLimit;
    }

    public static final class Builder {
        private String spec;
        private Path dataDir;
        private Path cacheDir;
        private int labelColumn = -1;
        private Integer classes;
        private boolean regression;
        private double testFraction = 0.2;
        private long seed = 1;
        private int trainLimit = -1;
        private int testLimit = -1;

        public Builder spec(String spec) {
            this.spec = spec;
            return this;
        }

        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        public Builder cacheDir(Path dir) {
            this.cacheDir = dir;
            return this;
        }

        public Builder labelColumn(int column) {
            this.labelColumn = column;
            return this;
        }

        public Builder classes(int classes) {
            this.classes = classes;
            return this;
        }

        public Builder regression() {
            this.regression = true;
            return this;
        }

        public Builder testFraction(double fraction) {
            this.testFraction = fraction;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder trainLimit(int k) {
            this.trainLimit = k;
            return this;
        }

        public Builder testLimit(int k) {
            this.testLimit = k;
            return this;
        }

        public DatasetRequest build() {
            return new DatasetRequest(this);
        }
    }
}
