package org.eqp.examples.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eqp.baseline.BackpropMlp;
import org.eqp.data.DatasetRequest;
import org.eqp.data.Datasets;
import org.eqp.data.LoadedDataset;
import org.eqp.data.ShufflingDataSetIterator;
import org.eqp.dl4j.updater.ViewPreservingUpdater;
import org.eqp.examples.run.EpRunConfig;
import org.eqp.examples.run.EpVersusBackprop;
import org.nd4j.evaluation.classification.Evaluation;

/**
 * One network's training epoch timed in a JVM of its own, as JMH forks a benchmark: the networks of the epoch
 * comparison share DL4J's code (the fit loop, the updater, ND4J's ops), and in one JVM whichever runs second finds
 * the JIT's type profiles and compiled code shaped by the other. Measured on 11-30: EP's epoch took 1.16-1.27 s per
 * 20,000 examples alone and 1.36-1.78 s in a JVM that had trained the backprop MLP before.
 *
 * <p>The fork loads the dataset the parent asked for, trains {@value #WARM_UP_EPOCHS} epochs with a network thrown
 * away (the JVM's warm-up: in one JVM on 11-30, EP's first two MNIST epochs took 5.0-6.8 s and the later ones 3.9-4.7
 * s), then times {@code fit} over one shuffled epoch of a new network (no listeners) and {@code evaluate} on the test
 * set, and prints them on one line the parent reads.
 */
public final class EpochFork {
    private static final String RESULT = "epoch-fork-result";
    private static final int EVAL_BATCH = 500;
    /** Epochs a fork trains before the timed one. */
    public static final int WARM_UP_EPOCHS = 2;
    /** JVM options of the parent that a fork must not repeat: agents and recordings would clash or double. */
    private static final List<String> NOT_INHERITED = List.of("-agentlib", "-javaagent", "-Xrunjdwp",
            "-XX:StartFlightRecording", "-XX:FlightRecorderOptions", "-Xlog");

    /** The networks compared. */
    public enum Network {
        /** The quickstart EP network, as {@code ./eqp} builds it (view-preserving updater included). */
        EP,
        /** The same-shape DL4J backprop MLP, as DL4J builds it. */
        BACKPROP,
        /** The same MLP with the updater fix EP networks get ({@link ViewPreservingUpdater}). */
        BACKPROP_VIEW_PRESERVING;

        MultiLayerNetwork build(EpRunConfig config, LoadedDataset data) {
            return switch (this) {
                case EP -> config.buildNetwork(data.numFeatures(), data.numOutputs());
                case BACKPROP -> BackpropMlp.build(EpVersusBackprop.baselineConfig(config, data));
                case BACKPROP_VIEW_PRESERVING -> ViewPreservingUpdater.install(
                        BackpropMlp.build(EpVersusBackprop.baselineConfig(config, data)));
            };
        }
    }

    private EpochFork() {
    }

    /**
     * Times {@code network} in a new JVM started with this one's java, class path and options (agents and flight
     * recordings left out) and environment.
     *
     * @param request what the fork loads: its spec, data folder, training-example limit and seed
     * @throws IllegalStateException if the fork fails, with the end of its output
     */
    public static EpochBenchmark.Timing measure(Network network, DatasetRequest request, long seed) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (NOT_INHERITED.stream().noneMatch(option::startsWith)) {
                command.add(option);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EpochFork.class.getName(),
                network.name(), request.spec(), orDash(request.dataDir()), orDash(request.cacheDir()),
                Integer.toString(request.trainLimit()), Long.toString(request.seed()), Long.toString(seed),
                Integer.toString(WARM_UP_EPOCHS)));
        Deque<String> tail = new ArrayDeque<>();
        try {
            Process fork = new ProcessBuilder(command).redirectErrorStream(true).start();
            EpochBenchmark.Timing result = null;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(fork.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith(RESULT + " ")) {
                        result = parse(line);
                    }
                    if (!line.isBlank() && !line.stripLeading().startsWith("at ")) { // stack frames left out
                        tail.addLast(line);
                    }
                    if (tail.size() > 20) {
                        tail.removeFirst();
                    }
                }
            }
            int exit = fork.waitFor();
            if (exit != 0 || result == null) {
                throw new IllegalStateException("the epoch benchmark's fork for " + network + " failed (exit " + exit
                        + "); its last lines (stack frames left out):\n" + String.join("\n", tail));
            }
            return result;
        } catch (IOException e) {
            throw new IllegalStateException("could not start the epoch benchmark's fork: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the epoch benchmark's fork ran", e);
        }
    }

    private static String orDash(Path path) {
        return path == null ? "-" : path.toString();
    }

    private static EpochBenchmark.Timing parse(String line) {
        String[] f = line.substring(RESULT.length() + 1).split(" ");
        return new EpochBenchmark.Timing(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]));
    }

    /**
     * The fork: {@code NETWORK SPEC DATA_DIR|- CACHE_DIR|- TRAIN_LIMIT DATA_SEED SEED WARM_UP_EPOCHS}. Prints
     * {@code epoch-fork-result FIT_SECONDS EVAL_SECONDS TEST_ERROR}.
     */
    public static void main(String[] args) {
        Network network = Network.valueOf(args[0]);
        DatasetRequest.Builder request = DatasetRequest.builder().spec(args[1]).trainLimit(Integer.parseInt(args[4]))
                .seed(Long.parseLong(args[5]));
        if (!args[2].equals("-")) {
            request.dataDir(Path.of(args[2]));
        }
        if (!args[3].equals("-")) {
            request.cacheDir(Path.of(args[3]));
        }
        LoadedDataset data = Datasets.load(request.build());
        long seed = Long.parseLong(args[6]);
        int warmUpEpochs = Integer.parseInt(args[7]);
        EpRunConfig config = EpRunConfig.quickstart(1);
        MultiLayerNetwork warmUp = network.build(config, data);
        for (int e = 0; e < warmUpEpochs; e++) {
            warmUp.fit(new ShufflingDataSetIterator(data.train(), config.batch(), seed + e, true));
        }
        MultiLayerNetwork net = network.build(config, data);
        long t0 = System.nanoTime();
        net.fit(new ShufflingDataSetIterator(data.train(), config.batch(), seed, true));
        double fit = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        Evaluation evaluation = net.evaluate(new ShufflingDataSetIterator(data.test(), EVAL_BATCH, seed, false));
        double eval = (System.nanoTime() - t1) / 1e9;
        System.out.println(String.format(Locale.ROOT, "%s %.6f %.6f %.8f", RESULT, fit, eval,
                1 - evaluation.accuracy()));
    }
}
