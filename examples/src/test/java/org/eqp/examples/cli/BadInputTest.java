package org.eqp.examples.cli;

import static org.eqp.examples.cli.CliRunner.FIXTURES;
import static org.eqp.examples.cli.CliRunner.eqp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.eqp.examples.cli.CliRunner.Run;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad input the command line meets, one row each: the command, and the text its one line of error must
 * hold (the problem and the fix). Each row must end with exit code 2, exactly one line on stderr and no stack trace;
 * with {@code --debug} the same line comes first, then the stack trace. In the commands, {@code TMP} is a folder of
 * prepared files (see {@link #prepare}) and {@code FIX} the shared test fixtures.
 */
class BadInputTest {
    @TempDir
    static Path tmp;

    /**
     * The files the rows use: broken CSVs, search configs, a corrupt model file, a file where a folder is expected, an
     * empty folder, and a complete one-epoch wine run (13-5-3) in TMP/wine-run.
     */
    @BeforeAll
    static void prepare() throws IOException {
        Files.writeString(tmp.resolve("empty.csv"), "");
        Files.writeString(tmp.resolve("ragged.csv"), "1,2,0\n3,4\n5,6,1\n");
        Files.writeString(tmp.resolve("labels.csv"), "1,2,0\n3,4,1\n5,6,1\n");
        Files.writeString(tmp.resolve("corrupt.zip"), "not a zip");
        Files.writeString(tmp.resolve("a-file"), "");
        Files.createDirectories(tmp.resolve("empty-dir"));
        Files.createDirectories(tmp.resolve("interrupted/checkpoint"));
        Files.writeString(tmp.resolve("interrupted/checkpoint/state.json"), "{}");
        Files.writeString(tmp.resolve("unknown-key.yaml"), "dataset: wine\nbudgett: 3\nspace:\n  lr: {uniform: [0.1, 0.2]}\n");
        Files.writeString(tmp.resolve("wrong-type.yaml"), "dataset: wine\nspace:\n  lr: {uniform: [0.1, 0.2]}\n  epochs: abc\n");
        Files.writeString(tmp.resolve("not-yaml.yaml"), "dataset: wine\nspace:\n  lr: [1\n");
        Files.writeString(tmp.resolve("unknown-knob.yaml"), "dataset: wine\nspace:\n  lr: {uniform: [0.1, 0.2]}\n  colour: 3\n");
        Files.writeString(tmp.resolve("empty-space.yaml"), "dataset: wine\nspace: {}\n");
        Run run = eqp(args("train --dataset wine --data-dir FIX --hidden 5 --epochs 1 --out TMP/wine-run"));
        assertEquals(0, run.exitCode(), run.err());
        // TMP/interrupted: the same run's record, not complete, with a checkpoint
        Files.writeString(tmp.resolve("interrupted/run.json"), Files.readString(tmp.resolve("wine-run/run.json"))
                .replace("\"complete\" : true", "\"complete\" : false"));
    }

    @AfterEach
    void projectLoggersBackToTheirConfiguredLevel() {
        System.clearProperty(EqpCli.PROJECT_LOG_LEVEL);
    }

    static Stream<Arguments> badInputs() {
        String wine = "train --dataset wine --data-dir FIX --out TMP/out ";
        return Stream.of(
                row("unknown dataset", "train --dataset mnits --out TMP/out",
                        "unknown dataset 'mnits'; use mnist, fashion-mnist, wine, diabetes, digits or csv:PATH"),
                row("missing CSV", "train --dataset csv:TMP/absent.csv --out TMP/out",
                        "absent.csv does not exist; check the path given with --dataset csv:PATH"),
                row("empty CSV", "train --dataset csv:TMP/empty.csv --out TMP/out",
                        "empty.csv is empty; give a CSV with one example per line (features, then the label)"),
                row("malformed CSV (ragged rows)", "train --dataset csv:TMP/ragged.csv --out TMP/out",
                        "ragged.csv: line 2 has 2 columns, line 1 has 3; every line needs the same columns"),
                row("non-numeric cell", "train --dataset csv:FIX/bad-text.csv --out TMP/out",
                        "bad-text.csv: line 2, column 1 holds 'x', not a number; EP datasets must be numeric (encode "
                                + "categories as numbers first)"),
                row("NaN cell", "train --dataset csv:FIX/bad-nan.csv --out TMP/out",
                        "bad-nan.csv: line 3, column 1 holds NaN; NaN and infinite values are not allowed (clean or "
                                + "impute the data first)"),
                row("label column out of range", "train --dataset csv:TMP/labels.csv --label-column 5 --out TMP/out",
                        "label column 5 does not exist in " + tmp.resolve("labels.csv") + " (3 columns; use 0..2 or -1 "
                                + "for the last)"),
                row("--classes below the CSV's labels", "train --dataset csv:FIX/bad-label.csv --classes 2 --out TMP/out",
                        "row 3 has label 7, outside 0..1 for --classes 2; give --classes 8 or more, or drop --classes to "
                                + "count the labels"),
                row("--classes against a named dataset", wine + "--classes 2",
                        "--classes 2 does not match wine, which has 3 classes; drop --classes (it describes csv:PATH "
                                + "files)"),
                row("--hidden syntax", wine + "--hidden 10,x",
                        "Invalid value for option '--hidden' (N[,N...]): 'x' is not an int; see ./eqp train --help"),
                row("--hidden size 0", wine + "--hidden 0",
                        "--hidden takes one or more layer sizes, each at least 1; got [0]"),
                row("--lr syntax", wine + "--lr 0.1,abc",
                        "Invalid value for option '--lr' (A[,A...]): 'abc' is not a double; see ./eqp train --help"),
                row("--lr count", wine + "--lr 0.1,0.2,0.3",
                        "--lr takes one rate, or one per weight block (2 for 1 hidden layers); got 3"),
                row("zero epochs", wine + "--epochs 0", "--epochs and --batch must be at least 1; got epochs=0"),
                row("negative batch", wine + "--batch -5", "--epochs and --batch must be at least 1; got epochs=25, "
                        + "batch=-5"),
                row("beta zero", wine + "--beta 0", "beta (the nudge strength) must be finite and non-zero"),
                row("p outside [0, 1]", wine + "--topology small-world --p 1.5", "must lie in [0, 1]; got 1.5"),
                row("unknown topology", wine + "--topology ring",
                        "unknown topology 'ring'; use one of layered, small-world, small-world-add, "
                                + "small-world-intralayer"),
                row("unknown option (a typo)", wine + "--epoch 3",
                        "Unknown options: '--epoch', '3'; did you mean --eps or --epochs? see ./eqp train --help"),
                row("no --out", "train --dataset wine --data-dir FIX",
                        "--out DIR is needed: where the run is written (or --resume DIR to continue an interrupted "
                                + "run)"),
                row("missing model file", "evaluate --model TMP/absent.zip --dataset wine --data-dir FIX",
                        "absent.zip does not exist; train one with ./eqp train --out DIR"),
                row("corrupt model.zip", "evaluate --model TMP/corrupt.zip --dataset wine --data-dir FIX",
                        "corrupt.zip holds no network saved by ./eqp train"),
                row("model that does not fit the dataset",
                        "evaluate --model TMP/wine-run/model.zip --dataset diabetes --data-dir FIX",
                        "the model expects 13 features but diabetes has 10; evaluate it on the dataset it was trained "
                                + "on"),
                row("unwritable --out", "train --dataset wine --data-dir FIX --hidden 5 --epochs 1 --out TMP/a-file/run",
                        "; choose an --out that is a directory you can write to"),
                row("--out holding a run of another configuration",
                        "train --dataset wine --data-dir FIX --hidden 6 --epochs 1 --out TMP/wine-run",
                        "holds a run of another configuration (hidden: [5] there, [6] now); choose another --out, or "
                                + "delete " + tmp.resolve("wine-run") + " to replace that run"),
                row("--out holding an interrupted run of the same configuration",
                        "train --dataset wine --data-dir FIX --hidden 5 --epochs 1 --out TMP/interrupted",
                        "interrupted holds an interrupted run of this configuration with a checkpoint; continue it with "
                                + "./eqp train --resume " + tmp.resolve("interrupted") + ", or delete "
                                + tmp.resolve("interrupted/checkpoint") + " to start over"),
                row("YAML with an unknown key", "search --config TMP/unknown-key.yaml --data-dir FIX --out TMP/s",
                        "unknown-key.yaml: unknown field 'budgett'; allowed: "),
                row("YAML with a wrong type", "search --config TMP/wrong-type.yaml --data-dir FIX --out TMP/s",
                        "wrong-type.yaml: space.epochs: 'abc' is not allowed for epochs; give an integer >= 1"),
                row("not YAML", "search --config TMP/not-yaml.yaml --data-dir FIX --out TMP/s",
                        "not-yaml.yaml: not valid YAML at line 3, column 9 (while parsing a flow sequence); fix its syntax "
                                + "(arbiter-configs/ holds examples)"),
                row("unknown search knob", "search --config TMP/unknown-knob.yaml --data-dir FIX --out TMP/s",
                        "unknown-knob.yaml: space: unknown hyperparameter 'colour'; known: model, lr, beta"),
                row("empty search space", "search --config TMP/empty-space.yaml --data-dir FIX --out TMP/s",
                        "empty-space.yaml: the field 'space' varies no hyperparameter; give at least one range or "
                                + "choice, e.g. lr: {loguniform: [0.01, 0.1]}"),
                row("--resume of a folder without a checkpoint", "train --resume TMP/empty-dir",
                        "empty-dir holds no run to resume (no run.json); start one with ./eqp train ... "
                                + "--checkpoint-every N --out " + tmp.resolve("empty-dir")),
                row("--resume of a finished run", "train --resume TMP/wine-run",
                        "wine-run holds a finished run, nothing to resume; train a new one with another --out"),
                row("--resume with other options", "train --resume TMP/wine-run --epochs 3",
                        "--resume DIR continues the run with the options recorded in DIR/run.json; drop --epochs"),
                row("negative --checkpoint-every", wine + "--checkpoint-every -1",
                        "--checkpoint-every takes a number of batches, at least 1 (0: no checkpoints); got -1"),
                row("--checkpoint-every with several workers", wine + "--checkpoint-every 5 --workers 2",
                        "--checkpoint-every needs training in one process; drop --workers and --spark, or "
                                + "--checkpoint-every"),
                row("reproduce: unknown network", "reproduce fig2 --networks ring --out TMP/out",
                        "--networks takes layered, layered-per-layer, small-world; got 'ring'"),
                row("reproduce: p outside [0, 1]", "reproduce fig4 --p 0,2 --out TMP/out",
                        "the small-world probability p must lie in [0, 1]; got 2.0"),
                row("reproduce: zero iterations", "reproduce table1 --free 0 --out TMP/out",
                        "iteration counts must be at least 1"),
                row("reproduce: unknown table row", "reproduce table1 --datasets mnist-5x100 --out TMP/out",
                        "--datasets takes mnist, fashion-mnist, wine, diabetes, mnist-3x500, wine-8layer, "
                                + "diabetes-8layer; got 'mnist-5x100'"),
                row("reproduce: negative number of replaced connections", "reproduce preprint-fig4 --n 0,-5 --out TMP/out",
                        "--n takes numbers of replaced connections, at least 0, separated by commas (or paper: the "
                                + "seed's 0, 500, ..., 199500); got '-5'"),
                row("data fetch of an unknown name", "data fetch mnits --cache-dir TMP/cache",
                        "eqp data fetch: unknown dataset 'mnits'; fetchable: mnist, fashion-mnist, wine, diabetes, "
                                + "digits"),
                row("missing subcommand", "reproduce",
                        "eqp reproduce: Missing required subcommand; see ./eqp reproduce --help"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputIsOneLineNamingTheProblemAndTheFixWithExitCode2(String kind, String command, String expected) {
        // when the command runs
        Run run = eqp(args(command));
        // then it ends with exit code 2 and one line, which names the problem and the fix, without a stack trace
        assertEquals(2, run.exitCode(), kind + ": " + run.err());
        assertEquals(1, run.errLines().size(), kind + ", one line: " + run.err());
        assertTrue(run.err().contains(expected), kind + ": " + run.err());
        assertFalse(run.err().contains("\tat "), kind + ": " + run.err());
        // and with --debug the same line comes first, then the stack trace
        Run debug = eqp(args(command + " --debug"));
        assertEquals(2, debug.exitCode(), kind + ": " + debug.err());
        assertEquals(run.errLines().get(0), debug.errLines().get(0));
        assertTrue(debug.err().contains("\tat "), kind + " with --debug: " + debug.err());
    }

    private static Arguments row(String kind, String command, String expected) {
        return Arguments.of(kind, command, expected);
    }

    /** The command's words, TMP and FIX replaced by their folders. */
    private static String[] args(String command) {
        List<String> words = new ArrayList<>();
        for (String word : command.split(" ")) {
            words.add(word.replace("TMP", tmp.toString()).replace("FIX", FIXTURES.toString()));
        }
        return words.toArray(String[]::new);
    }
}
