package dev.ephemera.tables.engine;

import dev.ephemera.Heap;
import dev.ephemera.HeapExhaustedException;
import dev.ephemera.RootStack;
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
 * table operation: allocation is not a safe point there). The walk is one loop in
 * {@link #walkAndStore}, not a method of its own: every field it needs is read once, on the hot
 * path of every memo table.
 */
final class Insertion {
    private final ChainedTable engine;
    private final Heap heap;
    private final RootStack roots;

    Insertion(ChainedTable engine) {
        this.engine = engine;
        this.heap = engine.heap;
        this.roots = engine.roots;
    }

    /**
     * {@code add} (when {@code replace} is false) or {@code replace} of the binding in root frame
     * {@code frame} ({@link ChainedTable#frameTable}: the table, {@code keyCount} keys, the data)
     * into a table of kind {@code c}.
     */
    void insert(Op op, Containers c, int frame, int keyCount, boolean replace) {
        int mark = roots.mark();
        heap.gc().beginNoSafePoints(); // no finaliser may change the table while this changes it
        try {
            walkAndStore(op, c, frame, keyCount, replace);
        } catch (HeapExhaustedException e) {
            throw Failures.exhausted(op, e);
        } finally {
            heap.gc().endNoSafePoints();
            roots.popTo(mark);
        }
    }

    /**
     * {@link #insert}'s work, steps 1 to 4, inside its safe-point bracket. Apart from it because
     * javac copies a {@code finally} block to every exit of its {@code try} (four here), and the
     * copies counted against C2's inlining budget for one compilation ({@code DesiredMethodLimit}):
     * past it, every call at the walk's end was left a call.
     */
    private void walkAndStore(Op op, Containers c, int frame, int keyCount, boolean replace) {
        int tSlot = ChainedTable.frameTable(frame);
        int keyBase = ChainedTable.frameKeys(frame);
        int dataSlot = ChainedTable.frameData(frame, keyCount);
        // 1. hash the keys (calls out)
        long t = roots.get(tSlot);
        long state = TableFields.state(heap, t);
        ModificationGuard.TABLES.checkModifiable(heap, op, state);
        long stamp = ModificationGuard.TABLES.stamp(heap, t);
        Object hashed = ChainedTable.hashed(heap, roots, engine.boxHashed, t);
        long hash = c.hash(heap, hashed, TableFields.seed(heap, t), roots, keyBase, keyCount); // calls out
        t = engine.reload(op, tSlot, stamp, "the hashed type's hash function");
        // From here on the table's fields change only through this method (a call out that
        // changed them raises in reload): they are kept in locals, and the size written back
        // before each call out, which may throw.
        long size = TableFields.size(heap, t);
        long epoch = engine.clock.epoch();
        long hashWord = TableLayout.hashWord(hash, epoch);
        boolean recycle = c.recyclable() && !TableFields.isShared(state);
        long buckets = TableFields.buckets(heap, t);
        int bucketCount = heap.size(buckets);
        int i = TableLayout.bucketIndex(hash, bucketCount);
        long freeRoom = recycle && FreeList.keeps(c) ? FreeList.capacity(bucketCount) - TableFields.freeCount(heap, t) : 0;
        int prevSlot = roots.push(Value.NONE);
        int cellSlot = roots.push(Value.NONE);
        int candidateSlot = roots.push(Value.NONE); // a dead cell to refill, once found

        // 2. walk the bucket: replace in place, or keep the first dead cell to refill
        if (replace || recycle) {
            long prev = Value.NONE;
            long cell = heap.field(buckets, i);
            while (cell != Value.NONE) {
                boolean dead;
                long word = TableFields.hashWord(heap, cell);
                if (replace && TableLayout.sameHash(word, hashWord)) {
                    roots.set(prevSlot, prev);
                    roots.set(cellSlot, cell);
                    TableFields.setSize(heap, t, size);
                    GenHashTable.Equal e = c.equal(heap, hashed, roots, cellSlot, keyBase, keyCount); // calls out
                    t = engine.reload(op, tSlot, stamp, "the hashed type's equality");
                    prev = roots.get(prevSlot);
                    cell = roots.get(cellSlot);
                    buckets = TableFields.buckets(heap, t);
                    if (e == GenHashTable.Equal.TRUE) {
                        c.setKeyData(heap, hashed, roots, cellSlot, keyBase, keyCount, dataSlot);
                        ModificationGuard.TABLES.touchAfter(heap, op, roots.get(tSlot), stamp);
                        return;
                    }
                    dead = e == GenHashTable.Equal.DEAD;
                } else {
                    // a cell filled since the last collection cannot be dead: skip reading it
                    dead = recycle && TableLayout.epochOf(word) != epoch && !c.alive(heap, hashed, cell);
                }
                long next = TableFields.next(heap, cell);
                boolean candidate = dead && recycle && roots.get(candidateSlot) == Value.NONE
                        && c.canRefill(heap, cell, keyCount);
                if (candidate) {
                    roots.set(candidateSlot, cell);
                }
                if (candidate && replace) {
                    prev = cell; // stays in place, to be refilled
                } else if (candidate || (dead && (!recycle || freeRoom > 0))) {
                    TableFields.unlink(heap, buckets, i, prev, next);
                    size--;
                    if (!candidate && recycle) {
                        FreeList.push(heap, t, c, cell);
                        freeRoom--;
                    }
                } else {
                    prev = cell; // alive, or dead and left for a later insertion to refill
                }
                cell = next;
            }
        }

        // 3. store the binding: in the dead cell found, a free cell or a new one
        long cell = roots.get(candidateSlot);
        if (cell != Value.NONE && replace) {
            // refill the dead cell in place; built-in containers never call out here
            c.setKeyData(heap, hashed, roots, candidateSlot, keyBase, keyCount, dataSlot);
            TableFields.setHashWord(heap, cell, hashWord);
            t = roots.get(tSlot);
            TableFields.setSize(heap, t, size);
            ModificationGuard.TABLES.touchAfter(heap, op, t, stamp);
            return;
        }
        if (cell == Value.NONE && recycle && FreeList.keeps(c)) {
            cell = FreeList.pop(heap, roots.get(tSlot));
            roots.set(candidateSlot, cell);
        }
        if (cell != Value.NONE) {
            c.setKeyData(heap, hashed, roots, candidateSlot, keyBase, keyCount, dataSlot);
            TableFields.setHashWord(heap, cell, hashWord);
        } else {
            TableFields.setSize(heap, roots.get(tSlot), size);
            cell = newCell(op, frame, keyCount, stamp, hash); // calls out
        }

        linkAndGrow(op, c, hashed, tSlot, i, cell, size, bucketCount, stamp);
    }

    /**
     * Step 4 of {@link #insert}: links {@code cell} at the head of bucket {@code i}, counts it
     * ({@code size} cells before it) and grows the table if it is now overfull. A method of its
     * own so that C2 compiles it whole: at the end of {@link #insert} it passed C2's inlining
     * budget for one compilation ({@code DesiredMethodLimit}), and each of its field accesses
     * was a call.
     */
    private void linkAndGrow(Op op, Containers c, Object hashed, int tSlot, int i, long cell, long size,
                             int bucketCount, long stamp) {
        long t = roots.get(tSlot);
        long buckets = TableFields.buckets(heap, t);
        TableFields.setNext(heap, cell, heap.field(buckets, i));
        heap.setField(buckets, i, cell);
        TableFields.setSize(heap, t, size + 1);
        ModificationGuard.TABLES.touchAfter(heap, op, t, stamp);
        if (Growth.isOverfull(size + 1, bucketCount)) {
            engine.growth.resize(op, tSlot, c, hashed);
        }
    }

    /**
     * A new cell holding a new container for the binding in {@code frame}: {@code H.create}, which
     * a generic container makes by calling out. The cell's epoch is read after the container's
     * allocations, which may have collected.
     */
    private long newCell(Op op, int frame, int keyCount, long stamp, long hash) {
        int tSlot = ChainedTable.frameTable(frame);
        long t = roots.get(tSlot);
        Containers c = Containers.of(TableFields.kind(heap, t));
        int partSlot = roots.push(Value.NONE);
        roots.push(Value.NONE);
        c.create(heap, ChainedTable.hashed(heap, roots, engine.boxHashed, t), roots, ChainedTable.frameKeys(frame), keyCount,
                ChainedTable.frameData(frame, keyCount), partSlot); // calls out
        engine.reload(op, tSlot, stamp, "the container's create function");
        long hashWord = TableLayout.hashWord(hash, engine.clock.epoch());
        return c.parts() == 1
                ? heap.alloc(TableLayout.CELL_TAG, hashWord, Value.NONE, roots.get(partSlot))
                : heap.allocFields(TableLayout.CELL_TAG, hashWord, Value.NONE, roots.get(partSlot),
                        roots.get(partSlot + 1));
    }
}
