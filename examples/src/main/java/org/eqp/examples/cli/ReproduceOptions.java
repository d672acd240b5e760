package org.eqp.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eqp.data.DatasetRequest;
import org.eqp.data.LoadedDataset;
import org.eqp.examples.run.EpVersusBackprop;
import org.eqp.examples.reproduce.SeedReference;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options every {@code ./eqp reproduce} experiment shares: data, length, seed, reference numbers, output. */
final class ReproduceOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--train-examples", defaultValue = "3000",
            description = "Training examples (default: ${DEFAULT-VALUE}; --full: all 60000)")
    int trainExamples;

    @Option(names = "--test-examples", defaultValue = "2000",
            description = "Test examples (default: ${DEFAULT-VALUE}; --full: all 10000)")
    int testExamples;

    @Option(names = "--full", description = "The paper's length: all examples and the paper's epochs (see each "
            + "experiment; --epochs still overrides)")
    boolean full;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Directory holding the MNIST IDX files")
    Path dataDir;

    @Option(names = "--reference", paramLabel = "DIR",
            description = "A folder with the seed's reference CSVs (default: the copy bundled with eqp, a subset of "
                    + "../shared/reference)")
    Path reference;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory. Run again with "
            + "the same options, a reproduction keeps the runs complete there and continues an interrupted one from "
            + "its checkpoint")
    Path out;

    @Option(names = "--particles", description = "Persistent particles, as the seed code: each training example's free "
            + "phase starts from its last free equilibrium (default: from zero states)")
    boolean particles;

    @Option(names = "--train-eval-examples", defaultValue = "10000", paramLabel = "K", description = "End-of-epoch "
            + "training error on the first K training examples; 0 = all (default: ${DEFAULT-VALUE}: all 60,000 would "
            + "cost about as much as the epoch)")
    int trainEvalExamples;

    @Option(names = "--checkpoint-every", defaultValue = "100", paramLabel = "N",
            description = "Checkpoint each run every N batches, in its folder (0: none; default: ${DEFAULT-VALUE})")
    int checkpointEvery;

    /**
     * The epochs to run: the user's {@code --epochs} if given (it must be at least 1), else {@code paper} with
     * {@code --full}, else {@code shortened}.
     */
    int epochs(Integer given, int shortened, int paper) {
        if (given != null && given < 1) {
            throw new UserInputException("--epochs must be at least 1; got " + given);
        }
        return given != null ? given : full ? paper : shortened;
    }

    /** MNIST, cut to the requested length unless {@code --full}; creates the output directory. */
    LoadedDataset mnist() throws IOException {
        return dataset("mnist", true);
    }

    /**
     * A dataset (fetched when missing), cut to the requested length unless {@code --full} or {@code cut} is false
     * (small CSV datasets are always used whole); creates the output directory.
     */
    LoadedDataset dataset(String spec, boolean cut) throws IOException {
        return dataset(spec, cut, -1);
    }

    /**
     * A dataset as {@link #dataset(String, boolean)}, but with {@code --full} only the first {@code fullTrainExamples}
     * training examples (-1: all), for a paper that trained on part of the set.
     */
    LoadedDataset dataset(String spec, boolean cut, int fullTrainExamples) throws IOException {
        DatasetRequest.Builder request = DatasetRequest.builder().spec(spec).seed(seed);
        if (dataDir != null) {
            request.dataDir(dataDir);
        }
        if (cut && !full) {
            request.trainLimit(trainExamples).testLimit(testExamples);
        } else if (cut && fullTrainExamples > 0) {
            request.trainLimit(fullTrainExamples);
        }
        LoadedDataset data = EqpCli.of(command).load(request::build);
        Files.createDirectories(out);
        return data;
    }

    /** The examples the end-of-epoch training error is measured on (0: all). */
    int trainEvalExamples() {
        if (trainEvalExamples < 0) {
            throw new UserInputException("--train-eval-examples takes a number of examples, at least 0 (0: all); got "
                    + trainEvalExamples);
        }
        return trainEvalExamples;
    }

    /** Batches between two checkpoints of each run (0: none). */
    int checkpointEvery() throws Exception {
        return UserInputException.check(() -> EpVersusBackprop.Options.requireCheckpointInterval(checkpointEvery));
    }

    /** Prints the experiment's {@code DIR/report.md}; returns the command's exit code, 0. */
    int printReport() throws IOException {
        System.out.println(Files.readString(out.resolve("report.md")));
        return 0;
    }

    /** Where the seed's reference numbers come from: {@code --reference}, else the bundled copy. */
    SeedReference seedReference() {
        return reference != null ? SeedReference.in(reference) : SeedReference.bundled();
    }
}
