package dev.ephemera.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.common.collect.MapMaker;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The JVM's own weak-key maps as library baselines for memo-table: {@code java.util.WeakHashMap},
 * Guava's {@code new MapMaker().weakKeys().makeMap()} and Caffeine's
 * {@code Caffeine.newBuilder().weakKeys()} cache. None of them has ephemeron semantics: a value
 * that refers to its key keeps the key reachable through the map's strong reference to the
 * value, so no entry of the memo-table workload is ever freed. The measurement protocol is the
 * one of {@code MemoTable.weakHashMap}: the N puts and one {@code System.gc()} are timed,
 * {@code "alive"} is the map's size afterwards, {@code "peak_heap_words"} is the live Java heap
 * after a further {@code System.gc()} (bytes / 8).
 *
 * <p>Guava and Caffeine compare weak keys by identity, {@code WeakHashMap} by {@code equals};
 * every key here is a fresh object, so the three maps hold the same entries.
 */
public final class WeakKeyMaps {
    /** The three maps, under the names the benchmark output uses. */
    public enum Kind {
        WEAKHASHMAP("weakhashmap"),
        GUAVA("guava"),
        CAFFEINE("caffeine");

        /** The {@code "impl"} name. */
        public final String impl;

        Kind(String impl) {
            this.impl = impl;
        }

        /** The kind with this {@code "impl"} name. */
        public static Kind of(String impl) {
            for (Kind k : values()) {
                if (k.impl.equals(impl)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("weak-key map: unknown impl " + impl
                    + " (weakhashmap, guava or caffeine)");
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

    /** A map under test, with the one extra operation Caffeine needs before counting. */
    private static final class WeakMap {
        final Map<Key, Object[]> map;
        final Cache<Key, Object[]> cache;

        WeakMap(Kind kind) {
            switch (kind) {
                case WEAKHASHMAP:
                    map = new WeakHashMap<>(16);
                    cache = null;
                    break;
                case GUAVA:
                    map = new MapMaker().weakKeys().makeMap();
                    cache = null;
                    break;
                default:
                    // maintenance on the caller's thread: nothing runs behind the timing's back
                    cache = Caffeine.newBuilder().weakKeys().executor(Runnable::run).build();
                    map = cache.asMap();
            }
        }

        /** Entries still in the map, after the map has purged what the JVM cleared. */
        long alive() {
            if (cache != null) {
                cache.cleanUp();
                return cache.estimatedSize();
            }
            return map.size();
        }
    }

    private WeakKeyMaps() {}

    /**
     * memo-table on a JVM map: N {@code put(k, {k, i})} with fresh keys (also kept in a root
     * array with {@code keysLive}), then {@code System.gc()}.
     */
    public static BenchResult memoTable(Kind kind, int n, boolean keysLive) {
        if (n < 0) {
            throw new IllegalArgumentException("memo-table: n " + n + " is negative");
        }
        Key[] roots = keysLive ? new Key[n] : null;
        WeakMap m = new WeakMap(kind);
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long baseline = rt.totalMemory() - rt.freeMemory();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Key k = new Key(i);
            if (roots != null) {
                roots[i] = k;
            }
            m.map.put(k, new Object[] {k, i});
        }
        System.gc();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long alive = m.alive();
        System.gc();
        long live = Math.max(0, rt.totalMemory() - rt.freeMemory() - baseline);
        Reference.reachabilityFence(m); // the map and the live keys were measured alive
        Reference.reachabilityFence(roots);
        return new BenchResult("memo-table", kind.impl)
                .put("n", n)
                .put("keys", keysLive ? "live" : "dead")
                .put("seconds", seconds)
                .put("alive", alive)
                .put("peak_heap_words", live / 8)
                .put("live_heap_bytes_after_gc", live);
    }

    /**
     * The rounds variant behind the retention chart: each round puts {@code batch} fresh entries
     * whose values refer to their keys, drops the keys, runs {@code System.gc()} and records the
     * entries the map still holds. Returns one count per round.
     */
    public static List<Long> retention(Kind kind, int rounds, int batch) {
        WeakMap m = new WeakMap(kind);
        List<Long> retained = new ArrayList<>();
        int id = 0;
        for (int r = 0; r < rounds; r++) {
            for (int j = 0; j < batch; j++, id++) {
                Key k = new Key(id);
                m.map.put(k, new Object[] {k, id});
            }
            System.gc();
            retained.add(m.alive());
        }
        Reference.reachabilityFence(m);
        return retained;
    }
}
