package org.eqp.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./eqp data fetch NAME}: downloads, verifies and caches a dataset. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Dataset management.",
        subcommands = DataCommand.Fetch.class)
final class DataCommand {

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Download, verify and cache a dataset: mnist | fashion-mnist | wine | diabetes | digits")
    static final class Fetch implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "mnist | fashion-mnist | wine | diabetes | digits")
        String name;

        @Option(names = "--cache-dir", paramLabel = "DIR", description = "Cache (default: $EQP_DATA_DIR or ~/.eqp-dl4j/data)")
        Path cacheDir;

        @Override
        public Integer call() {
            Path dir = EqpCli.of(spec).fetch(name, cacheDir);
            System.out.println(name + " is ready in " + dir);
            return 0;
        }
    }
}
