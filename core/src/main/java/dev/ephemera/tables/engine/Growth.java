package dev.ephemera.tables.engine;

import dev.ephemera.Heap;
import dev.ephemera.RootStack;
import dev.ephemera.object.Value;
import dev.ephemera.tables.layout.TableLayout;

/**
 * The resize policy: OCaml's — after an insertion, if {@code size > 2 × buckets}, drop the dead
 * cells, then double the buckets if the table is still at least half full; never shrink — with
 * one addition, <em>collecting before growing</em>.
 *
 * <p>A weak table cannot know a key died until a collection says so, so a memo table whose keys
 * die young grows with everything inserted since the last collection, and a table twice as
 * large as its live bindings costs cache misses on every later operation. So before doubling,
 * the young generation is collected first (without running finalisers: an insertion is not a
 * safe point) when {@link #worthCollectingYoung} says so, and the dead cells unlinked again;
 * the table usually need not grow at all (memo-table, N = 10^6: 4K buckets instead of 64K,
 * ~25% faster). A table whose keys live grows exactly as OCaml's, paying at most one extra minor
 * collection per doubling.
 */
final class Growth {
    /** The largest bucket array: OCaml's {@code Sys.max_array_length}, as a power of two. */
    static final int MAX_BUCKETS = 1 << 30;
    /** The smallest bucket array: OCaml's {@code create} rounds up to a power of two from 16. */
    static final int MIN_BUCKETS = 16;

    private final ChainedTable engine;
    private final Heap heap;
    private final RootStack roots;

    Growth(ChainedTable engine) {
        this.engine = engine;
        this.heap = engine.heap;
        this.roots = engine.roots;
    }

    /** OCaml's {@code power_2_above 16 n}: the bucket count of {@code create n}. */
    static int bucketsFor(int n) {
        long x = MIN_BUCKETS;
        while (x < n && x * 2 <= MAX_BUCKETS) {
            x *= 2;
        }
        return (int) x;
    }

    /** True if a table of {@code size} cells in {@code bucketCount} buckets has reached OCaml's resize point. */
    static boolean isOverfull(long size, int bucketCount) {
        return size > 2L * bucketCount;
    }

    /**
     * OCaml's {@code resize}, called when the table in {@code tSlot} is overfull: unlinks dead
     * cells, collects the young generation first if worth it, then doubles the buckets if the
     * table is still at least half full, relinking the cells (no allocation but the new array;
     * the order within each bucket kept).
     */
    void resize(Op op, int tSlot, Containers c, Object hashed) {
        long t = roots.get(tSlot);
        // A built-in container dies only at a collection: if none happened since the last purge,
        // the purge would find nothing. (A generic container's check_key may turn false at any time.)
        if (!c.recyclable() || TableFields.purgedAt(heap, t) != engine.clock.collections()) {
            engine.purge.unlinkDead(op, tSlot, c, hashed);
            t = roots.get(tSlot);
        }
        int osize = TableFields.bucketCount(heap, t);
        long nsize = 2L * osize;
        if (nsize <= MAX_BUCKETS && TableFields.size(heap, t) >= osize / 2 && worthCollectingYoung()) {
            heap.gc().minorWithoutFinalisers(ChainedTable.GROWTH_COLLECTION);
            engine.purge.unlinkDead(op, tSlot, c, hashed);
            t = roots.get(tSlot);
        }
        if (nsize <= MAX_BUCKETS && TableFields.size(heap, t) >= osize / 2) {
            long fresh = heap.allocArray((int) nsize, Value.NONE);
            relink(roots.get(tSlot), fresh, osize);
        }
    }

    /**
     * Moves every cell of the table's {@code osize} buckets into {@code fresh}, twice as long:
     * bucket i splits into buckets i and i + osize by the next hash bit, each keeping its order.
     * The old array is emptied as it goes: it is garbage from now on, but if it is old a minor
     * collection takes it for alive, and what its buckets still pointed to — every cell, and
     * what a strong table's cells hold — would outlive the table until the next major one.
     */
    private void relink(long t, long fresh, int osize) {
        int nsize = 2 * osize;
        long old = TableFields.buckets(heap, t);
        for (int i = 0; i < osize; i++) {
            long lowTail = Value.NONE;
            long highTail = Value.NONE;
            long first = heap.field(old, i);
            heap.setField(old, i, Value.NONE);
            for (long cell = first; cell != Value.NONE; cell = TableFields.next(heap, cell)) {
                if (TableLayout.bucketIndex(TableFields.cellHash(heap, cell), nsize) == i) {
                    if (lowTail == Value.NONE) {
                        heap.setField(fresh, i, cell);
                    } else {
                        TableFields.setNext(heap, lowTail, cell);
                    }
                    lowTail = cell;
                } else {
                    if (highTail == Value.NONE) {
                        heap.setField(fresh, i + osize, cell);
                    } else {
                        TableFields.setNext(heap, highTail, cell);
                    }
                    highTail = cell;
                }
            }
            if (lowTail != Value.NONE) {
                TableFields.setNext(heap, lowTail, Value.NONE);
            }
            if (highTail != Value.NONE) {
                TableFields.setNext(heap, highTail, Value.NONE);
            }
        }
        TableFields.setBuckets(heap, t, fresh);
    }

    /**
     * Whether a table about to double should have the young generation collected first: when the
     * nursery is at least an eighth full. That bounds the cost: such a collection comes after at
     * least an eighth of a nursery of allocation, so it at most multiplies the rate of minor
     * collections by eight, and only while a table keeps reaching its doubling point — for a memo
     * table that point stays put, and the table's collections replace the regular ones.
     * (memo-table, N = 10^6, nursery fraction 1/2, 1/4, 1/8, 1/16: 335, 300, 265, 260 ms.)
     */
    private boolean worthCollectingYoung() {
        return 8 * heap.gc().minorHeapUsedWords() >= heap.gc().minorHeapWords();
    }
}
