package dev.ephemera.bench;

import java.util.Arrays;
import java.util.Comparator;
import java.util.function.Supplier;

/**
 * How a single benchmark command measures, the same way as the suite: untimed warm-up runs at
 * the measured size (capped at {@value #WARM_UP_MAX_N} elements), repeated until
 * {@value #WARM_UP_SECONDS} s have passed (at least once, at most {@value #WARM_UP_MAX_RUNS}
 * times), so that the JIT has compiled the allocator, the collector and the workload before
 * anything is timed — the peers are compiled ahead of time, and HotSpot's tiered compilation
 * takes several full-size runs to reach its final code (finalise at N = 10^6: 0.41, 0.19, 0.12,
 * then 0.105 s; warmed at N = 10^5 instead, the measured runs still spread from 0.11 to 0.15 s);
 * then
 * {@code repeat} measured runs in fresh heaps, each after {@code System.gc()} so that it does
 * not pay for the garbage of the run before. The run with the median time is reported, with
 * {@code "repeat"} set to the number of measured runs.
 */
public final class Runs {
    /** Warm-up runs go on until this much time has passed. */
    public static final double WARM_UP_SECONDS = 2.0;
    /** ... or this many have run. */
    public static final int WARM_UP_MAX_RUNS = 10;
    /** The largest size (N, elements) of a warm-up run. */
    public static final int WARM_UP_MAX_N = 1_000_000;

    private Runs() {}

    /** The median of {@code repeat} (at least one) runs of {@code run}, after warming up with {@code warmUp}. */
    public static BenchResult medianAfterWarmUp(Supplier<BenchResult> warmUp, Supplier<BenchResult> run, int repeat) {
        long start = System.nanoTime();
        for (int i = 0; i < WARM_UP_MAX_RUNS && (i == 0 || (System.nanoTime() - start) / 1e9 < WARM_UP_SECONDS); i++) {
            warmUp.get();
        }
        return median(run, repeat);
    }

    /**
     * The median of {@code repeat} (at least one) runs of {@code run}, each after
     * {@code System.gc()}, with no warm-up: the run with the median seconds, {@code "repeat"} set.
     */
    public static BenchResult median(Supplier<BenchResult> run, int repeat) {
        BenchResult[] runs = new BenchResult[Math.max(1, repeat)];
        for (int i = 0; i < runs.length; i++) {
            System.gc();
            runs[i] = run.get();
        }
        Arrays.sort(runs, Comparator.comparingDouble(BenchResult::seconds));
        return runs[runs.length / 2].put("repeat", runs.length);
    }
}
