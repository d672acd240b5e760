package org.eqp.examples.cli;

import org.eqp.data.DatasetUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./eqp}: equilibrium propagation on DL4J from the command line. */
@Command(name = "eqp", mixinStandardHelpOptions = true, version = "eqp-dl4j 0.1.0",
        description = "Equilibrium propagation for Deeplearning4j: train, evaluate, compare with backprop, benchmark.",
        subcommands = {QuickstartCommand.class, TrainCommand.class, EvaluateCommand.class, DataCommand.class,
                BenchCommand.class, ReproduceCommand.class, DeepCommand.class,
                DeepDataCommand.class, SearchCommand.class})
public final class EqpCli {

    private EqpCli() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling: a bad argument or bad input prints one clear line, no stack trace. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new EqpCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
                    || e instanceof java.io.UncheckedIOException || e instanceof java.io.IOException
                    || e instanceof DatasetUnavailableException) {
                commandLine.getErr().println("eqp: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli;
    }
}
