package dev.ephemera.bench;

import java.util.Arrays;
import java.util.Comparator;
import java.util.function.Supplier;

/**
 * How a single benchmark command measures: one untimed warm-up run, so that the JIT has
 * compiled the allocator, the collector and the workload before anything is timed (the peers
 * are compiled ahead of time), then {@code repeat} measured runs in fresh heaps; the run with
 * the median time is reported, with {@code "repeat"} set to the number of measured runs.
 */
public final class Runs {
    private Runs() {}

    /** The median of {@code repeat} (at least one) runs of {@code run}, after one of {@code warmUp}. */
    public static BenchResult medianAfterWarmUp(Supplier<BenchResult> warmUp, Supplier<BenchResult> run, int repeat) {
        warmUp.get();
        BenchResult[] runs = new BenchResult[Math.max(1, repeat)];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = run.get();
        }
        Arrays.sort(runs, Comparator.comparingDouble(BenchResult::seconds));
        return runs[runs.length / 2].put("repeat", runs.length);
    }
}
