package dev.ephemera.tables.engine;

import dev.ephemera.Heap;
import dev.ephemera.RootStack;
import dev.ephemera.object.Value;
import dev.ephemera.tables.layout.TableLayout;

/**
 * Unlinking dead cells from every bucket: OCaml's {@code clean}, and what this engine adds to it —
 * <em>purge on observation</em>. An operation that observes the set of bindings (an iteration,
 * the live count, a cursor, a snapshot) first compares the heap's collection count with the one
 * the table recorded at its last purge ({@link TableLayout#PURGED_AT_FIELD}); if a collection
 * happened since, it unlinks the dead cells, once. Until the next collection the table then holds
 * no dead cell and its size is exact. Purging is not a modification (the stamp is unchanged): it
 * only unlinks cells, whose {@code next} pointers stay valid, so a suspended cursor can still step
 * over them.
 *
 * <p>Built-in containers die only at a collection and are tested without calling out, so their
 * purge is one pass over raw pointers ({@link #unlinkDeadBuiltIn}); a generic container's
 * {@code check_key} is client code, which may allocate, so that purge keeps its place in root
 * slots ({@link #unlinkDeadGeneric}).
 */
final class Purge {
    private final ChainedTable engine;
    private final Heap heap;
    private final RootStack roots;

    Purge(ChainedTable engine) {
        this.engine = engine;
        this.heap = engine.heap;
        this.roots = engine.roots;
    }

    /**
     * Unlinks dead cells if a collection happened since the last purge and no callback iteration
     * is running; afterwards, until the next collection, the size is exact. Returns true if the
     * table is purged (size exact).
     */
    boolean purge(Op op, int tSlot) {
        long t = roots.get(tSlot);
        if (TableFields.purgedAt(heap, t) == engine.clock.collections()) {
            return true;
        }
        if (ModificationGuard.isIterating(TableFields.state(heap, t))) {
            return false;
        }
        unlinkDead(op, tSlot, Containers.of(TableFields.kind(heap, t)), engine.hashed(t));
        return TableFields.purgedAt(heap, roots.get(tSlot)) == engine.clock.collections();
    }

    /** {@code clean}: unlinks every dead cell now. */
    void clean(Op op, int tSlot) {
        long t = roots.get(tSlot);
        ModificationGuard.TABLES.beginModify(heap, op, t);
        unlinkDead(op, tSlot, Containers.of(TableFields.kind(heap, t)), engine.hashed(t));
        ModificationGuard.TABLES.touch(heap, op, roots.get(tSlot));
    }

    /**
     * Unlinks every dead cell, decrementing the size, and offers each to the free list; records
     * the collection count, so that the table counts as purged. {@code op} is the operation it
     * is part of, named if a client's {@code check_key} modifies the table.
     */
    void unlinkDead(Op op, int tSlot, Containers c, Object hashed) {
        if (c.recyclable()) {
            unlinkDeadBuiltIn(tSlot, c, hashed);
        } else {
            unlinkDeadGeneric(op, tSlot, c, hashed);
        }
    }

    /**
     * For built-in containers, whose {@code alive} and {@code release} neither allocate nor call
     * out: raw pointers stay valid throughout, so nothing is rooted, and the table's fields are
     * written once at the end. A run of dead cells is unlinked with one store (after a growth
     * collection a whole bucket is usually dead), and each dead cell goes to the free list while
     * it has room, as {@link FreeList#offer}.
     */
    private void unlinkDeadBuiltIn(int tSlot, Containers c, Object hashed) {
        long t = roots.get(tSlot);
        long collections = engine.clock.collections();
        long buckets = TableFields.buckets(heap, t);
        int n = heap.size(buckets);
        boolean recycle = !TableFields.isShared(TableFields.state(heap, t)) && c.arity() >= 0;
        long freeHead = TableFields.freeList(heap, t);
        long freeCount = TableFields.freeCount(heap, t);
        long removed = 0;
        for (int i = 0; i < n; i++) {
            long prev = Value.NONE; // the last live cell of the bucket so far
            boolean skipped = false; // dead cells follow prev (or start the bucket)
            for (long cell = heap.field(buckets, i); cell != Value.NONE; ) {
                long next = TableFields.next(heap, cell);
                if (c.alive(heap, hashed, cell)) {
                    if (skipped) {
                        TableFields.unlink(heap, buckets, i, prev, cell);
                        skipped = false;
                    }
                    prev = cell;
                } else {
                    skipped = true;
                    removed++;
                    if (recycle && freeCount < FreeList.capacity(n)) {
                        c.release(heap, cell);
                        TableFields.setNext(heap, cell, freeHead);
                        freeHead = cell;
                        freeCount++;
                    }
                }
                cell = next;
            }
            if (skipped) {
                TableFields.unlink(heap, buckets, i, prev, Value.NONE);
            }
        }
        TableFields.setFreeList(heap, t, freeHead, freeCount);
        TableFields.setSize(heap, t, TableFields.size(heap, t) - removed);
        TableFields.setPurgedAt(heap, t, collections);
    }

    /**
     * For generic containers, whose {@code check_key} is client code: the walk keeps its place in
     * root slots across each call, and compares the table's stamp after it, as a search does — a
     * {@code check_key} that modified the table (unlinked the cell the walk stands on, or the one
     * before it) would leave the walk relinking cells that are no longer there, so {@code op}
     * raises {@link java.util.ConcurrentModificationException} instead, with the table as the
     * modification left it. The table counts as purged only if no collection happened during the
     * walk. Dead generic containers are never recycled.
     */
    private void unlinkDeadGeneric(Op op, int tSlot, Containers c, Object hashed) {
        int mark = roots.mark();
        try {
            long collections = engine.clock.collections();
            long stamp = ModificationGuard.TABLES.stamp(heap, roots.get(tSlot));
            int prevSlot = roots.push(Value.NONE);
            int cellSlot = roots.push(Value.NONE);
            long n = TableFields.bucketCount(heap, roots.get(tSlot));
            for (int i = 0; i < n; i++) {
                long prev = Value.NONE;
                long cell = heap.field(TableFields.buckets(heap, roots.get(tSlot)), i);
                while (cell != Value.NONE) {
                    roots.set(prevSlot, prev);
                    roots.set(cellSlot, cell);
                    boolean alive = c.alive(heap, hashed, cell); // calls out
                    engine.reload(op, tSlot, stamp, "the container's check_key");
                    prev = roots.get(prevSlot);
                    cell = roots.get(cellSlot);
                    long next = TableFields.next(heap, cell);
                    if (alive) {
                        prev = cell;
                    } else {
                        long t = roots.get(tSlot);
                        TableFields.unlink(heap, TableFields.buckets(heap, t), i, prev, next);
                        TableFields.addSize(heap, t, -1); // a client may hold its containers: never recycled
                    }
                    cell = next;
                }
            }
            if (engine.clock.collections() == collections) {
                TableFields.setPurgedAt(heap, roots.get(tSlot), collections);
            }
        } finally {
            roots.popTo(mark);
        }
    }
}
