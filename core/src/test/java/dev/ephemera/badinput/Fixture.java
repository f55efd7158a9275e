package dev.ephemera.badinput;

import dev.ephemera.GlobalRoot;
import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import java.util.EnumMap;
import java.util.Map;

/**
 * A heap holding one good argument of every kind (in global roots, so they survive the
 * collections that making stale pointers needs) and a canary list that must stay intact
 * whatever bad input the heap is given.
 */
final class Fixture implements AutoCloseable {
    /** What an argument must be. */
    enum Kind {
        /** A scanned block of 4 fields. */
        BLOCK,
        /** An ephemeron with 1 key (K1). */
        K1,
        /** An ephemeron with 2 keys (K2). */
        K2,
        /** An ephemeron with 3 keys (Kn / Obj.Ephemeron). */
        KN,
        /** A weak array of 4 slots. */
        WEAK,
        GUARDIAN,
        /** The string "hello". */
        STRING,
        DOUBLE,
        /** A double array of 3 elements. */
        DOUBLE_ARRAY,
        /** A custom block: kind word and 2 payload words. */
        CUSTOM,
        FOREIGN,
        /** A lazy-tagged block (cannot be finalised). */
        LAZY,
        /** A forward-tagged block (cannot be finalised). */
        FORWARD,
    }

    static final int BLOCK_FIELDS = 4;
    static final int KN_KEYS = 3;
    static final int WEAK_SLOTS = 4;
    static final int STRING_BYTES = 5;
    static final int DOUBLES = 3;
    static final int CUSTOM_WORDS = 3;
    private static final int CANARY = 200;

    final Heap heap;
    private final Map<Kind, GlobalRoot> roots = new EnumMap<>(Kind.class);
    private final GlobalRoot canary;

    Fixture() {
        this(HeapConfig.defaults().minorHeapWords(256).initialHeapWords(4096).verifyEveryCollection(true));
    }

    /** A fixture whose objects sit at other addresses than those of {@link #Fixture()}. */
    static Fixture shifted() {
        return new Fixture(HeapConfig.defaults().minorHeapWords(256).initialHeapWords(4096).verifyEveryCollection(true), true);
    }

    Fixture(HeapConfig config) {
        this(config, false);
    }

    private Fixture(HeapConfig config, boolean shifted) {
        heap = Heap.create(config);
        heap.gc().setFinaliserApplier((function, value) -> { }); // as an embedder's heap: heap functions accepted
        if (shifted) {
            heap.allocBlock(0, 37);                      // young padding
            heap.newGlobalRoot(heap.allocBlock(0, 2000)); // old padding, kept
            heap.newGlobalRoot(heap.allocBlock(0, 5));
            heap.gc().minor();
            heap.allocBlock(0, 3);
        }
        for (Kind k : Kind.values()) {
            roots.put(k, heap.newGlobalRoot(make(k)));
        }
        canary = heap.newGlobalRoot(Value.NONE);
        for (int i = 0; i < CANARY; i++) {
            canary.set(heap.alloc(0, Value.ofInt(i), canary.get()));
        }
    }

    /** A fresh object of kind {@code k} (raw pointer: valid until the next allocation). */
    long make(Kind k) {
        switch (k) {
            case BLOCK: return heap.allocBlock(0, BLOCK_FIELDS);
            case K1: return heap.ephemerons().k1().create();
            case K2: return heap.ephemerons().k2().create();
            case KN: return heap.ephemerons().kn().create(KN_KEYS);
            case WEAK: return heap.weak().create(WEAK_SLOTS);
            case GUARDIAN: return heap.guardians().make();
            case STRING: return heap.allocString("hello");
            case DOUBLE: return heap.allocDouble(2.5);
            case DOUBLE_ARRAY: return heap.allocDoubleArray(new double[DOUBLES]);
            case CUSTOM: return heap.allocCustom(7, CUSTOM_WORDS - 1);
            case FOREIGN: return heap.allocForeign("foreign");
            case LAZY: return heap.allocBlock(Tag.LAZY, 1);
            default: return heap.allocBlock(Tag.FORWARD, 1);
        }
    }

    /** The good argument of kind {@code k}, read now. */
    long get(Kind k) {
        return roots.get(k).get();
    }

    /** A pointer to a young block of kind {@code k} that a minor collection has since moved. */
    long staleYoung(Kind k) {
        long v = make(k);
        heap.gc().minor();
        return v;
    }

    /** A pointer to a block of kind {@code k} that a major collection has since freed. */
    long staleFreed(Kind k) {
        try (GlobalRoot r = heap.newGlobalRoot(make(k))) {
            heap.gc().minor();                   // now old: it will not move again
            long v = r.get();
            r.set(Value.NONE);
            heap.gc().major();
            return v;
        }
    }

    /** Throws unless the heap passes the verifier, the canary is intact, and it still allocates and collects. */
    void checkConsistentAndUsable() {
        heap.verify();
        int n = CANARY;
        for (long c = canary.get(); c != Value.NONE; c = heap.field(c, 1)) {
            if (heap.field(c, 0) != Value.ofInt(--n)) {
                throw new AssertionError("the canary list is damaged at " + n);
            }
        }
        if (n != 0) {
            throw new AssertionError("the canary list lost " + n + " cells");
        }
        long v = heap.alloc(0, Value.ofInt(1), Value.ofInt(2));
        if (heap.field(v, 1) != Value.ofInt(2)) {
            throw new AssertionError("a new block does not hold its fields");
        }
        heap.gc().minor();
        heap.verify();
        for (Kind k : Kind.values()) {
            if (!Value.isBlock(get(k))) {
                throw new AssertionError("the good " + k + " argument was lost");
            }
        }
    }

    @Override
    public void close() {
        if (!heap.isClosed()) {
            heap.close();
        }
    }
}
