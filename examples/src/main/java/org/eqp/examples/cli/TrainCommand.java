package org.eqp.examples.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.eqp.data.LoadedDataset;
import org.eqp.examples.run.EpRunConfig;
import org.eqp.examples.run.RelaxationSchedule;
import org.eqp.examples.run.EpVersusBackprop;
import org.eqp.examples.run.RunDirectory;
import org.eqp.examples.ui.TrainingUi;
import org.eqp.energy.ConvEnergy;
import org.eqp.energy.DenseEnergy;
import org.eqp.energy.EnergyDefinition;
import org.eqp.learning.EpSettings;
import org.eqp.topology.spec.Layered;
import org.eqp.topology.spec.SymmetricTopologySpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./eqp train}: trains a layered EP network (optionally next to the same-shape backprop MLP) and writes
 * {@code DIR/metrics.csv}, {@code DIR/summary.json}, {@code DIR/model.zip}, {@code DIR/curves.png}; with
 * {@code --checkpoint-every N} also a checkpoint every N batches, from which {@code --resume DIR} continues an
 * interrupted run exactly, with the options recorded in {@code DIR/run.json}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a layered EP network with DL4J and write metrics.csv, summary.json, model.zip, curves.png.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    DatasetOptions data;

    @Option(names = "--hidden", split = ",", defaultValue = "500", paramLabel = "N[,N...]",
            description = "Hidden layer sizes (default: ${DEFAULT-VALUE})")
    int[] hidden;

    // defaults of the EP knobs: EpSettings.DEFAULTS (the layer builder and the search knobs start from it too)
    @Option(names = "--eps", description = "Euler step size (default: ${DEFAULT-VALUE})")
    double eps = EpSettings.DEFAULTS.eps();

    @Option(names = "--beta", description = "Nudge strength (default: 1.0; 0.5 with --loss mcxent, EpSettings.READOUT_BETA)")
    Double beta;

    @Option(names = "--free", description = "Free-phase iterations (default: ${DEFAULT-VALUE})")
    int free = EpSettings.DEFAULTS.freeIterations();

    @Option(names = "--nudged", description = "Nudged-phase iterations (default: ${DEFAULT-VALUE})")
    int nudged = EpSettings.DEFAULTS.nudgedIterations();

    @Option(names = "--lr", split = ",", paramLabel = "A[,A...]",
            description = "SGD rate: one for all blocks or one per adjacent block, biases included; skip and "
                    + "intralayer blocks take the first (default: 0.1,0.05 for one hidden layer as Scellier and Bengio; "
                    + "0.02 for deeper nets as Gammell et al.; EpSettings.defaultLearningRates)")
    double[] lr;

    @Option(names = "--epochs", defaultValue = "25", description = "Epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch", defaultValue = "20", description = "Minibatch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for weights, beta signs, shuffling, splits (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--fixed-sign", description = "Keep beta's sign fixed (default: random sign each batch)")
    boolean fixedSign = !EpSettings.DEFAULTS.randomSignBeta();

    @Option(names = "--particles", description = "Persistent particles: start each training example's free phase from its "
            + "last equilibrium (default: from zero)")
    boolean particles = EpSettings.DEFAULTS.persistentParticles();

    @Option(names = "--tolerance", description = "Stop a phase early once no unit moves more than "
            + "this per step (default: ${DEFAULT-VALUE} = fixed iteration counts)")
    double tolerance = EpSettings.DEFAULTS.tolerance();

    @Option(names = "--symmetric", description = "Symmetric nudging: two nudged phases per batch, at -beta and +beta, "
            + "and the gradient from their difference over 2 beta, which cancels the one-sided estimate's O(beta) bias "
            + "(Laborieux et al. 2021); the random sign is then moot (default: one nudged phase)")
    boolean symmetric = EpSettings.DEFAULTS.symmetricNudging();

    @Option(names = "--schedule", paramLabel = "seed|fast", description = "seed: the seed code's synchronous Euler "
            + "steps with --eps, --beta, --free and --nudged (the default); fast: alternating steps at eps 1, beta 0.5, "
            + "30 free / 6 nudged, the rates halved (beta halved: same clamping of the outputs, same expected update), "
            + "measured on 784-500x3-10 in the README; with fast, leave --eps, --beta, --free, --nudged, --alternating "
            + "out")
    String schedule = "seed";

    @Option(names = "--alternating", description = "Alternating relaxation steps: odd layers, then even layers from "
            + "their new states (Scellier et al. 2023); the same equilibria in fewer steps on deep nets, fewest at "
            + "--eps 1 (default: the seed's synchronous steps)")
    boolean alternating = EpSettings.DEFAULTS.alternatingUpdates();

    @Option(names = "--loss", defaultValue = "l2", paramLabel = "l2|mcxent",
            description = "l2: the papers' squared error on the output units; mcxent: cross-entropy through a softmax "
                    + "readout of the output units kept out of the energy (Laborieux et al. 2021) (default: "
                    + "${DEFAULT-VALUE})")
    String loss;

    @Option(names = "--topology", defaultValue = Layered.KIND, paramLabel = "KIND",
            description = "layered | small-world | small-world-add | small-world-intralayer (the preprint's: hidden "
                    + "layers connected within, then --replacements moves) (default: ${DEFAULT-VALUE})")
    String topology;

    @Option(names = "--p", defaultValue = "0.1", description = "Small-world probability (default: ${DEFAULT-VALUE})")
    double p;

    @Option(names = "--replacements", defaultValue = "0", paramLabel = "N",
            description = "small-world-intralayer: connections moved to layer-skipping pairs (default: ${DEFAULT-VALUE})")
    long replacements;

    @Option(names = "--corrections", description = "Record the RMS EP correction per block and batch: "
            + "DIR/corrections.csv and the log-spread in summary.json (costs one pass over the weights per batch)")
    boolean corrections;

    @Option(names = "--model", defaultValue = "ep", paramLabel = "M",
            description = "ep: the EP network alone; dense-ep: a backprop hard-sigmoid DenseLayer (--dense units) under it, "
                    + "trained from the EP layer's input gradient; cnn-ep: a convolutional front end (28x28 images) "
                    + "under the EP network as a block (--hidden 128 --topology small-world suit it), a softmax head "
                    + "above, Adam at --lr (default 0.001) (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--energy", defaultValue = "fused", paramLabel = "E",
            description = "fused: the hand-fused Hopfield relaxation; dense: the same layered energy written in SameDiff "
                    + "and relaxed by autodiff; conv: a convolutional energy on 28x28 images (Ernoult et al. 2019: "
                    + "conv 5x5 + max-pool 2 couplings, --maps channels, a dense output group), by autodiff. The SameDiff "
                    + "energies take one --lr (default 0.05) and the squared-error loss (default: ${DEFAULT-VALUE})")
    String energy;

    @Option(names = "--maps", split = ",", paramLabel = "C[,C...]",
            description = "--energy conv: channels of each feature-map group, bottom first (default: 32,64)")
    int[] maps = {32, 64};

    @Option(names = "--workers", defaultValue = "1", paramLabel = "N",
            description = "Training threads: more than 1 trains N copies of the network on different minibatches with "
                    + "DL4J's ParallelWrapper (AVERAGING: parameters and updater states averaged), the baseline too; "
                    + "with --spark the Spark workers, 0 = the master's default parallelism (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--averaging", defaultValue = "1", paramLabel = "K",
            description = "With --workers or --spark: minibatches each worker fits between two averagings "
                    + "(default: ${DEFAULT-VALUE})")
    int averaging;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Train through DL4J's Spark parameter averaging on this Spark master (local[2], "
                    + "spark://host:7077, ...); every worker reads the training data from its own copy (the same "
                    + "--data-dir / cache path on each node)")
    String spark;

    @Option(names = "--dense", defaultValue = "100", paramLabel = "N",
            description = "dense-ep: units of the dense layer (default: ${DEFAULT-VALUE})")
    int dense;

    // EP's dL/dx at eps 0.5, beta +-1 is about 1/10 of the true gradient (outputs fully clamped, 4 nudged steps):
    // digits, 30 epochs, seeds 1-5, hard-sigmoid dense layer: rate 1 2.51-3.34 %, rate 0.1 3.90-5.57 %
    @Option(names = "--dense-lr", defaultValue = "1", paramLabel = "A",
            description = "dense-ep: SGD rate of the dense layer (default: ${DEFAULT-VALUE}; EP's input gradient at "
                    + "beta 1 is about a tenth of the loss gradient, so this is ten times EP's usual rates)")
    double denseLr;

    @Option(names = "--baseline", paramLabel = "backprop",
            description = "Also train the same-shape backprop MLP: 'backprop'")
    String baseline;

    /** The default SGD rate of the SameDiff energies (one rate for all their variables). */
    private static final double SAMEDIFF_ENERGY_RATE = 0.05;

    /** Whether this run continues one ({@code --resume}). */
    private boolean resumed;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (one of --out and --resume is needed)")
    Path out;

    @Mixin
    UiOptions ui;

    @Option(names = "--checkpoint-every", defaultValue = "0", paramLabel = "N",
            description = "Save a checkpoint in DIR/checkpoint every N batches (0: none; default: ${DEFAULT-VALUE}); "
                    + "after a stop, --resume DIR continues from it exactly")
    int checkpointEvery;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the interrupted run in DIR from its checkpoint, with the options it was started "
                    + "with (recorded in DIR/run.json); takes no other option")
    Path resume;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<String> arguments = resume != null ? resumeOptions() : recordedOptions();
        if (out == null) {
            throw new UserInputException("--out DIR is needed: where the run is written (or --resume DIR to continue "
                    + "an interrupted run)");
        }
        if (baseline != null && !baseline.equals("backprop")) {
            throw new UserInputException("--baseline takes 'backprop'; got '" + baseline + "'");
        }
        EpRunConfig config = UserInputException.check(this::runConfig);
        ui.check();
        if (ui.enabled && (workers > 1 || spark != null)) {
            throw new UserInputException("--ui watches a network trained in this process: drop --workers and --spark");
        }
        EpVersusBackprop.Options options = UserInputException.check(() -> new EpVersusBackprop.Options(
                baseline != null, corrections, 0, checkpointEvery, resumed ? RunDirectory.Existing.CONTINUE
                : RunDirectory.Existing.RESTART, arguments));
        LoadedDataset dataset = data.load(seed);
        if (dataset.isRegression() && config.loss() == EpRunConfig.Loss.MCXENT) {
            throw new UserInputException("--loss mcxent needs classes; " + dataset.name() + " is a regression "
                    + "dataset: use --loss l2");
        }
        // the knobs were checked above; the rest needs the data's sizes (e.g. --replacements beyond the connections)
        UserInputException.check(() -> {
            config.checkAgainst(dataset.numFeatures(), dataset.numOutputs());
            return config;
        });
        try (TrainingUi watch = ui.start(System.out)) {
            EpVersusBackprop.Outcome outcome = EpVersusBackprop.run(config, dataset, options, out, System.out,
                    UiOptions.listeners(watch, "EP on " + dataset.name(), !dataset.isRegression()));
            System.out.println();
            System.out.println(outcome.table());
            System.out.println("wrote " + out.resolve("metrics.csv") + ", summary.json, model.zip, curves.png");
            ui.keepServing(watch, System.out);
        }
        return 0;
    }

    /**
     * For {@code --resume DIR}: replaces every option by those recorded in {@code DIR/run.json} (parsed again, so
     * they meet every check a first run meets) and writes to DIR again.
     *
     * @return the recorded options
     * @throws UserInputException if other options were given too, or the recorded ones are not train's
     */
    private List<String> resumeOptions() {
        List<String> others = spec.commandLine().getParseResult().matchedOptions().stream()
                .map(OptionSpec::longestName).filter(name -> !name.equals("--resume") && !name.equals("--debug"))
                .toList();
        if (!others.isEmpty()) {
            throw new UserInputException("--resume DIR continues the run with the options recorded in DIR/"
                    + RunDirectory.RUN_JSON + "; drop " + String.join(", ", others));
        }
        Path dir = resume;
        List<String> recorded = RunDirectory.at(dir).resumableArguments();
        try {
            spec.commandLine().parseArgs(recorded.toArray(String[]::new));
        } catch (ParameterException e) {
            throw new UserInputException(dir.resolve(RunDirectory.RUN_JSON) + " records options ./eqp train rejects ("
                    + e.getMessage() + "); delete the folder and train again", e);
        }
        out = dir;
        resumed = true;
        return recorded;
    }

    /** The options of this run as given, {@code --out} and {@code --debug} left out: what --resume parses again. */
    private List<String> recordedOptions() {
        List<String> given = spec.commandLine().getParseResult().expandedArgs();
        List<String> options = new ArrayList<>();
        for (int i = given.indexOf(spec.name()) + 1; i < given.size(); i++) {
            String arg = given.get(i);
            if (arg.equals("--out")) {
                i++;
            } else if (!arg.startsWith("--out=") && !arg.equals("--debug")) {
                options.add(arg);
            }
        }
        return options;
    }

    /** The run the options describe (unset options: {@link EpSettings#DEFAULTS} and its default rates). */
    EpRunConfig runConfig() {
        if (checkpointEvery > 0 && (workers > 1 || spark != null)) {
            throw new IllegalArgumentException("--checkpoint-every needs training in one process; drop --workers and "
                    + "--spark, or --checkpoint-every");
        }
        EpRunConfig.Loss outputLoss = EpRunConfig.Loss.parse(loss);
        RelaxationSchedule relaxation = ScheduleOption.parse(schedule, spec.commandLine().getParseResult(), "--eps",
                "--beta", "--free", "--nudged", "--alternating");
        EpSettings settings = relaxation.settings(new EpSettings(eps, beta != null ? beta : outputLoss.defaultBeta(),
                free, nudged, !fixedSign, particles, tolerance, symmetric, alternating));
        EpRunConfig.Below below = switch (model) {
            case "ep" -> null;
            case "dense-ep" -> new EpRunConfig.DenseBelow(dense, denseLr);
            case "cnn-ep" -> new EpRunConfig.ConvolutionalBelow();
            default -> throw new IllegalArgumentException("--model takes ep, dense-ep or cnn-ep; got '" + model + "'");
        };
        if (below instanceof EpRunConfig.ConvolutionalBelow && baseline != null) {
            throw new IllegalArgumentException("--baseline backprop is the same-shape MLP of an EP network alone; "
                    + "drop it with --model cnn-ep");
        }
        EnergyDefinition energyDefinition = switch (energy) {
            case "fused" -> null;
            case "dense" -> new DenseEnergy(hidden);
            case "conv" -> ConvEnergy.mnist(maps);
            default -> throw new IllegalArgumentException("--energy takes fused, dense or conv; got '" + energy + "'");
        };
        double[] rates = lr != null ? lr : below instanceof EpRunConfig.ConvolutionalBelow ? new double[] {1e-3}
                : energyDefinition != null ? new double[] {SAMEDIFF_ENERGY_RATE}
                : EpSettings.defaultLearningRates(hidden.length);
        return new EpRunConfig(hidden, settings, relaxation.rates(rates), epochs, batch, seed,
                SymmetricTopologySpec.parse(topology, p, replacements, seed), below, outputLoss, energyDefinition,
                new EpRunConfig.Parallelism(workers, averaging, spark, spark == null ? null : data.request(seed)));
    }
}
