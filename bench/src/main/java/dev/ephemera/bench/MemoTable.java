package dev.ephemera.bench;

import dev.ephemera.GlobalRoot;
import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.object.Value;
import dev.ephemera.tables.HashedType;
import dev.ephemera.tables.K1Table;
import dev.ephemera.tables.OcamlHash;
import java.lang.ref.Reference;
import java.util.WeakHashMap;

/**
 * memo-table: N {@code replace} calls into a weak-key table where each value refers to its key,
 * then one full collection; reports the time, the bindings alive afterwards and the peak heap.
 * The same workload as {@code bench/peers/ocaml/memo_table.ml} ({@code Ephemeron.K1.Make} on
 * {@code {id}} keys, equal by id, hashed with {@code Hashtbl.hash id}, {@code create 16};
 * value {@code (k, i)}) and {@code bench/peers/chez/memo_table.ss}. With dead keys an
 * ephemeron table must end with no binding alive; {@code java.util.WeakHashMap} keeps all N,
 * because its values refer to its keys strongly.
 */
public final class MemoTable {
    /** The peer's {@code Key}: a one-field block {@code {id}}, equal by id, {@code Hashtbl.hash id}. */
    static final HashedType KEY = HashedType.of(
            (heap, k) -> OcamlHash.hashImmediate(heap.field(k, 0)),
            (heap, a, b) -> heap.field(a, 0) == heap.field(b, 0));

    private MemoTable() {}

    /**
     * On an ephemera heap with the default configuration: {@link K1Table} ({@code Ephemeron.K1.Make}).
     * Timed: the N replaces and one {@code fullMajor}. {@code "alive"} is
     * {@code (stats_alive h).num_bindings} after that, {@code "length"} OCaml's {@code length}.
     */
    public static BenchResult ephemera(int n, boolean keysLive) {
        if (n < 0) {
            throw new IllegalArgumentException("memo-table: n " + n + " is negative");
        }
        try (Heap heap = Heap.create(HeapConfig.defaults())) {
            K1Table h = K1Table.make(heap, KEY);
            try (GlobalRoot table = heap.newGlobalRoot(h.create(16));
                 GlobalRoot keys = heap.newGlobalRoot(keysLive ? heap.allocArray(n, Value.UNIT) : Value.UNIT)) {
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    long k = heap.alloc(0, Value.ofInt(i));
                    if (keysLive) {
                        heap.setField(keys.get(), i, k);
                    }
                    long d = heap.alloc(0, k, Value.ofInt(i)); // (k, i): roots k while allocating
                    h.replace(table.get(), heap.field(d, 0), d);
                }
                heap.gc().fullMajor();
                double seconds = (System.nanoTime() - t0) / 1e9;
                long alive = h.statsAlive(table.get()).numBindings();
                long length = h.length(table.get());
                var st = heap.gc().stat();
                return new BenchResult("memo-table", "ephemera")
                        .put("n", n)
                        .put("keys", keysLive ? "live" : "dead")
                        .put("seconds", seconds)
                        .put("alive", alive)
                        .put("length", length)
                        .put("peak_heap_words", st.topHeapWords)
                        .put("minor_collections", st.minorCollections)
                        .put("major_collections", st.majorCollections);
            }
        }
    }

    /** The peer's key on the JVM: equal by id, hashed by id. */
    private static final class Key {
        final int id;

        Key(int id) {
            this.id = id;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).id == id;
        }

        @Override
        public int hashCode() {
            return Integer.hashCode(id);
        }
    }

    /**
     * The baseline: {@code java.util.WeakHashMap<Key, Object[]>} with value {@code {k, i}}.
     * Timed: the N puts and one {@code System.gc()}. {@code "alive"} is {@code map.size()}
     * afterwards (it expunges cleared entries first); the live Java heap after a further
     * {@code System.gc()} is reported in bytes and, for comparison, as
     * {@code "peak_heap_words"} (bytes / 8).
     */
    public static BenchResult weakHashMap(int n, boolean keysLive) {
        if (n < 0) {
            throw new IllegalArgumentException("memo-table: n " + n + " is negative");
        }
        Key[] roots = keysLive ? new Key[n] : null;
        WeakHashMap<Key, Object[]> map = new WeakHashMap<>(16);
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long baseline = rt.totalMemory() - rt.freeMemory();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Key k = new Key(i);
            if (roots != null) {
                roots[i] = k;
            }
            map.put(k, new Object[] {k, i});
        }
        System.gc();
        double seconds = (System.nanoTime() - t0) / 1e9;
        int alive = map.size();
        System.gc();
        long live = Math.max(0, rt.totalMemory() - rt.freeMemory() - baseline);
        Reference.reachabilityFence(map); // the map and the live keys were measured alive
        Reference.reachabilityFence(roots);
        return new BenchResult("memo-table", "weakhashmap")
                .put("n", n)
                .put("keys", keysLive ? "live" : "dead")
                .put("seconds", seconds)
                .put("alive", alive)
                .put("peak_heap_words", live / 8)
                .put("live_heap_bytes_after_gc", live);
    }
}
