package dev.ephemera.tables.engine;

import dev.ephemera.Heap;
import dev.ephemera.HeapExhaustedException;
import dev.ephemera.RootStack;
import dev.ephemera.object.Value;
import dev.ephemera.tables.layout.EntriesLayout;

/**
 * The walks over every bucket: {@code iter}/{@code fold}, {@code filter_map_inplace}, the
 * counts behind {@code length}/{@code stats}, and snapshots of the entries. Bindings are visited
 * in bucket order, then chain order (so several bindings of one key come most recent first).
 *
 * <p>A visitor is client code: it may allocate and read the table, but not modify it — the
 * table counts the iterations running on it ({@link ModificationGuard#enterIteration}), and a
 * modification raises before changing anything. The walk keeps its cell in a root slot, and
 * each binding's keys and data in a frame above it, across every visit.
 */
final class Iteration {
    private final ChainedTable engine;
    private final Heap heap;
    private final RootStack roots;

    Iteration(ChainedTable engine) {
        this.engine = engine;
        this.heap = engine.heap;
        this.roots = engine.roots;
    }

    /**
     * {@code iter}/{@code fold}: visits every live binding. Dead cells are unlinked first if a
     * collection happened since the last purge; cells that die during the iteration (the visitor
     * may allocate) are skipped.
     */
    void iterate(Op op, int tSlot, ChainedTable.Visitor visitor) {
        int mark = roots.mark();
        engine.purge.purge(op, tSlot);
        long t = roots.get(tSlot);
        Containers c = Containers.of(TableFields.kind(heap, t));
        Object hashed = engine.hashed(t);
        ModificationGuard.TABLES.enterIteration(heap, op, t);
        try {
            int bucketsSlot = roots.push(TableFields.buckets(heap, t));
            int cellSlot = roots.push(Value.NONE);
            int n = heap.size(roots.get(bucketsSlot));
            for (int i = 0; i < n; i++) {
                roots.set(cellSlot, heap.field(roots.get(bucketsSlot), i));
                while (roots.get(cellSlot) != Value.NONE) {
                    int binding = roots.mark();
                    int keys = c.pushBinding(heap, hashed, roots, cellSlot);
                    if (keys >= 0) {
                        visitor.visit(binding, keys);
                    }
                    roots.popTo(binding);
                    roots.set(cellSlot, TableFields.next(heap, roots.get(cellSlot)));
                }
            }
        } finally {
            ModificationGuard.TABLES.exitIteration(heap, roots.get(tSlot));
            roots.popTo(mark);
        }
    }

    /**
     * {@code filter_map_inplace}: each live binding gets the mapper's new data (stored with
     * {@code set_key_data}, so a shared container sees it) or is dropped if the mapper returns
     * NONE; dead cells are dropped. Unlike OCaml 4.14, the size is decremented for every dropped
     * cell (OCaml never decrements it here, so its {@code length} stays too high).
     */
    void filterMapInplace(Op op, int tSlot, ChainedTable.Mapper mapper) {
        int mark = roots.mark();
        long t = roots.get(tSlot);
        ModificationGuard.TABLES.beginModify(heap, op, t);
        Containers c = Containers.of(TableFields.kind(heap, t));
        Object hashed = engine.hashed(t);
        ModificationGuard.TABLES.enterIteration(heap, op, t);
        try {
            int prevSlot = roots.push(Value.NONE);
            int cellSlot = roots.push(Value.NONE);
            int n = TableFields.bucketCount(heap, t);
            for (int i = 0; i < n; i++) {
                long prev = Value.NONE;
                long cell = heap.field(TableFields.buckets(heap, roots.get(tSlot)), i);
                while (cell != Value.NONE) {
                    roots.set(prevSlot, prev);
                    roots.set(cellSlot, cell);
                    int binding = roots.mark();
                    int keys = c.pushBinding(heap, hashed, roots, cellSlot);
                    boolean drop = keys < 0;
                    if (!drop) {
                        long data = mapper.map(binding, keys); // calls out
                        drop = data == Value.NONE;
                        if (!drop) {
                            int dataSlot = roots.push(data);
                            c.setKeyData(heap, hashed, roots, cellSlot, binding, keys, dataSlot);
                        }
                    }
                    roots.popTo(binding);
                    prev = roots.get(prevSlot);
                    cell = roots.get(cellSlot);
                    long next = TableFields.next(heap, cell);
                    if (drop) {
                        t = roots.get(tSlot);
                        TableFields.unlink(heap, TableFields.buckets(heap, t), i, prev, next);
                        TableFields.addSize(heap, t, -1);
                    } else {
                        prev = cell;
                    }
                    cell = next;
                }
            }
        } finally {
            ModificationGuard.TABLES.exitIteration(heap, roots.get(tSlot));
            ModificationGuard.TABLES.touch(heap, op, roots.get(tSlot));
            roots.popTo(mark);
        }
    }

    /**
     * Counts the cells of every bucket, all of them or only the live ones ({@code aliveOnly});
     * fills {@code lengths} (one per bucket) if not null. Returns the total. Never modifies the
     * table.
     */
    long count(int tSlot, boolean aliveOnly, int[] lengths) {
        int mark = roots.mark();
        try {
            long t = roots.get(tSlot);
            Containers c = Containers.of(TableFields.kind(heap, t));
            Object hashed = engine.hashed(t);
            int cellSlot = roots.push(Value.NONE);
            int n = TableFields.bucketCount(heap, t);
            long total = 0;
            for (int i = 0; i < n; i++) {
                int length = 0;
                roots.set(cellSlot, heap.field(TableFields.buckets(heap, roots.get(tSlot)), i));
                while (roots.get(cellSlot) != Value.NONE) {
                    if (!aliveOnly || c.alive(heap, hashed, roots.get(cellSlot))) {
                        length++;
                    }
                    roots.set(cellSlot, TableFields.next(heap, roots.get(cellSlot)));
                }
                if (lengths != null) {
                    lengths[i] = length;
                }
                total += length;
            }
            return total;
        } finally {
            roots.popTo(mark);
        }
    }

    /**
     * The live bindings, copied into new blocks of tag {@code tag}: one with the keys and one
     * with the values, in iteration order, returned in an {@link EntriesLayout} block. Both are
     * allocated before they are filled, and again if a collection during the allocation killed
     * bindings, so they always have the same length and no empty slot. For single-key tables.
     */
    long snapshot(Op op, int tSlot, int tag) {
        int mark = roots.mark();
        try {
            while (true) {
                long expected = engine.liveLength(op, tSlot);
                int keysSlot = roots.push(heap.allocBlock(tag, (int) expected));
                int valuesSlot = roots.push(heap.allocBlock(tag, (int) expected));
                if (engine.liveLength(op, tSlot) != expected) {
                    roots.popTo(keysSlot);
                    continue; // a collection killed bindings while we allocated
                }
                long[] filled = {0};
                long before = engine.clock.collections();
                iterate(op, tSlot, (keyBase, keyCount) -> {
                    int i = (int) filled[0]++;
                    if (i < expected) {
                        heap.setField(roots.get(keysSlot), i, roots.get(keyBase));
                        heap.setField(roots.get(valuesSlot), i, roots.get(keyBase + keyCount));
                    }
                });
                if (filled[0] != expected || engine.clock.collections() != before) {
                    roots.popTo(keysSlot);
                    continue; // a client container allocated and a collection happened
                }
                // the fields in EntriesLayout's order: KEYS, VALUES
                return heap.alloc(EntriesLayout.TAG, roots.get(keysSlot), roots.get(valuesSlot));
            }
        } catch (HeapExhaustedException e) {
            throw Failures.exhausted(op, e);
        } finally {
            roots.popTo(mark);
        }
    }
}
