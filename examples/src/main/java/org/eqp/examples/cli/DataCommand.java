package org.eqp.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.eqp.data.Datasets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./eqp data fetch NAME}: downloads, verifies and caches a dataset. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Dataset management.",
        subcommands = DataCommand.Fetch.class)
final class DataCommand {

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Download, verify and cache a dataset: mnist | fashion-mnist | wine | diabetes | digits")
    static final class Fetch implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "mnist | fashion-mnist | wine | diabetes | digits")
        String name;

        @Option(names = "--cache-dir", paramLabel = "DIR", description = "Cache (default: $EQP_DATA_DIR or ~/.eqp-dl4j/data)")
        Path cacheDir;

        @Override
        public Integer call() {
            Path dir = Datasets.fetch(name, cacheDir, org.eqp.data.DatasetFetcher.PUBLIC);
            System.out.println(name + " is ready in " + dir);
            return 0;
        }
    }
}
