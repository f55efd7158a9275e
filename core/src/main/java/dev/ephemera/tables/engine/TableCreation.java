package dev.ephemera.tables.engine;

import dev.ephemera.Heap;
import dev.ephemera.HeapExhaustedException;
import dev.ephemera.RootStack;
import dev.ephemera.object.Value;
import dev.ephemera.tables.layout.TableLayout;

/**
 * Making and emptying tables: {@code create}, {@code copy}, {@code clear} and {@code reset}.
 * A new table block carries everything an operation needs — its kind, its hashed type (the
 * engine's shared foreign box), size, buckets, seed, initial size — so a table is an ordinary
 * heap value: it can be stored in blocks, be a key, and die.
 */
final class TableCreation {
    private final ChainedTable engine;
    private final Heap heap;
    private final RootStack roots;

    TableCreation(ChainedTable engine) {
        this.engine = engine;
        this.heap = engine.heap;
        this.roots = engine.roots;
    }

    /**
     * A table block with no binding over the bucket array {@code buckets} (raw values; the
     * caller has rooted what it needs after this allocation).
     */
    private long allocTable(int kind, long box, long buckets, long seed, long initialSize, long state) {
        // the fields in TableLayout's order
        return heap.allocFields(TableLayout.TAG, TableLayout.MARK, Value.ofInt(kind), box, Value.ofInt(0),
                buckets, Value.ofInt(seed), Value.ofInt(initialSize), Value.ofInt(state), Value.ofInt(0),
                Value.ofInt(engine.clock.collections()), Value.NONE, Value.ofInt(0));
    }

    /** A new empty table of {@code kind} ({@code create}); the result is a raw value. */
    long create(Op op, int kind, Object hashed, int initialSize, int seed) {
        heap.checkUsable(op.name);
        if (hashed == null) {
            throw new IllegalArgumentException(op + ": the hashed type is null");
        }
        int s = Growth.bucketsFor(initialSize);
        int mark = roots.mark();
        try {
            int boxSlot = roots.push(engine.boxFor(hashed));
            int buckets = roots.push(heap.allocArray(s, Value.NONE));
            return allocTable(kind, roots.get(boxSlot), roots.get(buckets), seed, s, 0);
        } catch (HeapExhaustedException e) {
            throw Failures.exhausted(op, e);
        } finally {
            roots.popTo(mark);
        }
    }

    /** {@code clear}: size 0, every bucket empty, the bucket count kept. */
    void clear(Op op, long t) {
        ModificationGuard.TABLES.beginModify(heap, op, t);
        long buckets = TableFields.buckets(heap, t);
        for (int i = 0, n = heap.size(buckets); i < n; i++) {
            heap.setField(buckets, i, Value.NONE);
        }
        TableFields.setSize(heap, t, 0);
        FreeList.drop(heap, t);
        ModificationGuard.TABLES.touch(heap, op, t);
    }

    /** {@code reset}: {@code clear}, and back to the initial bucket count. */
    void reset(Op op, long t) {
        ModificationGuard.TABLES.beginModify(heap, op, t);
        int initial = TableFields.initialSize(heap, t);
        if (TableFields.bucketCount(heap, t) == initial) {
            clear(op, t);
            return;
        }
        int mark = roots.mark();
        try {
            int tSlot = roots.push(t);
            long buckets = heap.allocArray(initial, Value.NONE);
            t = roots.get(tSlot);
            TableFields.setBuckets(heap, t, buckets);
            TableFields.setSize(heap, t, 0);
            FreeList.drop(heap, t);
            ModificationGuard.TABLES.touch(heap, op, t);
        } catch (HeapExhaustedException e) {
            throw Failures.exhausted(op, e);
        } finally {
            roots.popTo(mark);
        }
    }

    /**
     * {@code copy}. With {@code shareContainers} (OCaml's copy) the new cells point to the same
     * containers, so an in-place {@code replace} on either table is seen by both, and both are
     * marked {@link TableLayout#SHARED} (no recycling). Otherwise (SRFI 126's copy) each live
     * binding gets a new container. Dead cells are not copied. {@code flags} are the copy's. The
     * copy's table block is allocated last, over its filled buckets: a copy that runs out of
     * memory leaves no half-made table in the heap.
     */
    long copy(Op op, long t, boolean shareContainers, int flags) {
        int kind = TableFields.kind(heap, t);
        Containers c = Containers.of(kind);
        int mark = roots.mark();
        heap.gc().beginNoSafePoints(); // no finaliser may change the table while it is copied
        try {
            int tSlot = roots.push(t);
            int n = TableFields.bucketCount(heap, t);
            int nbSlot = roots.push(heap.allocArray(n, Value.NONE));
            t = roots.get(tSlot);
            if (shareContainers) {
                TableFields.setState(heap, t, TableFields.state(heap, t) | TableLayout.SHARED);
            }
            Object hashed = engine.hashed(t);
            int cellSlot = roots.push(Value.NONE);
            int tailSlot = roots.push(Value.NONE);
            int partSlot = roots.push(Value.NONE);
            roots.push(Value.NONE);
            long copied = 0;
            for (int i = 0; i < n; i++) {
                roots.set(tailSlot, Value.NONE);
                roots.set(cellSlot, heap.field(TableFields.buckets(heap, roots.get(tSlot)), i));
                while (roots.get(cellSlot) != Value.NONE) {
                    long cell = roots.get(cellSlot);
                    long newCell = Value.NONE;
                    if (shareContainers) {
                        if (c.alive(heap, hashed, cell)) {
                            cell = roots.get(cellSlot);
                            newCell = copyCell(c, cell, heap.field(cell, TableLayout.PART0_FIELD),
                                    c.parts() == 2 ? heap.field(cell, TableLayout.PART1_FIELD) : Value.NONE);
                        }
                    } else {
                        int binding = roots.mark();
                        int keys = c.pushBinding(heap, hashed, roots, cellSlot);
                        if (keys >= 0) {
                            c.create(heap, hashed, roots, binding, keys, binding + keys, partSlot);
                            newCell = copyCell(c, roots.get(cellSlot), roots.get(partSlot), roots.get(partSlot + 1));
                        }
                        roots.popTo(binding);
                    }
                    if (newCell != Value.NONE) {
                        long tail = roots.get(tailSlot);
                        if (tail == Value.NONE) {
                            heap.setField(roots.get(nbSlot), i, newCell);
                        } else {
                            TableFields.setNext(heap, tail, newCell);
                        }
                        roots.set(tailSlot, newCell);
                        copied++;
                    }
                    roots.set(cellSlot, TableFields.next(heap, roots.get(cellSlot)));
                }
            }
            t = roots.get(tSlot);
            long copy = allocTable(kind, heap.field(t, TableLayout.HASHED_FIELD), roots.get(nbSlot), TableFields.seed(heap, t),
                    TableFields.initialSize(heap, t), flags | (shareContainers ? TableLayout.SHARED : 0));
            TableFields.setSize(heap, copy, copied);
            return copy;
        } catch (HeapExhaustedException e) {
            throw Failures.exhausted(op, e);
        } finally {
            heap.gc().endNoSafePoints();
            roots.popTo(mark);
        }
    }

    /** A new cell with the hash word of {@code cell} and the given parts (which the caller rooted). */
    private long copyCell(Containers c, long cell, long part0, long part1) {
        long hashWord = TableFields.hashWord(heap, cell);
        return c.parts() == 1
                ? heap.alloc(TableLayout.CELL_TAG, hashWord, Value.NONE, part0)
                : heap.allocFields(TableLayout.CELL_TAG, hashWord, Value.NONE, part0, part1);
    }
}
