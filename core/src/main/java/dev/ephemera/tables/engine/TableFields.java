package dev.ephemera.tables.engine;

import dev.ephemera.Heap;
import dev.ephemera.object.Value;
import dev.ephemera.tables.layout.TableLayout;

/**
 * The fields of a table block and of its cells ({@link TableLayout}), read and written by name:
 * immediates are untagged on the way out and tagged on the way in. Every method is a field access
 * or two, small enough to be inlined; none allocates. They are static and take the heap, so that
 * a walk reaches a field through no more loads than {@code heap.field} itself: the table
 * operations are chains of dependent loads, and one more link in each costs (memo-table: ~10 %).
 */
public final class TableFields {
    private TableFields() {}

    private static long intField(Heap heap, long t, int field) {
        return Value.intOf(heap.field(t, field));
    }

    private static void setIntField(Heap heap, long t, int field, long n) {
        heap.setField(t, field, Value.ofInt(n));
    }

    /** The table's kind ({@link TableLayout#KIND_K1} ...). */
    public static int kind(Heap heap, long t) {
        return (int) intField(heap, t, TableLayout.KIND_FIELD);
    }

    /** OCaml's {@code h.size}: the cells in the buckets. */
    public static long size(Heap heap, long t) {
        return intField(heap, t, TableLayout.SIZE_FIELD);
    }

    static void setSize(Heap heap, long t, long size) {
        setIntField(heap, t, TableLayout.SIZE_FIELD, size);
    }

    static void addSize(Heap heap, long t, long delta) {
        setSize(heap, t, size(heap, t) + delta);
    }

    /** The bucket array. */
    public static long buckets(Heap heap, long t) {
        return heap.field(t, TableLayout.BUCKETS_FIELD);
    }

    /** The number of buckets. */
    public static int bucketCount(Heap heap, long t) {
        return heap.size(buckets(heap, t));
    }

    static void setBuckets(Heap heap, long t, long buckets) {
        heap.setField(t, TableLayout.BUCKETS_FIELD, buckets);
    }

    /** The seed the hashed type is given. */
    public static int seed(Heap heap, long t) {
        return (int) intField(heap, t, TableLayout.SEED_FIELD);
    }

    /** The bucket count at creation. */
    public static int initialSize(Heap heap, long t) {
        return (int) intField(heap, t, TableLayout.INITIAL_SIZE_FIELD);
    }

    /** The STATE word: flags and running iterations. */
    public static long state(Heap heap, long t) {
        return intField(heap, t, TableLayout.STATE_FIELD);
    }

    static void setState(Heap heap, long t, long state) {
        setIntField(heap, t, TableLayout.STATE_FIELD, state);
    }

    /** True if some container of the table whose STATE is {@code state} is shared with another table. */
    public static boolean isShared(long state) {
        return (state & TableLayout.SHARED) != 0;
    }

    /** True if the table whose STATE is {@code state} refuses modifications. */
    public static boolean isImmutable(long state) {
        return (state & TableLayout.IMMUTABLE) != 0;
    }

    /** The collection count when dead cells were last unlinked. */
    public static long purgedAt(Heap heap, long t) {
        return intField(heap, t, TableLayout.PURGED_AT_FIELD);
    }

    static void setPurgedAt(Heap heap, long t, long collections) {
        setIntField(heap, t, TableLayout.PURGED_AT_FIELD, collections);
    }

    /** The first cell of the free list, or NONE. */
    public static long freeList(Heap heap, long t) {
        return heap.field(t, TableLayout.FREE_FIELD);
    }

    /** The number of cells in the free list. */
    public static long freeCount(Heap heap, long t) {
        return intField(heap, t, TableLayout.FREE_COUNT_FIELD);
    }

    static void setFreeList(Heap heap, long t, long head, long count) {
        heap.setField(t, TableLayout.FREE_FIELD, head);
        setIntField(heap, t, TableLayout.FREE_COUNT_FIELD, count);
    }

    // ---------------------------------------------------------------- cells

    /** The cell's HASH word (hash and epoch). */
    public static long hashWord(Heap heap, long cell) {
        return heap.field(cell, TableLayout.HASH_FIELD);
    }

    static void setHashWord(Heap heap, long cell, long word) {
        heap.setField(cell, TableLayout.HASH_FIELD, word);
    }

    /** The 32 hash bits of the cell's key. */
    public static long cellHash(Heap heap, long cell) {
        return TableLayout.hashOf(hashWord(heap, cell));
    }

    /** The next cell, or NONE. */
    public static long next(Heap heap, long cell) {
        return heap.field(cell, TableLayout.NEXT_FIELD);
    }

    static void setNext(Heap heap, long cell, long next) {
        heap.setField(cell, TableLayout.NEXT_FIELD, next);
    }

    /** Makes {@code next} follow {@code prev} in bucket {@code i} ({@code prev} NONE: the bucket's head). */
    static void unlink(Heap heap, long buckets, int i, long prev, long next) {
        if (prev == Value.NONE) {
            heap.setField(buckets, i, next);
        } else {
            setNext(heap, prev, next);
        }
    }
}
