package org.eqp.examples.cli;

import java.nio.file.Path;
import org.eqp.data.DatasetRequest;
import org.eqp.data.LoadedDataset;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options that choose and shape a dataset, shared by train, evaluate and deep-data. */
final class DatasetOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    // not required by picocli: train --resume takes it from the run; a request without it names the fix
    @Option(names = "--dataset", paramLabel = "D",
            description = "mnist | fashion-mnist | wine | diabetes | digits | csv:PATH")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory holding the dataset's files (searched before the cache)")
    Path dataDir;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Dataset cache (default: $EQP_DATA_DIR or ~/.eqp-dl4j/data)")
    Path cacheDir;

    @Option(names = "--label-column", defaultValue = "-1", paramLabel = "K",
            description = "csv: 0-based label column, negative counts from the end (default: last)")
    int labelColumn;

    @Option(names = "--classes", paramLabel = "C", description = "csv: number of classes (labels 0..C-1)")
    Integer classes;

    @Option(names = "--regression", description = "csv: the label column is a real-valued target")
    boolean regression;

    @Option(names = "--test-fraction", defaultValue = "0.2", paramLabel = "F",
            description = "csv/wine/diabetes/digits: fraction held out for testing (default: ${DEFAULT-VALUE})")
    double testFraction;

    @Option(names = "--train-examples", paramLabel = "K", description = "Use only the first K training examples")
    Integer trainExamples;

    @Option(names = "--test-examples", paramLabel = "K", description = "Use only the first K test examples")
    Integer testExamples;

    /**
     * The dataset, fetched into the cache first when missing ({@link EqpCli#load}); {@code seed} drives the
     * train/test split of CSV datasets.
     */
    LoadedDataset load(long seed) {
        return EqpCli.of(command).load(() -> request(seed));
    }

    /** The request these options describe (the split seeded by {@code seed}). */
    DatasetRequest request(long seed) {
        DatasetRequest.Builder b = DatasetRequest.builder().spec(dataset).labelColumn(labelColumn)
                .testFraction(testFraction).seed(seed);
        if (dataDir != null) {
            b.dataDir(dataDir);
        }
        if (cacheDir != null) {
            b.cacheDir(cacheDir);
        }
        if (classes != null && regression) {
            throw new IllegalArgumentException("--classes and --regression exclude each other");
        }
        if (classes != null) {
            b.classes(classes);
        }
        if (regression) {
            b.regression();
        }
        if (trainExamples != null) {
            b.trainLimit(trainExamples);
        }
        if (testExamples != null) {
            b.testLimit(testExamples);
        }
        return b.build();
    }
}
