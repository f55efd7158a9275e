package dev.ephemera.bench;

import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.object.Value;

/**
 * finalise: register N finalise-first and N finalise-last values (fresh one-field blocks,
 * dropped at once), then full major collections until every finaliser has run. Times
 * registration, collections and the finalisers. Same workload as
 * {@code bench/peers/ocaml/finalise.ml}.
 */
public final class Finalise {
    private Finalise() {}

    /**
     * A warm-up run (at most 100,000 of each kind, so the JIT has compiled the collector and the
     * finaliser path), then {@code repeat} measured runs in fresh heaps; the median is returned.
     */
    public static BenchResult ephemera(int n, int repeat) {
        return Runs.medianAfterWarmUp(() -> once(Math.min(n, Runs.WARM_UP_MAX_N)), () -> once(n), repeat);
    }

    /** One run in a fresh heap. */
    public static BenchResult once(int n) {
        try (Heap heap = Heap.create(HeapConfig.defaults())) {
            long[] first = {0};
            long[] last = {0};
            // One function of each kind, registered N times, as the OCaml peer's on_first/on_last.
            dev.ephemera.Finaliser onFirst = v -> first[0]++;
            Runnable onLast = () -> last[0]++;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                heap.gc().finalise(onFirst, heap.alloc(0, Value.ofInt(i)));
            }
            for (int i = 0; i < n; i++) {
                heap.gc().finaliseLast(onLast, heap.alloc(0, Value.ofInt(i)));
            }
            int fullMajors = 0;
            while ((first[0] < n || last[0] < n) && fullMajors < 10) {
                heap.gc().fullMajor();
                fullMajors++;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new BenchResult("finalise", "ephemera")
                    .put("n", n)
                    .put("seconds", seconds)
                    .put("first_called", first[0])
                    .put("last_called", last[0])
                    .put("full_majors", fullMajors)
                    .put("peak_heap_words", heap.gc().stat().topHeapWords);
        }
    }
}
