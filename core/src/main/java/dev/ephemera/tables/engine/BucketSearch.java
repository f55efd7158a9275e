package dev.ephemera.tables.engine;

import dev.ephemera.Heap;
import dev.ephemera.RootStack;
import dev.ephemera.object.Value;
import dev.ephemera.tables.GenHashTable;
import dev.ephemera.tables.layout.TableLayout;

/**
 * The walks over the bucket of one key: {@code find}, {@code find_opt}, {@code mem},
 * {@code find_all} (which never modify the table, as in OCaml, so they may run during an
 * iteration) and {@code remove}. Each compares the stored hash bits first, and calls the
 * hashed type's equality (client code, which may allocate) only on a match: the walk keeps its
 * cell in a root slot across the call, and compares the table's stamp after it.
 */
final class BucketSearch {
    private final ChainedTable engine;
    private final Heap heap;
    private final RootStack roots;

    BucketSearch(ChainedTable engine) {
        this.engine = engine;
        this.heap = engine.heap;
        this.roots = engine.roots;
    }

    /**
     * {@code find}/{@code find_opt} ({@link ChainedTable.Lookup#FIRST_DATA}: returns the data or
     * NONE) and {@code mem} ({@link ChainedTable.Lookup#MEMBERSHIP}: returns {@code Value.TRUE} or
     * {@code FALSE}), or {@code find_all} ({@link ChainedTable.Lookup#ALL_DATA}: fills
     * {@code all[0]}): the cells with the key's hash whose container is equal to the key and holds
     * data, most recent first. Dead cells are skipped, not removed.
     */
    long lookup(Op op, Containers c, int frame, int keyCount, ChainedTable.Lookup what, long[][] all) {
        int tSlot = ChainedTable.frameTable(frame);
        int keyBase = ChainedTable.frameKeys(frame);
        int mark = roots.mark();
        try {
            long t = roots.get(tSlot);
            long stamp = ModificationGuard.TABLES.stamp(heap, t);
            Object hashed = ChainedTable.hashed(heap, roots, engine.boxHashed, t);
            long hash = c.hash(heap, hashed, TableFields.seed(heap, t), roots, keyBase, keyCount); // calls out
            t = engine.reload(op, tSlot, stamp, "the hashed type's hash function");
            long hashWord = TableLayout.hashWord(hash, 0);
            long buckets = TableFields.buckets(heap, t);
            int cellSlot = roots.push(heap.field(buckets, TableLayout.bucketIndex(hash, heap.size(buckets))));
            int results = roots.mark(); // find_all: the data found so far, rooted, from here up
            while (roots.get(cellSlot) != Value.NONE) {
                long cell = roots.get(cellSlot);
                if (TableLayout.sameHash(TableFields.hashWord(heap, cell), hashWord)) {
                    GenHashTable.Equal e = c.equal(heap, hashed, roots, cellSlot, keyBase, keyCount); // calls out
                    engine.reload(op, tSlot, stamp, "the hashed type's equality");
                    if (e == GenHashTable.Equal.TRUE) {
                        if (what == ChainedTable.Lookup.MEMBERSHIP) {
                            return Value.TRUE;
                        }
                        if (what == ChainedTable.Lookup.FIRST_DATA) {
                            long d = c.data(heap, hashed, roots, cellSlot);
                            engine.reload(op, tSlot, stamp, "the container's accessors");
                            if (d != Value.NONE) {
                                return d;
                            }
                            roots.set(cellSlot, TableFields.next(heap, roots.get(cellSlot)));
                            continue;
                        }
                        int binding = roots.mark();
                        int keys = c.pushBinding(heap, hashed, roots, cellSlot);
                        engine.reload(op, tSlot, stamp, "the container's accessors");
                        if (keys >= 0) {
                            long d = roots.get(binding + keys);
                            roots.popTo(binding);
                            roots.push(d);
                        }
                    }
                }
                roots.set(cellSlot, TableFields.next(heap, roots.get(cellSlot)));
            }
            if (all != null) {
                long[] found = new long[roots.mark() - results];
                for (int i = 0; i < found.length; i++) {
                    found[i] = roots.get(results + i);
                }
                all[0] = found;
            }
            return what == ChainedTable.Lookup.MEMBERSHIP ? Value.FALSE : Value.NONE;
        } finally {
            roots.popTo(mark);
        }
    }

    /**
     * {@code remove}: unlinks the most recent binding of the key in {@code frame} (the table, then
     * its keys), and the dead cells met on the way (built-in kinds, whose liveness test never
     * calls out, offering them to the free list); does nothing if there is none.
     */
    void remove(Op op, Containers c, int frame, int keyCount) {
        int tSlot = ChainedTable.frameTable(frame);
        int keyBase = ChainedTable.frameKeys(frame);
        int mark = roots.mark();
        try {
            long t = roots.get(tSlot);
            long stamp = ModificationGuard.TABLES.beginModify(heap, op, t);
            Object hashed = ChainedTable.hashed(heap, roots, engine.boxHashed, t);
            long hash = c.hash(heap, hashed, TableFields.seed(heap, t), roots, keyBase, keyCount); // calls out
            t = engine.reload(op, tSlot, stamp, "the hashed type's hash function");
            long hashWord = TableLayout.hashWord(hash, 0);
            boolean purgeOthers = c.recyclable(); // their alive test never calls out
            boolean recycle = purgeOthers && !TableFields.isShared(TableFields.state(heap, t));
            int prevSlot = roots.push(Value.NONE);
            int cellSlot = roots.push(Value.NONE);
            long buckets = TableFields.buckets(heap, t);
            int i = TableLayout.bucketIndex(hash, heap.size(buckets));
            long prev = Value.NONE;
            long cell = heap.field(buckets, i);
            boolean changed = false;
            try {
                while (cell != Value.NONE) {
                    boolean drop;
                    boolean found = false;
                    if (TableLayout.sameHash(TableFields.hashWord(heap, cell), hashWord)) {
                        roots.set(prevSlot, prev);
                        roots.set(cellSlot, cell);
                        GenHashTable.Equal e = c.equal(heap, hashed, roots, cellSlot, keyBase, keyCount); // calls out
                        t = engine.reload(op, tSlot, stamp, "the hashed type's equality");
                        prev = roots.get(prevSlot);
                        cell = roots.get(cellSlot);
                        found = e == GenHashTable.Equal.TRUE;
                        drop = e != GenHashTable.Equal.FALSE;
                    } else {
                        drop = purgeOthers && !c.alive(heap, hashed, cell);
                    }
                    long next = TableFields.next(heap, cell);
                    if (drop) {
                        TableFields.unlink(heap, TableFields.buckets(heap, t), i, prev, next);
                        TableFields.addSize(heap, t, -1);
                        changed = true;
                        if (found) {
                            return;
                        }
                        if (recycle) {
                            FreeList.offer(heap, t, c, cell);
                        }
                    } else {
                        prev = cell;
                    }
                    cell = next;
                }
            } finally {
                if (changed) {
                    ModificationGuard.TABLES.touch(heap, op, roots.get(tSlot));
                }
            }
        } finally {
            roots.popTo(mark);
        }
    }
}
