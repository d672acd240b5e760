package org.eqp.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.eqp.directed.DirectedSettings;
import org.eqp.examples.deep.DeepRecipe;
import org.eqp.examples.deep.DeepReport;
import org.eqp.examples.deep.DeepRuns;
import org.eqp.examples.deep.LogicTask;
import org.eqp.examples.deep.TaskRuns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./eqp deep}: DEEP (or vector-field EP) on AND / OR / XOR over a complete directed graph, several seeds. */
@Command(name = "deep", mixinStandardHelpOptions = true,
        description = "DEEP (Farinha et al. 2020) on logic tasks over the complete directed graph (2 inputs, bias unit, "
                + "--hidden units, 1 output), with the authors' settings unless overridden: per-run MSE curves, the "
                + "MSE band plot, pruned-graph drawings, DIR/summary.json and DIR/summary.md (per task and rule: runs "
                + "learnt, median sparsity, the best learnt run's sparsity, runs at the paper's sparsity).")
final class DeepCommand implements Callable<Integer> {
    @Option(names = "--task", split = ",", defaultValue = "and,or,xor", description = "and, or, xor (comma-separated; "
            + "default: ${DEFAULT-VALUE})")
    List<String> tasks;

    @Option(names = "--rule", split = ",", defaultValue = "deep", description = "deep, vector-field (comma-separated "
            + "to compare; default: ${DEFAULT-VALUE})")
    List<String> rules;

    @Option(names = "--runs", defaultValue = "10", description = "Independent seeds per task (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--hidden", defaultValue = "5", description = "Hidden units (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--epochs", defaultValue = "200", description = "Updates, one per pass over the 4 patterns "
            + "(default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--no-prune", description = "No l1 term and no pruning (the paper's figure 1 runs)")
    boolean noPrune;

    @Option(names = "--regrow", description = "A pruned weight is set to zero but its edge stays, so the next update "
            + "may make it non-zero again (the authors' notebook); without it pruned edges are removed for good")
    boolean regrow;

    @Option(names = "--dt", description = "Euler step (default: the paper's 0.05)")
    Double dt;

    @Option(names = "--free", description = "Free-phase steps M_0 (default: 1000)")
    Integer free;

    @Option(names = "--nudged", description = "Nudged-phase steps M_beta (default: 1000)")
    Integer nudged;

    @Option(names = "--beta", description = "Nudge strength (default: 10)")
    Double beta;

    @Option(names = "--lr", description = "Learning rate (default: 100 for deep, 1 for vector-field)")
    Double lr;

    @Option(names = "--l1", description = "l1 step after each update, W -= l1 sign(W), not scaled by --lr (default: "
            + "1.5e-4; 0 with --no-prune)")
    Double l1;

    @Option(names = "--lambda", description = "Pruning threshold (default: 0.01; 0 with --no-prune)")
    Double lambda;

    @Option(names = "--temperature", description = "Pruning temperature T (default: 5)")
    Double temperature;

    @Option(names = "--init-sigma", defaultValue = "0.05", description = "Initial weights N(0, sigma^2) (default: "
            + "${DEFAULT-VALUE})")
    double initSigma;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of run 1; run k uses seed + k - 1 (default: "
            + "${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || epochs < 1 || hidden < 0) {
            throw new UserInputException("--runs and --epochs must be at least 1 and --hidden at least 0; got "
                    + runs + ", " + epochs + ", " + hidden);
        }
        if (regrow && noPrune) {
            throw new UserInputException("--regrow lets pruned edges grow back, and --no-prune prunes nothing; drop one "
                    + "of them");
        }
        List<LogicTask> taskList = UserInputException.check(() -> tasks.stream().map(LogicTask::parse).toList());
        List<DeepRecipe> recipes = UserInputException.check(() -> rules.stream().map(this::recipe).toList());
        Files.createDirectories(out);
        List<TaskRuns> entries = new ArrayList<>();
        for (LogicTask task : taskList) {
            for (DeepRecipe recipe : recipes) {
                List<DeepRuns.Run> result = DeepRuns.run(task, recipe, hidden, runs, epochs, initSigma, seed,
                        out.resolve(task.id() + "-" + recipe.ruleName()), System.out);
                entries.add(new TaskRuns(task, recipe, result));
            }
        }
        DeepReport.write(out, entries, hidden, epochs, initSigma, seed);
        System.out.println(Files.readString(out.resolve("summary.md")));
        return 0;
    }

    /** The authors' recipe for the rule, with the knobs given on the command line in place of theirs. */
    DeepRecipe recipe(String rule) {
        DeepRecipe paper = DeepRecipe.paper(DeepRuns.parseRule(rule), !noPrune);
        DirectedSettings p = paper.settings();
        DirectedSettings s = new DirectedSettings(p.rule(), or(dt, p.dt()), free != null ? free : p.freeSteps(),
                nudged != null ? nudged : p.nudgedSteps(), or(beta, p.beta()), or(lambda, p.pruneBelow()),
                or(temperature, p.temperature()), p.initialSpread(), regrow);
        return new DeepRecipe(s, or(lr, paper.learningRate()), or(l1, paper.l1()));
    }

    private static double or(Double given, double fallback) {
        return given != null ? given : fallback;
    }
}
