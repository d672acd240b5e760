package org.eqp.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.eqp.arbiter.EpSearch;
import org.eqp.arbiter.SearchConfig;
import org.eqp.examples.search.SearchOutputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./eqp search}: an Arbiter hyperparameter search over EP's knobs, from a config file. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Arbiter hyperparameter search over EP (or the backprop baseline) from arbiter-configs/NAME.yaml: "
                + "DIR/results.csv, summary.json, best-command.txt, best.yaml, scores.png. Re-running with the same "
                + "--out skips finished candidates.")
final class SearchCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Search config (YAML)")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Directory holding the dataset files")
    Path dataDir;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory")
    Path out;

    @Override
    public Integer call() throws Exception {
        SearchConfig search = SearchConfig.read(config);
        Files.createDirectories(out);
        Files.copy(config, out.resolve("config.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        EpSearch.Outcome outcome = EpSearch.prepare(search, EpSearch.Data.in(dataDir), out).run(System.out);
        SearchOutputs.write(search, outcome, out);
        System.out.println(SearchOutputs.line(search, outcome));
        System.out.println("wrote " + out.resolve("results.csv") + ", summary.json, best-command.txt, best.yaml, "
                + "scores.png");
        if (Files.exists(out.resolve("best-command.txt"))) {
            System.out.print("best: " + Files.readString(out.resolve("best-command.txt")));
        }
        return 0;
    }
}
