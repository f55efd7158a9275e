package dev.ephemera.tables.engine;

import dev.ephemera.Heap;
import dev.ephemera.object.Value;
import dev.ephemera.tables.layout.TableLayout;

/**
 * A table's free list ({@link TableLayout#FREE_FIELD}): dead cells unlinked from the buckets and
 * kept, so that an insertion refills one instead of allocating a cell and its container.
 *
 * <p>Invariants (checked by {@link TableValidator}): the list is chained through the cells' NEXT
 * fields and holds {@link TableLayout#FREE_COUNT_FIELD} cells, at most {@link #capacity} — two
 * per bucket, the most live cells a table holds before it grows; no cell is both here and in a
 * bucket; every cell here is dead, and its strong parts were cleared ({@link Containers#release})
 * so that it keeps nothing alive; only kinds whose containers can be recycled have one.
 */
final class FreeList {
    private FreeList() {}

    /** The most cells a table of {@code bucketCount} buckets keeps. */
    static long capacity(int bucketCount) {
        return 2L * bucketCount;
    }

    /** True if dead cells of kind {@code c} go to the free list: recyclable and of fixed arity. */
    static boolean keeps(Containers c) {
        return c.recyclable() && c.arity() >= 0;
    }

    /** Keeps a dead cell (already unlinked) for reuse, if the list has room. */
    static void offer(Heap heap, long t, Containers c, long cell) {
        if (TableFields.freeCount(heap, t) < capacity(TableFields.bucketCount(heap, t)) && c.arity() >= 0) {
            push(heap, t, c, cell);
        }
    }

    /** {@link #offer} when the caller knows there is room. */
    static void push(Heap heap, long t, Containers c, long cell) {
        c.release(heap, cell);
        TableFields.setNext(heap, cell, TableFields.freeList(heap, t));
        TableFields.setFreeList(heap, t, cell, TableFields.freeCount(heap, t) + 1);
    }

    /** Takes a cell from the list, or returns NONE. */
    static long pop(Heap heap, long t) {
        long cell = TableFields.freeList(heap, t);
        if (cell != Value.NONE) {
            TableFields.setFreeList(heap, t, TableFields.next(heap, cell), TableFields.freeCount(heap, t) - 1);
        }
        return cell;
    }

    /** Forgets every cell ({@code clear}, {@code reset}). */
    static void drop(Heap heap, long t) {
        TableFields.setFreeList(heap, t, Value.NONE, 0);
    }
}
