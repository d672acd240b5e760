package org.eqp.examples.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import org.eqp.data.DatasetFetcher;
import org.eqp.data.DatasetRequest;
import org.eqp.data.DatasetUnavailableException;
import org.eqp.data.Datasets;
import org.eqp.data.LoadedDataset;
import org.eqp.examples.run.RunDirectoryException;
import org.eqp.examples.run.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Entry point of {@code ./eqp}: equilibrium propagation on DL4J from the command line. Also what the commands share:
 * how they get datasets ({@link #load}: fetched when missing) and how errors end a command. A user error (a
 * {@link UserInputException}, a flag picocli rejects, an unusable run directory, a file-system error on a path the
 * user gave) prints one line, {@code eqp COMMAND: problem; fix}, and exits with code 2; training that diverges prints
 * one line naming the layer, the batch and the fix and exits with code {@value #DIVERGED}; anything else is a bug and
 * prints its stack trace, exit code 1. {@code --debug} adds the stack trace to the one line.
 */
@Command(name = "eqp", mixinStandardHelpOptions = true, version = "eqp-dl4j 0.1.0",
        description = "Equilibrium propagation for Deeplearning4j: train, evaluate, compare with backprop, benchmark.",
        subcommands = {QuickstartCommand.class, TrainCommand.class, EvaluateCommand.class, DataCommand.class,
                BenchCommand.class, ReproduceCommand.class, DeepCommand.class,
                DeepDataCommand.class, SearchCommand.class})
public final class EqpCli {
    /** The slf4j-simple level of this project's loggers (read when a logger is created). */
    static final String PROJECT_LOG_LEVEL = "org.slf4j.simpleLogger.log.org.eqp";
    /** The exit code of a training run stopped by NaN or Inf. */
    static final int DIVERGED = 3;

    private final DatasetFetcher.Source fetchSource;
    private boolean debug;

    private EqpCli(DatasetFetcher.Source fetchSource) {
        this.fetchSource = fetchSource;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling; missing datasets are fetched from the public sources. */
    public static CommandLine commandLine() {
        return commandLine(DatasetFetcher.PUBLIC);
    }

    /** The command line fetching missing datasets from {@code fetchSource} (tests: the fixtures, no network). */
    static CommandLine commandLine(DatasetFetcher.Source fetchSource) {
        CommandLine cli = new CommandLine(new EqpCli(fetchSource));
        cli.setExecutionExceptionHandler(EqpCli::commandFailed);
        cli.setParameterExceptionHandler(EqpCli::argumentsRejected);
        return cli;
    }

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "On an error, print its stack trace too; a search also logs each failed candidate's")
    void debug(boolean on) {
        debug = on;
        if (on) {
            System.setProperty(PROJECT_LOG_LEVEL, "debug");
        }
    }

    /** The shared state of the command line that {@code command} (any subcommand, or a mixin's mixee) belongs to. */
    static EqpCli of(CommandSpec command) {
        return (EqpCli) command.root().userObject();
    }

    boolean debug() {
        return debug;
    }

    /**
     * Builds a dataset request from the user's flags and loads it, first fetching a named dataset into the cache when
     * it is missing: the one way every command gets its data. A bad request, an unknown or unusable dataset and a
     * failed fetch are the user's errors.
     */
    LoadedDataset load(Supplier<DatasetRequest> request) {
        return dataStep(() -> Datasets.loadFetchingIfMissing(request.get(), fetchSource, System.out));
    }

    /** Fetches a named dataset into {@code cacheDir} (null: the default cache) unless it is there; its folder. */
    Path fetch(String name, Path cacheDir) {
        return dataStep(() -> Datasets.fetch(name, cacheDir, fetchSource));
    }

    private static <T> T dataStep(Supplier<T> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException | DatasetUnavailableException | UncheckedIOException e) {
            throw new UserInputException(e.getMessage(), e);
        }
    }

    private static int commandFailed(Exception e, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        String problem = userProblem(e);
        if (problem == null) {
            e.printStackTrace(err);
            err.println(command.getCommandSpec().qualifiedName() + ": internal error (" + e + "); this is a bug, "
                    + "please report it with the stack trace above");
            err.flush();
            return ExitCode.SOFTWARE;
        }
        err.println(command.getCommandSpec().qualifiedName() + ": " + oneLine(problem));
        if (of(command.getCommandSpec()).debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return e instanceof TrainingDivergedException ? DIVERGED : ExitCode.USAGE;
    }

    /** The problem and its fix if {@code e} is the user's error or a diverged training run, else null. */
    private static String userProblem(Exception e) {
        if (e instanceof UserInputException || e instanceof RunDirectoryException
                || e instanceof TrainingDivergedException) {
            return e.getMessage();
        }
        Throwable io = e instanceof UncheckedIOException ? e.getCause() : e;
        if (io instanceof FileSystemException f) {
            String kind = f.getClass().getSimpleName().replace("Exception", "")
                    .replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
            return "cannot use " + f.getFile() + (f.getOtherFile() == null ? "" : " and " + f.getOtherFile()) + ": "
                    + (f.getReason() != null ? f.getReason() : kind) + "; check the paths given";
        }
        return null;
    }

    private static int argumentsRejected(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        String name = command.getCommandSpec().qualifiedName();
        String fix = "see ./" + name + " --help";
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            fix = "did you mean " + String.join(" or ", unmatched.getSuggestions()) + "? " + fix;
        }
        PrintWriter err = command.getErr();
        err.println(name + ": " + oneLine(e.getMessage()) + "; " + fix);
        if (Arrays.asList(args).contains("--debug")) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCode.USAGE;
    }

    private static String oneLine(String message) {
        return String.valueOf(message).strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
