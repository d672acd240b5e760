package org.eqp.examples.bench;

import java.io.PrintStream;
import java.util.Locale;
import org.eqp.dynamics.NetworkParams;
import org.eqp.dynamics.SquaredErrorNudge;
import org.eqp.energy.ConvEnergy;
import org.eqp.energy.DenseEnergy;
import org.eqp.energy.EnergyPropagation;
import org.eqp.energy.SameDiffEnergy;
import org.eqp.learning.EpSettings;
import org.eqp.learning.EquilibriumPropagation;
import org.eqp.topology.Topology;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code ./eqp bench --energies}: the time of one relaxation step of the same Hopfield net 784-500-10 (batch 20) on the
 * fused path ({@link EquilibriumPropagation}) and written in SameDiff ({@link DenseEnergy}, autodiff through
 * {@link EnergyPropagation}), as a ratio from one run, and the step of the MNIST convolutional energy
 * ({@link ConvEnergy}) at two widths. A step is timed as a free phase of {@link #STEPS} steps divided by the count,
 * the median over the rounds.
 */
public final class EnergyBenchmark {
    private static final int BATCH = 20;
    private static final int STEPS = 20;
    private final int rounds;

    public EnergyBenchmark(int rounds) {
        this.rounds = rounds;
    }

    /** Prints the step times and the SameDiff / fused ratio. */
    public void run(PrintStream out) {
        EpSettings settings = new EpSettings(0.5, 1.0, STEPS, 4, false, false, 0, false);
        Topology topology = Topology.layered(784, 500, 10);
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, BATCH, 784);
        NetworkParams params = RelaxationBenchmark.randomParams(topology);
        EquilibriumPropagation fused = new EquilibriumPropagation(topology, settings, new SquaredErrorNudge(1), 1);
        double fusedMicros = time(() -> fused.freePhase(x, params, false));
        EnergyPropagation sameDiff = engine(new DenseEnergy(500).build(784, 10, 1), settings);
        double sameDiffMicros = time(() -> sameDiff.freePhase(x));
        out.printf(Locale.ROOT, "%-40s %14s%n", "relaxation step, batch " + BATCH, "us / step");
        out.printf(Locale.ROOT, "%-40s %14.1f%n", "784-500-10 fused", fusedMicros);
        out.printf(Locale.ROOT, "%-40s %14.1f   (%.1fx the fused step)%n", "784-500-10 SameDiff (DenseEnergy)",
                sameDiffMicros, sameDiffMicros / fusedMicros);
        INDArray images = x.reshape(BATCH, 1, 28, 28);
        for (int[] maps : new int[][] {{16, 32}, {32, 64}}) {
            ConvEnergy conv = ConvEnergy.mnist(maps);
            EnergyPropagation convEngine = engine(conv.build(784, 10, 1), settings);
            out.printf(Locale.ROOT, "%-40s %14.1f%n", "MNIST " + conv, time(() -> convEngine.freePhase(images)));
        }
    }

    private static EnergyPropagation engine(SameDiffEnergy energy, EpSettings settings) {
        return new EnergyPropagation(energy, settings, new SquaredErrorNudge(1), 1);
    }

    /** Median microseconds per relaxation step of the phase, after warming up (JIT) for at least a second. */
    private double time(Runnable freePhase) {
        long warmUntil = System.nanoTime() + 1_000_000_000L;
        do {
            freePhase.run();
        } while (System.nanoTime() < warmUntil);
        double[] micros = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            freePhase.run();
            micros[r] = (System.nanoTime() - t0) / 1e3 / STEPS;
        }
        return RelaxationBenchmark.median(micros);
    }
}
