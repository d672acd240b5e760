package org.eqp.dynamics;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed team of threads that runs one task in {@link #parts()} parts ({@value #PARTS_PER_THREAD} per thread): the
 * relaxation splits each Euler step over it ({@link Relaxation}). The calling thread and the workers claim the parts
 * one at a time until none is left, so when another process holds a core and a worker is not running, the others take
 * its parts instead of waiting for it. Built for tasks of tens of microseconds to milliseconds, run back to back:
 * between tasks the workers spin for up to {@value #SPIN_NANOS} ns, then park, so a team costs no CPU while no
 * relaxation runs. A run allocates nothing.
 *
 * <p>One relaxation uses the team at a time: {@link #tryAcquire} hands it to one caller, and a relaxation that finds it
 * busy (another network relaxing in another thread, e.g. under ParallelWrapper) runs in one part instead. That changes
 * nothing in the result: a relaxation computes every float the same way whatever its part count.
 *
 * <p>The team's size is {@link #threads()}: the system property {@code eqp.threads} if set, else the number of
 * available processors (capped at {@value #MAX_DEFAULT}); {@link #setThreads} changes it for the whole JVM.
 */
public final class StepTeam {
    /** How long an idle worker (or the waiting caller) spins before parking (or yielding). */
    static final long SPIN_NANOS = 50_000;
    /** The largest default team: the relaxation of one batch does not feed more threads usefully. */
    static final int MAX_DEFAULT = 4;
    /** Parts per thread: more parts than threads let a thread that runs take over the parts of one that does not. */
    static final int PARTS_PER_THREAD = 2;

    /**
     * The least work per step, in flops of its products, worth splitting: below it the two hand-overs of a step cost
     * more than the second core saves. Measured with {@code ./eqp bench} on a quiet machine (11-30): 784-500x3-10
     * (about 40 MFLOP per step at batch 20) ran 1.9x faster on two threads, 784-100x5-10 (3.3 MFLOP) 0.95x, 784-500-10
     * (0.4 MFLOP) 0.54x.
     */
    static final double DEFAULT_MIN_SPLIT_FLOPS = 10e6;

    private static volatile int threads = defaultThreads();
    private static volatile double minSplitFlops = DEFAULT_MIN_SPLIT_FLOPS;
    private static StepTeam shared;

    private final int size;
    private final Thread[] workers;
    /** Per worker: 1 while it is (about to be) parked, so the caller knows to unpark it. */
    private final AtomicIntegerArray parked;
    private final AtomicBoolean owned = new AtomicBoolean();
    private final AtomicInteger generation = new AtomicInteger();
    /** The next part to claim, and the parts finished, of the task under way. */
    private final AtomicInteger nextPart = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private volatile IntConsumer task;
    private volatile Throwable failure;
    private volatile boolean retired;

    private StepTeam(int size) {
        this.size = size;
        this.workers = new Thread[size - 1];
        this.parked = new AtomicIntegerArray(size - 1);
        for (int i = 0; i < workers.length; i++) {
            int part = i + 1;
            workers[i] = new Thread(() -> work(part), "eqp-relaxation-" + part);
            workers[i].setDaemon(true);
            workers[i].start();
        }
    }

    /** Threads a relaxation step is split over (1 = the calling thread alone). */
    public static int threads() {
        return threads;
    }

    /**
     * Sets the number of threads every relaxation in this JVM splits its steps over, from the next relaxation on.
     * Results do not depend on it.
     *
     * @param count at least 1
     */
    public static synchronized void setThreads(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("the relaxation needs at least 1 thread; got " + count);
        }
        threads = count;
    }

    private static int defaultThreads() {
        String property = System.getProperty("eqp.threads");
        if (property == null) {
            return Math.min(MAX_DEFAULT, Runtime.getRuntime().availableProcessors());
        }
        try {
            int count = Integer.parseInt(property.trim());
            if (count >= 1) {
                return count;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("-Deqp.threads must be a whole number >= 1; got '" + property + "'");
    }

    /** The least work per step, in flops, that a relaxation splits over the team ({@link #DEFAULT_MIN_SPLIT_FLOPS}). */
    static double minSplitFlops() {
        return minSplitFlops;
    }

    /** Sets {@link #minSplitFlops()} (tests split tiny networks with 0). */
    static void setMinSplitFlops(double flops) {
        minSplitFlops = flops;
    }

    /**
     * The JVM's team if it has more than one thread and no other relaxation holds it; the caller must
     * {@link #release} it. Null otherwise: the caller then runs alone.
     */
    static StepTeam tryAcquire() {
        synchronized (StepTeam.class) {
            int count = threads;
            if (count == 1) {
                return null;
            }
            if (shared != null && shared.size == count) {
                return shared.owned.compareAndSet(false, true) ? shared : null;
            }
            if (shared != null) {
                if (!shared.owned.compareAndSet(false, true)) {
                    return null; // resized while a relaxation runs on the old team: replace it next time
                }
                shared.retire();
            }
            shared = new StepTeam(count);
            shared.owned.set(true);
            return shared;
        }
    }

    void release() {
        owned.set(false);
    }

    /** The parts a task is split into. */
    int parts() {
        return size * PARTS_PER_THREAD;
    }

    /**
     * Runs {@code part.accept(p)} for every p in [0, parts()), each once, in the calling thread and the workers;
     * returns when all have finished, rethrowing the first failure.
     */
    void run(IntConsumer part) {
        task = part;
        failure = null;
        finished.set(0);
        nextPart.set(0);
        generation.incrementAndGet();
        for (int i = 0; i < workers.length; i++) {
            if (parked.get(i) == 1) {
                LockSupport.unpark(workers[i]);
            }
        }
        try {
            claimParts();
        } finally {
            awaitParts();
        }
        Throwable t = failure;
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    /**
     * Runs unclaimed parts of the current task until none is left. The part is claimed before the task is read, and
     * the caller publishes the task before it resets the count, so a part always runs with its own task.
     */
    private void claimParts() {
        int parts = parts();
        for (int p = nextPart.getAndIncrement(); p < parts; p = nextPart.getAndIncrement()) {
            try {
                task.accept(p);
            } catch (Throwable t) {
                failure = t;
            }
            finished.incrementAndGet();
        }
    }

    private void awaitParts() {
        long start = System.nanoTime();
        while (finished.get() < parts()) {
            if (System.nanoTime() - start < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    private void work(int part) {
        int seen = 0;
        while (!retired) {
            int now = generation.get();
            if (now == seen) {
                idle(part, seen);
                continue;
            }
            seen = now;
            claimParts();
        }
    }

    /** Spins while the generation stays {@code seen}, then parks until the caller unparks this worker. */
    private void idle(int part, int seen) {
        long start = System.nanoTime();
        while (generation.get() == seen && !retired) {
            if (System.nanoTime() - start < SPIN_NANOS) {
                Thread.onSpinWait();
                continue;
            }
            parked.set(part - 1, 1);
            if (generation.get() == seen && !retired) {
                LockSupport.park(this);
            }
            parked.set(part - 1, 0);
        }
    }

    private void retire() {
        retired = true;
        for (Thread worker : workers) {
            LockSupport.unpark(worker);
        }
    }
}
