package org.eqp.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.Callable;
import org.eqp.arbiter.ConfigFields;
import org.eqp.arbiter.EpSearch;
import org.eqp.arbiter.SearchConfig;
import org.eqp.examples.deep.DeepSearch;
import org.eqp.examples.deep.DeepSearchConfig;
import org.eqp.examples.deep.DeepSearchReport;
import org.eqp.examples.search.SearchOutputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./eqp search}: an Arbiter hyperparameter search over EP's knobs, from a config file. The config, the data
 * (fetched when missing) and the results already in {@code --out} are checked before any candidate starts; a failed
 * candidate is one line of the log and a row of {@code results.csv}. A config with {@code experiment: deep-logic} is
 * instead a search over DEEP's knobs on the logic tasks for the paper's claims ({@link DeepSearchConfig}).
 */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Arbiter hyperparameter search over EP (or the backprop baseline) from arbiter-configs/NAME.yaml: "
                + "DIR/results.csv, summary.json, best-command.txt, best.yaml, scores.png. Re-running with the same "
                + "--out skips finished candidates. A config with 'experiment: deep-logic' searches DEEP's knobs on "
                + "the logic tasks for the paper's claims (DIR/report.md, results.csv, runs.csv).")
final class SearchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Search config (YAML)")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Directory holding the dataset files")
    Path dataDir;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Dataset cache (default: $EQP_DATA_DIR or ~/.eqp-dl4j/data)")
    Path cacheDir;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory")
    Path out;

    @Override
    public Integer call() throws Exception {
        EqpCli cli = EqpCli.of(spec);
        Map<String, Object> yaml = UserInputException.check(() -> ConfigFields.readYaml(config));
        if (DeepSearchConfig.describes(yaml)) {
            return deep(yaml);
        }
        SearchConfig search = UserInputException.check(() -> SearchConfig.parse(yaml, config.toString()));
        EpSearch prepared = UserInputException.check(() -> EpSearch.prepare(search,
                new EpSearch.Data(dataDir, cacheDir, request -> cli.load(() -> request)), out));
        Files.copy(config, out.resolve("config.yaml"), StandardCopyOption.REPLACE_EXISTING);
        EpSearch.Outcome outcome = prepared.run(System.out);
        SearchOutputs.write(search, outcome, out);
        System.out.println(SearchOutputs.line(search, outcome));
        if (outcome.failed() > 0 && !cli.debug()) {
            System.out.println("the failed candidates' reasons are in results.csv; --debug logs their stack traces");
        }
        System.out.println("wrote " + out.resolve("results.csv") + ", summary.json, best-command.txt, best.yaml, "
                + "scores.png");
        if (Files.exists(out.resolve("best-command.txt"))) {
            System.out.print("best: " + Files.readString(out.resolve("best-command.txt")));
        }
        return 0;
    }

    /** A DEEP logic-task search ({@code experiment: deep-logic}): no dataset, its own results and report. */
    private int deep(Map<String, Object> yaml) throws Exception {
        if (dataDir != null || cacheDir != null) {
            throw new UserInputException("a " + DeepSearchConfig.EXPERIMENT + " search reads no dataset; drop "
                    + "--data-dir and --cache-dir");
        }
        DeepSearchConfig search = UserInputException.check(() -> DeepSearchConfig.parse(yaml, config.toString()));
        DeepSearch prepared = UserInputException.check(() -> DeepSearch.prepare(search, out));
        Files.copy(config, out.resolve("config.yaml"), StandardCopyOption.REPLACE_EXISTING);
        DeepSearch.Outcome outcome = prepared.run(System.out);
        DeepSearchReport.write(search, config, outcome, out);
        System.out.println(Files.readString(out.resolve("report.md")));
        System.out.println("wrote " + out.resolve("report.md") + ", results.csv, runs.csv, runs.log, summary.json, "
                + "best-command.txt");
        return 0;
    }
}
