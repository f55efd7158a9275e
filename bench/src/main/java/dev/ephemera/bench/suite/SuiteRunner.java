package dev.ephemera.bench.suite;

import dev.ephemera.bench.BenchResult;
import dev.ephemera.bench.Runs;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs workloads the way the suite promises to: implementations interleaved within each case
 * (repetition 1 of every implementation, then repetition 2, ..., every other repetition in
 * reverse order), so a noisy neighbour or a drifting clock hits every implementation alike; the
 * median of {@code repeat} runs reported; ratios taken pair by pair, same case against same case.
 *
 * <p>Before the first measured run of each benchmark, every implementation that runs in this JVM
 * gets untimed warm-up runs at the benchmark's largest size, capped (at 10^6 elements; depth 16
 * for binary-trees, whose runs are long enough to warm up within one), so the JIT has compiled it
 * (the peer programs are compiled ahead of time and need none): repeated until
 * {@value #WARM_UP_SECONDS} s have passed, at least once and at most {@value #WARM_UP_MAX_RUNS}
 * times, because HotSpot's tiered compilation takes several full-size runs to reach its final
 * code (see {@link Runs}). Each in-JVM run starts after {@code System.gc()},
 * so it does not pay for the garbage of the run before. A run that is skipped, or that took
 * longer than {@code slowSeconds} of wall time, is not repeated (a quadratic peer at a large
 * size would otherwise dominate the whole suite). A run that throws is recorded as skipped with
 * an {@code "error"} field; the suite goes on.
 */
public final class SuiteRunner {
    static final double WARM_UP_SECONDS = Runs.WARM_UP_SECONDS;
    static final int WARM_UP_MAX_RUNS = Runs.WARM_UP_MAX_RUNS;

    /** Hears about progress; every method has a do-nothing default. */
    public interface Listener {
        /** The suite is about to start {@code steps} runs (warm-ups included). */
        default void started(long steps) {}

        /** A run (or a warm-up) of {@code impl} on {@code c} starts. */
        default void running(Case c, String impl, boolean warmUp) {}

        /** {@code steps} runs are done, or will not happen. */
        default void advanced(long steps) {}

        /** Every implementation of a workload has been measured. */
        default void finished(Workload w, List<Measurement> measurements) {}
    }

    private final int repeat;
    private final double slowSeconds;
    private final boolean warmUp;
    private final Listener listener;

    /**
     * @param repeat measured runs per implementation and case (at least 1)
     * @param slowSeconds a run slower than this is not repeated
     * @param warmUp whether in-JVM implementations get a warm-up run
     */
    public SuiteRunner(int repeat, double slowSeconds, boolean warmUp, Listener listener) {
        if (repeat < 1) {
            throw new IllegalArgumentException("SuiteRunner: repeat must be at least 1, got " + repeat);
        }
        this.repeat = repeat;
        this.slowSeconds = slowSeconds;
        this.warmUp = warmUp;
        this.listener = listener;
    }

    /** Runs every workload; returns the measurements, workload by workload, ephemera first. */
    public List<Measurement> run(List<Workload> workloads) {
        Set<String> warmed = new HashSet<>();
        long steps = 0;
        Set<String> warmKeys = new HashSet<>();
        for (Workload w : workloads) {
            for (Impl impl : w.impls()) {
                steps += repeat;
                if (warmUp && impl.warmUp() != null && warmKeys.add(w.benchCase().bench() + "/" + impl.name())) {
                    steps++;
                }
            }
        }
        listener.started(steps);
        List<Measurement> all = new ArrayList<>();
        for (Workload w : workloads) {
            all.addAll(runOne(w, warmed));
        }
        return all;
    }

    private List<Measurement> runOne(Workload w, Set<String> warmed) {
        Case c = w.benchCase();
        List<Impl> impls = w.impls();
        List<Measurement> ms = new ArrayList<>();
        for (Impl impl : impls) {
            ms.add(new Measurement(c, impl.name(), impl.kind()));
        }
        boolean[] done = new boolean[impls.size()];
        for (int rep = 0; rep < repeat; rep++) {
            for (int k = 0; k < impls.size(); k++) {
                int i = rep % 2 == 0 ? k : impls.size() - 1 - k;
                if (done[i]) {
                    continue;
                }
                Impl impl = impls.get(i);
                if (warmUp && impl.warmUp() != null && warmed.add(c.bench() + "/" + impl.name())) {
                    listener.running(c, impl.name(), true);
                    long start = System.nanoTime();
                    for (int run = 0; run < WARM_UP_MAX_RUNS
                            && (System.nanoTime() - start) / 1e9 < WARM_UP_SECONDS; run++) {
                        prepare(impl);
                        guarded(c, impl.name(), impl.warmUp()::get);
                    }
                    listener.advanced(1);
                }
                listener.running(c, impl.name(), false);
                prepare(impl);
                long t0 = System.nanoTime();
                BenchResult r = guarded(c, impl.name(), impl::run);
                double wall = (System.nanoTime() - t0) / 1e9;
                ms.get(i).add(r);
                listener.advanced(1);
                if (r.skipped() != null || wall > slowSeconds) {
                    done[i] = true;
                    listener.advanced(repeat - 1 - rep);
                }
            }
        }
        for (Measurement m : ms.subList(1, ms.size())) {
            m.compareWith(ms.get(0));
        }
        listener.finished(w, ms);
        return ms;
    }

    private static void prepare(Impl impl) {
        if (impl.kind() != Impl.Kind.PROCESS) {
            System.gc();
        }
    }

    private static BenchResult guarded(Case c, String impl, java.util.function.Supplier<BenchResult> run) {
        try {
            return run.get();
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            return PeerRunner.skipped(impl, c, "failed: " + e).put("error", String.valueOf(e));
        }
    }
}
