package dev.ephemera.tables.engine;

import dev.ephemera.Heap;
import dev.ephemera.object.Value;
import dev.ephemera.tables.layout.TableLayout;

/**
 * The fields of a table block and of its cells ({@link TableLayout}), read and written by name:
 * immediates are untagged on the way out and tagged on the way in. Every method is a field access
 * or two, small enough to be inlined; none allocates.
 */
public final class TableFields {
    private final Heap heap;

    TableFields(Heap heap) {
        this.heap = heap;
    }

    private long intField(long t, int field) {
        return Value.intOf(heap.field(t, field));
    }

    private void setIntField(long t, int field, long n) {
        heap.setField(t, field, Value.ofInt(n));
    }

    /** The table's kind ({@link TableLayout#KIND_K1} ...). */
    public int kind(long t) {
        return (int) intField(t, TableLayout.KIND_FIELD);
    }

    /** OCaml's {@code h.size}: the cells in the buckets. */
    public long size(long t) {
        return intField(t, TableLayout.SIZE_FIELD);
    }

    void setSize(long t, long size) {
        setIntField(t, TableLayout.SIZE_FIELD, size);
    }

    void addSize(long t, long delta) {
        setSize(t, size(t) + delta);
    }

    /** The bucket array. */
    public long buckets(long t) {
        return heap.field(t, TableLayout.BUCKETS_FIELD);
    }

    /** The number of buckets. */
    public int bucketCount(long t) {
        return heap.size(buckets(t));
    }

    void setBuckets(long t, long buckets) {
        heap.setField(t, TableLayout.BUCKETS_FIELD, buckets);
    }

    /** The seed the hashed type is given. */
    public int seed(long t) {
        return (int) intField(t, TableLayout.SEED_FIELD);
    }

    /** The bucket count at creation. */
    public int initialSize(long t) {
        return (int) intField(t, TableLayout.INITIAL_SIZE_FIELD);
    }

    /** The STATE word: flags and running iterations. */
    public long state(long t) {
        return intField(t, TableLayout.STATE_FIELD);
    }

    void setState(long t, long state) {
        setIntField(t, TableLayout.STATE_FIELD, state);
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
    public long purgedAt(long t) {
        return intField(t, TableLayout.PURGED_AT_FIELD);
    }

    void setPurgedAt(long t, long collections) {
        setIntField(t, TableLayout.PURGED_AT_FIELD, collections);
    }

    /** The first cell of the free list, or NONE. */
    public long freeList(long t) {
        return heap.field(t, TableLayout.FREE_FIELD);
    }

    /** The number of cells in the free list. */
    public long freeCount(long t) {
        return intField(t, TableLayout.FREE_COUNT_FIELD);
    }

    void setFreeList(long t, long head, long count) {
        heap.setField(t, TableLayout.FREE_FIELD, head);
        setIntField(t, TableLayout.FREE_COUNT_FIELD, count);
    }

    // ---------------------------------------------------------------- cells

    /** The cell's HASH word (hash and epoch). */
    public long hashWord(long cell) {
        return heap.field(cell, TableLayout.HASH_FIELD);
    }

    void setHashWord(long cell, long word) {
        heap.setField(cell, TableLayout.HASH_FIELD, word);
    }

    /** The 32 hash bits of the cell's key. */
    public long cellHash(long cell) {
        return TableLayout.hashOf(hashWord(cell));
    }

    /** The next cell, or NONE. */
    public long next(long cell) {
        return heap.field(cell, TableLayout.NEXT_FIELD);
    }

    void setNext(long cell, long next) {
        heap.setField(cell, TableLayout.NEXT_FIELD, next);
    }

    /** Makes {@code next} follow {@code prev} in bucket {@code i} ({@code prev} NONE: the bucket's head). */
    void unlink(long buckets, int i, long prev, long next) {
        if (prev == Value.NONE) {
            heap.setField(buckets, i, next);
        } else {
            setNext(prev, next);
        }
    }
}
