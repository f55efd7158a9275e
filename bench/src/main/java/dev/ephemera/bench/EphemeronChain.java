package dev.ephemera.bench;

import dev.ephemera.EphemeronK1;
import dev.ephemera.Handle;
import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.Scope;
import dev.ephemera.object.Value;

/**
 * ephemeron-chain: N ephemerons, ephemeron i with key k(i) and data k(i+1), created in index
 * order (fwd), reverse order (rev) or a fixed random permutation; only k(0) is a root (none
 * with drop-root). One full major collection is timed. Without drop-root every data slot must
 * still be full afterwards; with it every key must be cleared. Same workload as
 * {@code bench/peers/ocaml/ephemeron_chain.ml}, where OCaml's rescanning fixpoint is quadratic
 * in the fwd order; ours is linear in every order.
 */
public final class EphemeronChain {
    private EphemeronChain() {}

    /**
     * Runs a warm-up (at most 100,000 ephemerons, so the JIT has compiled the collector) and
     * then {@code repeat} measured runs; returns the run with the median time.
     */
    public static BenchResult ephemera(int n, String order, boolean dropRoot, int repeat) {
        return Runs.medianAfterWarmUp(() -> once(Math.min(n, Runs.WARM_UP_MAX_N), order, dropRoot),
                () -> once(n, order, dropRoot), repeat);
    }

    /** One run, in a fresh heap. */
    public static BenchResult once(int n, String order, boolean dropRoot) {
        int[] creation = creationOrder(n, order);
        try (Heap heap = Heap.create(HeapConfig.defaults()); Scope s = heap.openScope()) {
            EphemeronK1 k1 = heap.ephemerons().k1();
            Handle ephs = s.handle(heap.allocArray(n, Value.NONE));
            Handle k0 = s.handle(Value.NONE);
            try (Scope build = heap.openScope()) {
                Handle keys = build.handle(heap.allocArray(n + 1, Value.NONE));
                for (int i = 0; i <= n; i++) {
                    heap.setField(keys.get(), i, heap.alloc(0, Value.ofInt(i)));
                }
                for (int j = 0; j < n; j++) {
                    int i = creation[j];
                    long e = k1.create();
                    k1.setKey(e, heap.field(keys.get(), i));
                    k1.setData(e, heap.field(keys.get(), i + 1));
                    heap.setField(ephs.get(), i, e);
                }
                k0.set(heap.field(keys.get(), 0));
            }
            if (dropRoot) {
                k0.set(Value.NONE);
            }
            long t0 = System.nanoTime();
            heap.gc().fullMajor();
            double seconds = (System.nanoTime() - t0) / 1e9;
            int dataFull = 0;
            int cleared = 0;
            for (int i = 0; i < n; i++) {
                long e = heap.field(ephs.get(), i);
                if (k1.checkData(e)) {
                    dataFull++;
                }
                if (!k1.checkKey(e)) {
                    cleared++;
                }
            }
            boolean ok = dropRoot ? cleared == n && dataFull == 0 : dataFull == n && cleared == 0;
            return new BenchResult("ephemeron-chain", "ephemera")
                    .put("n", n)
                    .put("order", order)
                    .put("drop_root", dropRoot)
                    .put("seconds", seconds)
                    .put("ns_per_ephemeron", seconds * 1e9 / n)
                    .put("data_full", dataFull)
                    .put("cleared", cleared)
                    .put("ok", ok)
                    .put("peak_heap_words", heap.gc().stat().topHeapWords);
        }
    }

    static int[] creationOrder(int n, String order) {
        switch (order) {
            case "fwd": {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = i;
                }
                return a;
            }
            case "rev": {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = n - 1 - i;
                }
                return a;
            }
            case "random":
                return SplitMix64.permutation(n, 42);
            default:
                throw new IllegalArgumentException("ephemeron-chain: --order must be fwd, rev or random, got " + order);
        }
    }
}
