package dev.ephemera.bench;

import dev.ephemera.GlobalRoot;
import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.object.Value;
import dev.ephemera.tables.HashedType;
import dev.ephemera.tables.OcamlHash;
import dev.ephemera.tables.WeakHashSet;

/**
 * hashcons: {@code Weak.Make}-style {@code merge} of freshly allocated pairs, half of them new
 * (misses), half equal to a pair merged earlier and kept alive (hits); the same workload as
 * {@code bench/peers/ocaml/hashcons.ml}. Pairs {@code (a, 7)} are tag-0 blocks of two
 * immediates, hashed with {@code Hashtbl.hash} (structurally) and compared component-wise;
 * the set is {@code W.create 1024}. With {@code m = (N+1)/2} and {@code p} the splitmix64
 * (seed 42) permutation of {@code [0, m)}, merge {@code i} merges {@code (p[i/2], 7)} for even
 * {@code i} (a miss) and {@code (p[5*((i/2)/5)], 7)} for odd {@code i} (a hit on the result of
 * merge {@code 10*((i/2)/5)}, which is kept in a root array with every result of a merge
 * {@code i ≡ 0 mod 10}). Then one full major; {@code "count"} is {@code W.count} after it.
 */
public final class Hashcons {
    /** {@code Hashtbl.hash} on the pair, equality of both components. */
    static final HashedType PAIR = HashedType.of(OcamlHash::hash,
            (heap, x, y) -> heap.field(x, 0) == heap.field(y, 0) && heap.field(x, 1) == heap.field(y, 1));

    private Hashcons() {}

    /** On an ephemera heap with the default configuration. */
    public static BenchResult ephemera(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("hashcons: n " + n + " is negative");
        }
        int m = (n + 1) / 2;
        int[] p = permutation(m);
        try (Heap heap = Heap.create(HeapConfig.defaults())) {
            WeakHashSet w = WeakHashSet.make(heap, PAIR);
            try (GlobalRoot roots = heap.newGlobalRoot(heap.allocArray((n + 9) / 10, Value.UNIT));
                 GlobalRoot set = heap.newGlobalRoot(w.create(1024));
                 GlobalRoot fresh = heap.newGlobalRoot(Value.UNIT)) {
                long hits = 0;
                long misses = 0;
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    int j = i / 2;
                    int a = (i & 1) == 0 ? p[j] : p[5 * (j / 5)];
                    fresh.set(heap.alloc(0, Value.ofInt(a), Value.ofInt(7)));
                    long r = w.merge(set.get(), fresh.get());
                    if (r == fresh.get()) { // fresh.get() is current: the root follows the pair if it moved
                        misses++;
                    } else {
                        hits++;
                    }
                    if (i % 10 == 0) {
                        heap.setField(roots.get(), i / 10, r);
                    }
                }
                fresh.set(Value.UNIT);
                heap.gc().fullMajor();
                double seconds = (System.nanoTime() - t0) / 1e9;
                long count = w.count(set.get());
                var st = heap.gc().stat();
                return new BenchResult("hashcons", "ephemera")
                        .put("n", n)
                        .put("seconds", seconds)
                        .put("hits", hits)
                        .put("misses", misses)
                        .put("count", count)
                        .put("peak_heap_words", st.topHeapWords)
                        .put("minor_collections", st.minorCollections)
                        .put("major_collections", st.majorCollections);
            }
        }
    }

    /** The peers' permutation: Fisher–Yates driven by splitmix64 with seed 42. */
    static int[] permutation(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        long state = 42;
        for (int i = n - 1; i >= 1; i--) {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z = z ^ (z >>> 31);
            int j = (int) Long.remainderUnsigned(z, i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
