package dev.ephemera.tables.engine;

import dev.ephemera.Heap;
import dev.ephemera.HeapExhaustedException;
import dev.ephemera.object.Value;
import dev.ephemera.tables.GenHashTable;
import dev.ephemera.tables.layout.TableLayout;

/**
 * {@code add} and {@code replace}: one walk of the key's bucket, then the binding is stored —
 * in the container of the binding it replaces, in a dead cell refilled, in a cell from the free
 * list, or in a new cell — and the table grows if it reached its resize point.
 *
 * <h2>The walk</h2>
 * {@code replace} compares the key with every cell of the same hash and refills the first equal
 * one in place. Both walk for dead cells too (a table whose containers cannot be recycled —
 * generic ones, or shared with an OCaml {@code copy} — only where {@code replace} compares): the
 * first dead cell that can take the binding is kept (replace refills it where it is — no live
 * binding of the key is in the bucket, so its place does not matter; add moves it to the head);
 * the other dead cells go to the free list while it has room, or stay for a later insertion to
 * refill. A cell filled since the last collection cannot be dead ({@link TableLayout}'s epoch),
 * so its container is not read. {@code add} without recycling does not walk: OCaml's add does
 * not compare keys.
 *
 * <h2>Calls out</h2>
 * The hash, the equality and a generic container's {@code create} are client code: they may
 * allocate, which moves every young block and so invalidates every raw pointer the walk holds,
 * and may try to modify the table. So: before a call out, what the walk holds (the cell, its
 * predecessor) is put in root slots and the size is written back (the call may throw); after it,
 * {@link ChainedTable#reload} reads the table again from its slot and compares its stamp with the
 * one read on entry, and the walk reads its cells back. Between two calls out, raw pointers and
 * the table's fields are kept in locals: nothing else can change them (no finaliser runs inside a
 * table operation: allocation is not a safe point there).
 */
final class Insertion {
    private final ChainedTable engine;
    private final Heap heap;
    private final RootStack roots;
    private final TableFields fields;

    Insertion(ChainedTable engine) {
        this.engine = engine;
        this.heap = engine.heap;
        this.roots = engine.roots;
        this.fields = engine.fields;
    }

    /**
     * {@code add} (when {@code replace} is false) or {@code replace} of the binding in root frame
     * {@code frame} ({@link ChainedTable#frameTable}: the table, {@code keyCount} keys, the data).
     */
    void insert(Op op, int frame, int keyCount, boolean replace) {
        int tSlot = ChainedTable.frameTable(frame);
        int keyBase = ChainedTable.frameKeys(frame);
        int dataSlot = ChainedTable.frameData(frame, keyCount);
        int mark = roots.mark();
        heap.gc().beginNoSafePoints(); // no finaliser may change the table while this changes it
        try {
            long t = roots.get(tSlot);
            engine.guard.checkModifiable(op, fields.state(t));
            long stamp = engine.guard.stamp(t);
            Containers c = Containers.of(fields.kind(t));
            Object hashed = engine.hashed(t);
            long hash = c.hash(heap, hashed, fields.seed(t), roots, keyBase, keyCount); // calls out
            t = engine.reload(op, tSlot, stamp, "the hashed type's hash function");
            boolean recycle = recycles(c, t);
            int bucketCount = fields.bucketCount(t);
            long hashWord = TableLayout.hashWord(hash, engine.clock.epoch());
            int candidateSlot = roots.push(Value.NONE); // a dead cell to refill, once found
            long size = fields.size(t);
            if (replace || recycle) {
                size = walk(op, frame, keyCount, replace, hashWord, candidateSlot);
                if (size < 0) {
                    return; // replaced in place
                }
            }
            long cell = roots.get(candidateSlot);
            if (cell != Value.NONE && replace) {
                // refill the dead cell in place; built-in containers never call out here
                c.setKeyData(heap, hashed, roots, candidateSlot, keyBase, keyCount, dataSlot);
                fields.setHashWord(cell, hashWord);
                t = roots.get(tSlot);
                fields.setSize(t, size);
                engine.guard.touchAfter(op, t, stamp);
                return;
            }
            if (cell == Value.NONE && recycle && c.arity() >= 0) {
                cell = engine.freeList.pop(roots.get(tSlot));
                roots.set(candidateSlot, cell);
            }
            if (cell != Value.NONE) {
                c.setKeyData(heap, hashed, roots, candidateSlot, keyBase, keyCount, dataSlot);
                fields.setHashWord(cell, hashWord);
            } else {
                fields.setSize(roots.get(tSlot), size); // before calling out
                cell = newCell(op, frame, keyCount, stamp, hash);
            }
            // link the cell at the head of its bucket
            t = roots.get(tSlot);
            long buckets = fields.buckets(t);
            int i = TableLayout.bucketIndex(hash, bucketCount);
            fields.setNext(cell, heap.field(buckets, i));
            heap.setField(buckets, i, cell);
            size++;
            fields.setSize(t, size);
            engine.guard.touchAfter(op, t, stamp);
            if (Growth.isOverfull(size, bucketCount)) {
                engine.growth.resize(op, tSlot, c, hashed);
            }
        } catch (HeapExhaustedException e) {
            throw Failures.exhausted(op, e);
        } finally {
            heap.gc().endNoSafePoints();
            roots.popTo(mark);
        }
    }

    /** True if dead cells of table {@code t}, of kind {@code c}, may be refilled: never when shared. */
    private boolean recycles(Containers c, long t) {
        return c.recyclable() && !TableFields.isShared(fields.state(t));
    }

    /**
     * Walks the bucket of {@code hashWord}'s hash (see the class comment), comparing keys if
     * {@code replace}. Returns the table's size after the walk's unlinks, or -1 if {@code replace}
     * found the key's binding and refilled it (the operation is done); leaves the dead cell to
     * refill, if any, in {@code candidateSlot}.
     */
    private long walk(Op op, int frame, int keyCount, boolean replace, long hashWord, int candidateSlot) {
        int tSlot = ChainedTable.frameTable(frame);
        int keyBase = ChainedTable.frameKeys(frame);
        int prevSlot = roots.push(Value.NONE);
        int cellSlot = roots.push(Value.NONE);
        long t = roots.get(tSlot);
        long stamp = engine.guard.stamp(t); // unchanged since the operation began (checked after the hash)
        Containers c = Containers.of(fields.kind(t));
        Object hashed = engine.hashed(t);
        boolean recycle = recycles(c, t);
        long size = fields.size(t);
        long buckets = fields.buckets(t);
        int i = TableLayout.bucketIndex(TableLayout.hashOf(hashWord), heap.size(buckets));
        long epoch = TableLayout.epochOf(hashWord);
        long freeRoom = recycle && FreeList.keeps(c) ? FreeList.capacity(heap.size(buckets)) - fields.freeCount(t) : 0;
        long prev = Value.NONE;
        long cell = heap.field(buckets, i);
        while (cell != Value.NONE) {
            boolean dead;
            long word = fields.hashWord(cell);
            if (replace && TableLayout.sameHash(word, hashWord)) {
                roots.set(prevSlot, prev);
                roots.set(cellSlot, cell);
                fields.setSize(t, size); // the equality may throw
                GenHashTable.Equal e = c.equal(heap, hashed, roots, cellSlot, keyBase, keyCount); // calls out
                t = engine.reload(op, tSlot, stamp, "the hashed type's equality");
                prev = roots.get(prevSlot);
                cell = roots.get(cellSlot);
                buckets = fields.buckets(t);
                if (e == GenHashTable.Equal.TRUE) {
                    c.setKeyData(heap, hashed, roots, cellSlot, keyBase, keyCount, ChainedTable.frameData(frame, keyCount));
                    engine.guard.touchAfter(op, roots.get(tSlot), stamp);
                    return -1;
                }
                dead = e == GenHashTable.Equal.DEAD;
            } else {
                // a cell filled since the last collection cannot be dead: skip reading it
                dead = recycle && TableLayout.epochOf(word) != epoch && !c.alive(heap, hashed, cell);
            }
            long next = fields.next(cell);
            boolean candidate = dead && recycle && roots.get(candidateSlot) == Value.NONE
                    && c.canRefill(heap, cell, keyCount);
            if (candidate) {
                roots.set(candidateSlot, cell);
            }
            if (candidate && replace) {
                prev = cell; // stays in place, to be refilled
            } else if (candidate || (dead && (!recycle || freeRoom > 0))) {
                fields.unlink(buckets, i, prev, next);
                size--;
                if (!candidate && recycle) {
                    engine.freeList.push(t, c, cell);
                    freeRoom--;
                }
            } else {
                prev = cell; // alive, or dead and left for a later insertion to refill
            }
            cell = next;
        }
        return size;
    }

    /**
     * A new cell holding a new container for the binding in {@code frame}: {@code H.create}, which
     * a generic container makes by calling out. The cell's epoch is read after the container's
     * allocations, which may have collected.
     */
    private long newCell(Op op, int frame, int keyCount, long stamp, long hash) {
        int tSlot = ChainedTable.frameTable(frame);
        long t = roots.get(tSlot);
        Containers c = Containers.of(fields.kind(t));
        int partSlot = roots.push(Value.NONE);
        roots.push(Value.NONE);
        c.create(heap, engine.hashed(t), roots, ChainedTable.frameKeys(frame), keyCount,
                ChainedTable.frameData(frame, keyCount), partSlot); // calls out
        engine.reload(op, tSlot, stamp, "the container's create function");
        long hashWord = TableLayout.hashWord(hash, engine.clock.epoch());
        return c.parts() == 1
                ? heap.alloc(TableLayout.CELL_TAG, hashWord, Value.NONE, roots.get(partSlot))
                : heap.allocFields(TableLayout.CELL_TAG, hashWord, Value.NONE, roots.get(partSlot),
                        roots.get(partSlot + 1));
    }
}
