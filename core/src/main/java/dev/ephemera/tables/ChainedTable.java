package dev.ephemera.tables;

import dev.ephemera.GcListener;
import dev.ephemera.GcStat;
import dev.ephemera.Heap;
import dev.ephemera.HeapExhaustedException;
import dev.ephemera.NotABlockException;
import dev.ephemera.WrongTagException;
import dev.ephemera.event.GcEvent;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.Header;
import java.util.ConcurrentModificationException;

/**
 * The ephemeron hash table engine: OCaml's {@code GenHashTable.MakeSeeded} over tables that
 * live in the heap, shared by every table kind (K1, K2, Kn, generic containers, weakness modes).
 *
 * <h2>Shape</h2>
 * A table is a heap block ({@link TableLayout}) holding a power-of-two array of buckets; a
 * bucket is a chain of cells {@code (hash, next, container)}, most recent binding first, and a
 * container (usually an ephemeron) holds the keys and data. This is OCaml's structure [1], so
 * OCaml's observable behaviour carries over unchanged: the same bucket count for the same
 * {@code create} argument, the same bucket index for the same hash, the most recent binding
 * found first, {@code replace} mutating the container in place, {@code copy} sharing containers,
 * the same resize policy (after an insertion, if {@code size > 2 × buckets}: drop dead cells,
 * then double if {@code size ≥ buckets / 2}; never shrink), hence the same {@code stats} as
 * OCaml for the same operations as long as no key dies. The table block carries everything an
 * operation needs — its kind, its hashed type (a foreign box), size, buckets, seed, initial
 * size — so a table is an ordinary heap value: it can be stored in blocks, be a key, and die.
 *
 * <h2>Dead bindings</h2>
 * The collector empties an ephemeron's key and data together when the key dies; the cell and
 * its container stay until someone unlinks them. OCaml unlinks them only in {@code clean},
 * {@code remove} (same hash) and before a resize, so its {@code length} counts dead bindings
 * and its buckets fill with them [2]. We keep OCaml's {@code length} (an upper bound) and add
 * three mechanisms, none of which needs the collector's help or ever rehashes:
 * <ol>
 * <li><b>Purge on observation.</b> Every observation of the set of bindings — iteration, the
 *     live count ({@code liveLength}), {@code stats_alive} — first compares the heap's
 *     collection count with the one recorded at the last purge. If a collection happened since,
 *     dead cells are unlinked, once; after that {@code size} is exact until the next collection.
 *     Iteration also skips dead cells, so no dead binding is ever seen.</li>
 * <li><b>Bucket-local purge on insertion.</b> {@code add}, {@code replace} and {@code remove}
 *     unlink the dead cells of the bucket they walk (OCaml's {@code remove} does this for cells
 *     with the same hash).</li>
 * <li><b>Recycling.</b> An insertion that finds a dead cell in its bucket refills that cell's
 *     container with the new binding instead of allocating a new cell and ephemeron. A memo
 *     table whose keys die young then reaches a steady state that allocates nothing (the
 *     memo-table benchmark). Only built-in containers are recycled (a client may hold its own
 *     generic containers), and only while no other table shares them (see {@code copy}).</li>
 * </ol>
 * {@code find}, {@code mem} and {@code find_all} never modify the table (as in OCaml), so they
 * may be called during an iteration.
 *
 * <h2>Calls out, and raw pointers</h2>
 * Hashed types and generic containers are client code: they may allocate (moving every young
 * block) and may even try to modify the table. Every operation therefore keeps the values it
 * holds across such a call in its {@link RootStack} frame and reloads them afterwards, and
 * compares the table's modification stamp before and after: a change raises
 * {@link ConcurrentModificationException} instead of corrupting a walk. Modifying a table from
 * a visitor of {@code iter}/{@code fold}/{@code filter_map_inplace} raises before anything is
 * changed (the table counts the iterations running on it); a lazy sequence ({@link TableCursor})
 * raises on its next step after a modification. Purging is not a modification: it only unlinks
 * dead cells, whose {@code next} pointers stay valid, so a suspended sequence stays correct.
 *
 * <p>References: [1] {@code stdlib/ephemeron.ml} of OCaml 4.14 ({@code GenHashTable}); the same
 * code serves the OCaml 5 functions. [2] {@code stdlib/ephemeron.mli} and {@code hashtbl.mli}:
 * the {@code S} and {@code SeededS} signatures, whose functions this class implements
 * (docs/tables.md has the table, function by function).
 */
final class ChainedTable {
    /** The largest bucket array: OCaml's {@code Sys.max_array_length}, as a power of two. */
    static final int MAX_BUCKETS = 1 << 30;

    /** The reason of the minor collection a table may ask for before growing (GC events, log). */
    static final String GROWTH_COLLECTION = "weak table about to grow";

    /** Root slot of the foreign box of {@link #boxHashed}, shared by the tables this engine creates. */
    private static final int BOX_SLOT = 0;

    final Heap heap;
    final RootStack roots;
    /** The hashed type in the box of {@link #BOX_SLOT}: a one-entry cache of box → strategy. */
    private Object boxHashed;

    /** The heap's minor collections and major slices so far, kept up to date by a listener. */
    private long minorCollections;
    private long majorSlices;

    ChainedTable(Heap heap) {
        this.heap = heap;
        this.roots = new RootStack(heap);
        roots.push(Value.NONE); // BOX_SLOT, never popped
        GcStat st = heap.gc().stat();
        this.minorCollections = st.minorCollections;
        this.majorSlices = st.majorSlices;
        heap.gc().addListener(new GcListener() {
            @Override
            public void collected(GcEvent e) {
                if (e.kind == GcEvent.Kind.MINOR) {
                    minorCollections = e.number;
                }
            }

            @Override
            public void slice(GcEvent e) {
                // keys die when a cycle's marking ends and the cleaning accessors see it: any
                // slice may be that one
                majorSlices = e.number;
            }
        });
    }

    // ================================================================== checks and fields

    /** Checks that {@code t} is a table of one of the kinds in {@code kindMask}; returns its kind. */
    int kindOf(Op op, long t, int kindMask) {
        heap.checkArgument(op.name, t); // closed heap, other thread, stale or forged table: named by op
        if (!Value.isBlock(t)) {
            throw new NotABlockException(op + ": expected a hash table, got " + Value.describe(t));
        }
        if (heap.tag(t) != TableLayout.TAG || heap.size(t) != TableLayout.SIZE_WORDS
                || heap.field(t, TableLayout.MARK_FIELD) != TableLayout.MARK) {
            throw new WrongTagException(op + ": expected a hash table, got " + HashedTypes.describe(heap, t));
        }
        int kind = (int) Value.intOf(heap.field(t, TableLayout.KIND_FIELD));
        if ((kindMask & (1 << kind)) == 0) {
            throw new IllegalArgumentException(op + ": expected " + describeKinds(kindMask)
                    + ", got " + describeKind(kind));
        }
        return kind;
    }

    /** True if {@code v} is a table of any kind. */
    boolean isTable(long v) {
        return Value.isBlock(v) && heap.tag(v) == TableLayout.TAG && heap.size(v) == TableLayout.SIZE_WORDS
                && heap.field(v, TableLayout.MARK_FIELD) == TableLayout.MARK;
    }

    static String describeKind(int kind) {
        if (kind >= TableLayout.KIND_WEAKNESS) {
            return "a Hashtables table (weakness " + Weakness.values()[kind - TableLayout.KIND_WEAKNESS].srfiName() + ")";
        }
        switch (kind) {
            case TableLayout.KIND_K1: return "an Ephemeron.K1 table";
            case TableLayout.KIND_K2: return "an Ephemeron.K2 table";
            case TableLayout.KIND_KN: return "an Ephemeron.Kn table";
            default: return "an Ephemeron.GenHashTable table";
        }
    }

    private static String describeKinds(int mask) {
        int weaknessMask = ((1 << Weakness.values().length) - 1) << TableLayout.KIND_WEAKNESS;
        if ((mask & ~weaknessMask) == 0) {
            return "a Hashtables table";
        }
        return describeKind(Integer.numberOfTrailingZeros(mask));
    }

    /**
     * The hashed type stored in {@code t}. Tables made by this engine share one box, which
     * {@link #BOX_SLOT} keeps alive and up to date, so comparing pointers identifies it.
     */
    Object hashed(long t) {
        long box = heap.field(t, TableLayout.HASHED_FIELD);
        return box == roots.get(BOX_SLOT) ? boxHashed : heap.foreign(box);
    }

    /** The box holding {@code hashed}, in {@link #BOX_SLOT} (allocated if the cache holds another). */
    private long boxFor(Object hashed) {
        if (hashed != boxHashed || roots.get(BOX_SLOT) == Value.NONE) {
            long box = heap.allocForeign(hashed);
            roots.set(BOX_SLOT, box);
            boxHashed = hashed;
        }
        return roots.get(BOX_SLOT);
    }

    private long intField(long t, int field) {
        return Value.intOf(heap.field(t, field));
    }

    private void setIntField(long t, int field, long n) {
        heap.setField(t, field, Value.ofInt(n));
    }

    long size(long t) {
        return intField(t, TableLayout.SIZE_FIELD);
    }

    private void addSize(long t, long delta) {
        setIntField(t, TableLayout.SIZE_FIELD, size(t) + delta);
    }

    int seed(long t) {
        return (int) intField(t, TableLayout.SEED_FIELD);
    }

    long stamp(long t) {
        return intField(t, TableLayout.STAMP_FIELD);
    }

    private static int bucketIndex(long hash, int buckets) {
        return (int) hash & (buckets - 1);
    }

    private long cellHash(long cell) {
        return TableLayout.hashOf(heap.field(cell, TableLayout.HASH_FIELD));
    }

    private long next(long cell) {
        return heap.field(cell, TableLayout.NEXT_FIELD);
    }

    /** Minor collections plus major slices: it changes whenever keys may have died. */
    long collections() {
        return minorCollections + majorSlices;
    }

    /** The epoch stored in cells filled now: the collection count, modulo 2^30. */
    private long epoch() {
        return collections() & TableLayout.EPOCH_MASK;
    }

    /**
     * Entry check of every modification: the table is mutable and not being iterated. Returns
     * the stamp, to compare after calls out.
     */
    long beginModify(Op op, long t) {
        checkModifiable(op, state(t));
        return stamp(t);
    }

    long state(long t) {
        return intField(t, TableLayout.STATE_FIELD);
    }

    static boolean isShared(long state) {
        return (state & TableLayout.SHARED) != 0;
    }

    static boolean isIterating(long state) {
        return (state & TableLayout.ITERATION_MASK) != 0;
    }

    private static void checkModifiable(Op op, long state) {
        if ((state & TableLayout.IMMUTABLE) != 0) {
            throw new UnsupportedOperationException(op + ": the table is immutable");
        }
        if (isIterating(state)) {
            throw new ConcurrentModificationException(op + ": the table is being iterated (by "
                    + Op.nameOf((int) ((state >>> TableLayout.ITERATION_OP_SHIFT) & TableLayout.OP_MASK))
                    + "); it cannot be modified during the iteration");
        }
    }

    /** Records a modification by {@code op}. */
    private void touch(long t, Op op) {
        long count = (stamp(t) >>> TableLayout.OP_BITS) + 1;
        setIntField(t, TableLayout.STAMP_FIELD, (count << TableLayout.OP_BITS) | op.code);
    }

    /** After a call out: the table must not have been modified. */
    void checkStamp(Op op, long t, long expected, String during) {
        long now = stamp(t);
        if (now != expected) {
            throw new ConcurrentModificationException(op + ": the table was modified (by "
                    + Op.nameOf((int) (now & TableLayout.OP_MASK)) + ") while " + during + " ran");
        }
    }

    // ================================================================== creation

    /** OCaml's {@code power_2_above 16 n}. */
    static int bucketsFor(int n) {
        long x = 16;
        while (x < n && x * 2 <= MAX_BUCKETS) {
            x *= 2;
        }
        return (int) x;
    }

    /** A new empty table of {@code kind} ({@code create}); the result is a raw value. */
    long create(Op op, int kind, Object hashed, int initialSize, int seed) {
        heap.checkUsable(op.name);
        if (hashed == null) {
            throw new IllegalArgumentException(op + ": the hashed type is null");
        }
        int s = bucketsFor(initialSize);
        int mark = roots.mark();
        try {
            boxFor(hashed);
            int buckets = roots.push(heap.allocArray(s, Value.NONE));
            return heap.allocFields(TableLayout.TAG, TableLayout.MARK, Value.ofInt(kind), roots.get(BOX_SLOT),
                    Value.ofInt(0), roots.get(buckets), Value.ofInt(seed), Value.ofInt(s), Value.ofInt(0),
                    Value.ofInt(0), Value.ofInt(collections()), Value.NONE, Value.ofInt(0));
        } catch (HeapExhaustedException e) {
            throw Failures.exhausted(op, e);
        } finally {
            roots.popTo(mark);
        }
    }

    /** {@code clear}: size 0, every bucket empty, the bucket count kept. */
    void clear(Op op, long t) {
        beginModify(op, t);
        long buckets = heap.field(t, TableLayout.BUCKETS_FIELD);
        for (int i = 0, n = heap.size(buckets); i < n; i++) {
            heap.setField(buckets, i, Value.NONE);
        }
        setIntField(t, TableLayout.SIZE_FIELD, 0);
        dropFreeList(t);
        touch(t, op);
    }

    private void dropFreeList(long t) {
        heap.setField(t, TableLayout.FREE_FIELD, Value.NONE);
        setIntField(t, TableLayout.FREE_COUNT_FIELD, 0);
    }

    /** {@code reset}: {@code clear}, and back to the initial bucket count. */
    void reset(Op op, long t) {
        beginModify(op, t);
        int initial = (int) intField(t, TableLayout.INITIAL_SIZE_FIELD);
        if (heap.size(heap.field(t, TableLayout.BUCKETS_FIELD)) == initial) {
            clear(op, t);
            return;
        }
        int mark = roots.mark();
        try {
            int tSlot = roots.push(t);
            long buckets = heap.allocArray(initial, Value.NONE);
            t = roots.get(tSlot);
            heap.setField(t, TableLayout.BUCKETS_FIELD, buckets);
            setIntField(t, TableLayout.SIZE_FIELD, 0);
            dropFreeList(t);
            touch(t, op);
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
     * binding gets a new container. Dead cells are not copied. {@code flags} are the copy's.
     */
    long copy(Op op, long t, boolean shareContainers, int flags) {
        int kind = (int) intField(t, TableLayout.KIND_FIELD);
        Containers c = Containers.of(kind);
        int mark = roots.mark();
        heap.gc().beginNoSafePoints(); // no finaliser may change the table while it is copied
        try {
            int tSlot = roots.push(t);
            int n = heap.size(heap.field(t, TableLayout.BUCKETS_FIELD));
            int nbSlot = roots.push(heap.allocArray(n, Value.NONE));
            t = roots.get(tSlot);
            int newFlags = flags | (shareContainers ? TableLayout.SHARED : 0);
            if (shareContainers) {
                setIntField(t, TableLayout.STATE_FIELD, state(t) | TableLayout.SHARED);
            }
            int copySlot = roots.push(heap.allocFields(TableLayout.TAG, TableLayout.MARK, Value.ofInt(kind),
                    heap.field(t, TableLayout.HASHED_FIELD), Value.ofInt(0), roots.get(nbSlot),
                    heap.field(t, TableLayout.SEED_FIELD), heap.field(t, TableLayout.INITIAL_SIZE_FIELD),
                    Value.ofInt(newFlags), Value.ofInt(0), Value.ofInt(collections()),
                    Value.NONE, Value.ofInt(0)));
            Object hashed = hashed(roots.get(tSlot));
            int cellSlot = roots.push(Value.NONE);
            int tailSlot = roots.push(Value.NONE);
            int partSlot = roots.push(Value.NONE);
            roots.push(Value.NONE);
            long copied = 0;
            for (int i = 0; i < n; i++) {
                roots.set(tailSlot, Value.NONE);
                roots.set(cellSlot, heap.field(heap.field(roots.get(tSlot), TableLayout.BUCKETS_FIELD), i));
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
                        int frame = roots.mark();
                        int keys = c.pushBinding(heap, hashed, roots, cellSlot);
                        if (keys >= 0) {
                            c.create(heap, hashed, roots, frame, keys, frame + keys, partSlot);
                            newCell = copyCell(c, roots.get(cellSlot), roots.get(partSlot), roots.get(partSlot + 1));
                        }
                        roots.popTo(frame);
                    }
                    if (newCell != Value.NONE) {
                        long tail = roots.get(tailSlot);
                        if (tail == Value.NONE) {
                            heap.setField(roots.get(nbSlot), i, newCell);
                        } else {
                            heap.setField(tail, TableLayout.NEXT_FIELD, newCell);
                        }
                        roots.set(tailSlot, newCell);
                        copied++;
                    }
                    roots.set(cellSlot, next(roots.get(cellSlot)));
                }
            }
            long copy = roots.get(copySlot);
            setIntField(copy, TableLayout.SIZE_FIELD, copied);
            return copy;
        } catch (HeapExhaustedException e) {
            throw Failures.exhausted(op, e);
        } finally {
            heap.gc().endNoSafePoints();
            roots.popTo(mark);
        }
    }

    /** A new cell with the hash of {@code cell} and the given parts (which the caller rooted). */
    private long copyCell(Containers c, long cell, long part0, long part1) {
        long hash = heap.field(cell, TableLayout.HASH_FIELD);
        return c.parts() == 1
                ? heap.alloc(TableLayout.CELL_TAG, hash, Value.NONE, part0)
                : heap.allocFields(TableLayout.CELL_TAG, hash, Value.NONE, part0, part1);
    }

    // ================================================================== insertion

    /**
     * {@code add} (when {@code replace} is false) or {@code replace}: the keys are in root slots
     * [keyBase, keyBase + keyCount), the data in {@code dataSlot}; the table in {@code tSlot}.
     */
    void insert(Op op, int tSlot, Containers c, int keyBase, int keyCount, int dataSlot, boolean replace) {
        int mark = roots.mark();
        heap.gc().beginNoSafePoints(); // no finaliser may change the table while this changes it
        try {
            long t = roots.get(tSlot);
            long state = state(t);
            checkModifiable(op, state);
            long stamp = stamp(t);
            Object hashed = hashed(t);
            long hash = c.hash(heap, hashed, seed(t), roots, keyBase, keyCount);
            t = roots.get(tSlot);
            checkStamp(op, t, stamp, "the hashed type's hash function");
            // Between here and the end, the table's fields change only through this method (a
            // call out that changed them is caught by checkStamp): keep them in locals.
            long size = size(t);
            long epoch = epoch();
            long hashWord = TableLayout.hashWord(hash, epoch);
            boolean recycle = c.recyclable() && !isShared(state);
            int prevSlot = roots.push(Value.NONE);
            int cellSlot = roots.push(Value.NONE);
            int deadSlot = roots.push(Value.NONE);
            long buckets = heap.field(t, TableLayout.BUCKETS_FIELD);
            int bucketCount = heap.size(buckets);
            long freeRoom = recycle && c.arity() >= 0
                    ? 2L * bucketCount - intField(t, TableLayout.FREE_COUNT_FIELD) : 0;
            int i = bucketIndex(hash, bucketCount);
            long prev = Value.NONE;
            long cell = heap.field(buckets, i);
            // Walk the bucket: find the binding to replace, and deal with dead cells. The first
            // dead cell that can take the binding is kept: replace refills it where it is (no
            // live binding of the key is in the bucket, so its place does not matter), add moves
            // it to the head. The other dead cells go to the free list while it has room, or stay
            // for a later insertion. add walks only to find dead cells, as OCaml's add does not
            // compare keys.
            if (replace || recycle) {
                while (cell != Value.NONE) {
                    boolean dead;
                    long word = heap.field(cell, TableLayout.HASH_FIELD);
                    if (replace && TableLayout.sameHash(word, hashWord)) {
                        roots.set(prevSlot, prev);
                        roots.set(cellSlot, cell);
                        setIntField(t, TableLayout.SIZE_FIELD, size); // the equality may throw
                        GenHashTable.Equal e = c.equal(heap, hashed, roots, cellSlot, keyBase, keyCount);
                        t = roots.get(tSlot);
                        checkStamp(op, t, stamp, "the hashed type's equality");
                        prev = roots.get(prevSlot);
                        cell = roots.get(cellSlot);
                        buckets = heap.field(t, TableLayout.BUCKETS_FIELD);
                        if (e == GenHashTable.Equal.TRUE) {
                            c.setKeyData(heap, hashed, roots, cellSlot, keyBase, keyCount, dataSlot);
                            setStamp(roots.get(tSlot), stamp, op);
                            return;
                        }
                        dead = e == GenHashTable.Equal.DEAD;
                    } else {
                        // a cell filled since the last collection cannot be dead: skip reading it
                        dead = recycle && TableLayout.epochOf(word) != epoch && !c.alive(heap, hashed, cell);
                    }
                    long next = next(cell);
                    boolean candidate = dead && recycle && roots.get(deadSlot) == Value.NONE
                            && c.canRefill(heap, cell, keyCount);
                    if (candidate) {
                        roots.set(deadSlot, cell);
                    }
                    if (candidate && replace) {
                        prev = cell; // stays in place
                    } else if (candidate || (dead && (!recycle || freeRoom > 0))) {
                        unlink(buckets, i, prev, next);
                        size--;
                        if (!candidate && recycle) {
                            addFree(t, c, cell);
                            freeRoom--;
                        }
                    } else {
                        prev = cell; // alive, or dead and left for a later insertion to refill
                    }
                    cell = next;
                }
            }
            long fresh = roots.get(deadSlot);
            if (fresh != Value.NONE && replace) {
                // refill in place; built-in containers never call out here
                c.setKeyData(heap, hashed, roots, deadSlot, keyBase, keyCount, dataSlot);
                heap.setField(fresh, TableLayout.HASH_FIELD, hashWord);
                t = roots.get(tSlot);
                setIntField(t, TableLayout.SIZE_FIELD, size);
                setStamp(t, stamp, op);
                return;
            }
            if (fresh == Value.NONE && recycle && c.arity() >= 0) {
                fresh = popFree(roots.get(tSlot));
                roots.set(deadSlot, fresh);
            }
            if (fresh != Value.NONE) {
                c.setKeyData(heap, hashed, roots, deadSlot, keyBase, keyCount, dataSlot);
                heap.setField(fresh, TableLayout.HASH_FIELD, hashWord);
            } else {
                setIntField(roots.get(tSlot), TableLayout.SIZE_FIELD, size); // before calling out
                int partSlot = roots.push(Value.NONE);
                roots.push(Value.NONE);
                c.create(heap, hashed, roots, keyBase, keyCount, dataSlot, partSlot);
                t = roots.get(tSlot);
                checkStamp(op, t, stamp, "the container's create function");
                hashWord = TableLayout.hashWord(hash, epoch()); // the allocations may have collected
                fresh = c.parts() == 1
                        ? heap.alloc(TableLayout.CELL_TAG, hashWord, Value.NONE, roots.get(partSlot))
                        : heap.allocFields(TableLayout.CELL_TAG, hashWord, Value.NONE, roots.get(partSlot),
                                roots.get(partSlot + 1));
            }
            t = roots.get(tSlot);
            buckets = heap.field(t, TableLayout.BUCKETS_FIELD);
            i = bucketIndex(hash, bucketCount);
            heap.setField(fresh, TableLayout.NEXT_FIELD, heap.field(buckets, i));
            heap.setField(buckets, i, fresh);
            size++;
            setIntField(t, TableLayout.SIZE_FIELD, size);
            setStamp(t, stamp, op);
            if (size > 2L * bucketCount) {
                resize(op, tSlot, c, hashed);
            }
        } catch (HeapExhaustedException e) {
            throw Failures.exhausted(op, e);
        } finally {
            heap.gc().endNoSafePoints();
            roots.popTo(mark);
        }
    }

    /** Records a modification by {@code op}, the stamp having been {@code stamp}. */
    private void setStamp(long t, long stamp, Op op) {
        setIntField(t, TableLayout.STAMP_FIELD, (((stamp >>> TableLayout.OP_BITS) + 1) << TableLayout.OP_BITS) | op.code);
    }

    /**
     * Keeps a dead cell (already unlinked) for reuse, if the free list has room: at most two
     * cells per bucket, the most live cells a table holds before it grows. Its strong parts are
     * cleared first.
     */
    private void pushFree(long t, Containers c, long cell) {
        if (intField(t, TableLayout.FREE_COUNT_FIELD) < 2L * heap.size(heap.field(t, TableLayout.BUCKETS_FIELD))
                && c.arity() >= 0) {
            addFree(t, c, cell);
        }
    }

    /** {@link #pushFree} when the caller knows there is room. */
    private void addFree(long t, Containers c, long cell) {
        c.release(heap, cell);
        heap.setField(cell, TableLayout.NEXT_FIELD, heap.field(t, TableLayout.FREE_FIELD));
        heap.setField(t, TableLayout.FREE_FIELD, cell);
        setIntField(t, TableLayout.FREE_COUNT_FIELD, intField(t, TableLayout.FREE_COUNT_FIELD) + 1);
    }

    /** Takes a cell from the free list, or returns NONE. */
    private long popFree(long t) {
        long cell = heap.field(t, TableLayout.FREE_FIELD);
        if (cell != Value.NONE) {
            heap.setField(t, TableLayout.FREE_FIELD, next(cell));
            setIntField(t, TableLayout.FREE_COUNT_FIELD, intField(t, TableLayout.FREE_COUNT_FIELD) - 1);
        }
        return cell;
    }

    private void unlink(long buckets, int i, long prev, long next) {
        if (prev == Value.NONE) {
            heap.setField(buckets, i, next);
        } else {
            heap.setField(prev, TableLayout.NEXT_FIELD, next);
        }
    }

    /**
     * OCaml's {@code resize}: unlink dead cells, then double the buckets if the table is still at
     * least half full, relinking the cells (no allocation but the new array; relative order kept).
     *
     * <p>One addition: before doubling, the young generation may be collected first (without
     * running finalisers), when {@link #worthCollectingYoung} says so. A memo table whose keys
     * die young otherwise grows with everything inserted since the last collection — those
     * keys look alive until a collection says otherwise — and a table twice as large as its
     * live bindings costs cache misses on every later operation; after the collection the dead
     * cells are unlinked and the table usually need not grow at all (memo-table, N = 10^6:
     * 4K buckets instead of 64K, ~25% faster).
     */
    private void resize(Op op, int tSlot, Containers c, Object hashed) {
        long t = roots.get(tSlot);
        // A built-in container dies only at a collection: if none happened since the last purge,
        // the purge would find nothing. (A generic container's check_key may turn false at any time.)
        if (!c.recyclable() || intField(t, TableLayout.PURGED_AT_FIELD) != collections()) {
            unlinkDead(tSlot, c, hashed);
            t = roots.get(tSlot);
        }
        int osize = heap.size(heap.field(t, TableLayout.BUCKETS_FIELD));
        long nsize = 2L * osize;
        if (nsize <= MAX_BUCKETS && size(t) >= osize / 2 && worthCollectingYoung()) {
            heap.gc().minorWithoutFinalisers(GROWTH_COLLECTION);
            unlinkDead(tSlot, c, hashed);
            t = roots.get(tSlot);
        }
        if (nsize <= MAX_BUCKETS && size(t) >= osize / 2) {
            long fresh = heap.allocArray((int) nsize, Value.NONE);
            t = roots.get(tSlot);
            long old = heap.field(t, TableLayout.BUCKETS_FIELD);
            for (int i = 0; i < osize; i++) {
                long lowTail = Value.NONE;
                long highTail = Value.NONE;
                for (long cell = heap.field(old, i); cell != Value.NONE; cell = next(cell)) {
                    if (bucketIndex(cellHash(cell), (int) nsize) == i) {
                        if (lowTail == Value.NONE) {
                            heap.setField(fresh, i, cell);
                        } else {
                            heap.setField(lowTail, TableLayout.NEXT_FIELD, cell);
                        }
                        lowTail = cell;
                    } else {
                        if (highTail == Value.NONE) {
                            heap.setField(fresh, i + osize, cell);
                        } else {
                            heap.setField(highTail, TableLayout.NEXT_FIELD, cell);
                        }
                        highTail = cell;
                    }
                }
                if (lowTail != Value.NONE) {
                    heap.setField(lowTail, TableLayout.NEXT_FIELD, Value.NONE);
                }
                if (highTail != Value.NONE) {
                    heap.setField(highTail, TableLayout.NEXT_FIELD, Value.NONE);
                }
            }
            heap.setField(t, TableLayout.BUCKETS_FIELD, fresh);
        }
    }

    /**
     * Whether a table about to double should have the young generation collected first: when
     * the nursery is at least an eighth full. That bounds the cost: such a collection comes after
     * at least an eighth of a nursery of allocation, so it at most multiplies the rate of minor
     * collections by eight, and only while a table keeps reaching its doubling point — for a memo
     * table that point stays put, and the table's collections replace the regular ones. A table
     * whose keys live pays for at most one extra minor collection per doubling. (memo-table,
     * N = 10^6, nursery fraction 1/2, 1/4, 1/8, 1/16: 335, 300, 265, 260 ms.)
     */
    private boolean worthCollectingYoung() {
        return 8 * heap.gc().minorHeapUsedWords() >= heap.gc().minorHeapWords();
    }

    /**
     * Unlinks every dead cell (OCaml's {@code clean}), decrementing the size; records the
     * collection count, so that the table counts as purged.
     */
    private void unlinkDead(int tSlot, Containers c, Object hashed) {
        if (c.recyclable()) {
            unlinkDeadBuiltIn(tSlot, c, hashed);
            return;
        }
        int mark = roots.mark();
        try {
            long collections = collections();
            boolean recycle = c.recyclable() && !isShared(state(roots.get(tSlot)));
            int prevSlot = roots.push(Value.NONE);
            int cellSlot = roots.push(Value.NONE);
            long n = heap.size(heap.field(roots.get(tSlot), TableLayout.BUCKETS_FIELD));
            for (int i = 0; i < n; i++) {
                long prev = Value.NONE;
                long cell = heap.field(heap.field(roots.get(tSlot), TableLayout.BUCKETS_FIELD), i);
                while (cell != Value.NONE) {
                    roots.set(prevSlot, prev);
                    roots.set(cellSlot, cell);
                    boolean alive = c.alive(heap, hashed, cell); // generic containers call out
                    prev = roots.get(prevSlot);
                    cell = roots.get(cellSlot);
                    long next = next(cell);
                    if (alive) {
                        prev = cell;
                    } else {
                        long t = roots.get(tSlot);
                        unlink(heap.field(t, TableLayout.BUCKETS_FIELD), i, prev, next);
                        addSize(t, -1);
                        if (recycle) {
                            pushFree(t, c, cell);
                        }
                    }
                    cell = next;
                }
            }
            if (collections() == collections) {
                setIntField(roots.get(tSlot), TableLayout.PURGED_AT_FIELD, collections);
            }
        } finally {
            roots.popTo(mark);
        }
    }

    /**
     * {@link #unlinkDead} for built-in containers, whose {@code alive} and {@code release}
     * neither allocate nor call out: raw pointers stay valid throughout, so nothing is rooted,
     * and the table's fields are written once at the end. A run of dead cells is unlinked with
     * one store (after a growth collection a whole bucket is usually dead), and each dead cell
     * goes to the free list while it has room (two cells per bucket), as {@link #pushFree}.
     */
    private void unlinkDeadBuiltIn(int tSlot, Containers c, Object hashed) {
        long t = roots.get(tSlot);
        long collections = collections();
        long buckets = heap.field(t, TableLayout.BUCKETS_FIELD);
        int n = heap.size(buckets);
        boolean recycle = !isShared(state(t)) && c.arity() >= 0;
        long freeHead = heap.field(t, TableLayout.FREE_FIELD);
        long freeCount = intField(t, TableLayout.FREE_COUNT_FIELD);
        long removed = 0;
        for (int i = 0; i < n; i++) {
            long prev = Value.NONE; // the last live cell of the bucket so far
            boolean skipped = false; // dead cells follow prev (or start the bucket)
            for (long cell = heap.field(buckets, i); cell != Value.NONE; ) {
                long next = next(cell);
                if (c.alive(heap, hashed, cell)) {
                    if (skipped) {
                        unlink(buckets, i, prev, cell);
                        skipped = false;
                    }
                    prev = cell;
                } else {
                    skipped = true;
                    removed++;
                    if (recycle && freeCount < 2L * n) {
                        c.release(heap, cell);
                        heap.setField(cell, TableLayout.NEXT_FIELD, freeHead);
                        freeHead = cell;
                        freeCount++;
                    }
                }
                cell = next;
            }
            if (skipped) {
                unlink(buckets, i, prev, Value.NONE);
            }
        }
        heap.setField(t, TableLayout.FREE_FIELD, freeHead);
        setIntField(t, TableLayout.FREE_COUNT_FIELD, freeCount);
        setIntField(t, TableLayout.SIZE_FIELD, size(t) - removed);
        setIntField(t, TableLayout.PURGED_AT_FIELD, collections);
    }

    /** {@code clean}: unlinks every dead cell. */
    void clean(Op op, int tSlot) {
        long t = roots.get(tSlot);
        beginModify(op, t);
        int kind = (int) intField(t, TableLayout.KIND_FIELD);
        unlinkDead(tSlot, Containers.of(kind), hashed(t));
        touch(roots.get(tSlot), op);
    }

    /**
     * Unlinks dead cells if a collection happened since the last purge and no callback
     * iteration is running; afterwards, until the next collection, {@code size} is exact.
     * Returns true if the table is purged (size exact).
     */
    boolean purge(int tSlot) {
        long t = roots.get(tSlot);
        if (intField(t, TableLayout.PURGED_AT_FIELD) == collections()) {
            return true;
        }
        if (isIterating(state(t))) {
            return false;
        }
        int kind = (int) intField(t, TableLayout.KIND_FIELD);
        unlinkDead(tSlot, Containers.of(kind), hashed(t));
        return intField(roots.get(tSlot), TableLayout.PURGED_AT_FIELD) == collections();
    }

    // ================================================================== removal and lookup

    /**
     * {@code remove}: unlinks the most recent binding of the key, and the dead cells met on the
     * way; does nothing if there is none.
     */
    void remove(Op op, int tSlot, Containers c, int keyBase, int keyCount) {
        int mark = roots.mark();
        try {
            long t = roots.get(tSlot);
            long stamp = beginModify(op, t);
            Object hashed = hashed(t);
            long hash = c.hash(heap, hashed, seed(t), roots, keyBase, keyCount);
            t = roots.get(tSlot);
            checkStamp(op, t, stamp, "the hashed type's hash function");
            long hashWord = TableLayout.hashWord(hash, 0);
            boolean purgeOthers = c.recyclable(); // their alive test never calls out
            boolean recycle = purgeOthers && !isShared(state(t));
            int prevSlot = roots.push(Value.NONE);
            int cellSlot = roots.push(Value.NONE);
            long buckets = heap.field(t, TableLayout.BUCKETS_FIELD);
            int i = bucketIndex(hash, heap.size(buckets));
            long prev = Value.NONE;
            long cell = heap.field(buckets, i);
            boolean changed = false;
            try {
                while (cell != Value.NONE) {
                    boolean drop;
                    boolean found = false;
                    if (TableLayout.sameHash(heap.field(cell, TableLayout.HASH_FIELD), hashWord)) {
                        roots.set(prevSlot, prev);
                        roots.set(cellSlot, cell);
                        GenHashTable.Equal e = c.equal(heap, hashed, roots, cellSlot, keyBase, keyCount);
                        t = roots.get(tSlot);
                        checkStamp(op, t, stamp, "the hashed type's equality");
                        prev = roots.get(prevSlot);
                        cell = roots.get(cellSlot);
                        found = e == GenHashTable.Equal.TRUE;
                        drop = e != GenHashTable.Equal.FALSE;
                    } else {
                        drop = purgeOthers && !c.alive(heap, hashed, cell);
                    }
                    long next = next(cell);
                    if (drop) {
                        unlink(heap.field(t, TableLayout.BUCKETS_FIELD), i, prev, next);
                        addSize(t, -1);
                        changed = true;
                        if (found) {
                            return;
                        }
                        if (recycle) {
                            pushFree(t, c, cell);
                        }
                    } else {
                        prev = cell;
                    }
                    cell = next;
                }
            } finally {
                if (changed) {
                    touch(roots.get(tSlot), op);
                }
            }
        } finally {
            roots.popTo(mark);
        }
    }

    /** What a lookup collects. */
    enum Lookup { FIRST_DATA, ALL_DATA, MEMBERSHIP }

    /**
     * {@code find}/{@code find_opt} ({@link Lookup#FIRST_DATA}: returns the data or NONE) and
     * {@code mem} ({@link Lookup#MEMBERSHIP}: returns {@code Value.TRUE} or {@code FALSE}): the
     * first cell with the key's hash whose container is equal to the key and holds data. Dead
     * cells are skipped, not removed. Never modifies the table.
     */
    long find(Op op, int tSlot, Containers c, int keyBase, int keyCount, Lookup what) {
        return lookup(op, tSlot, c, keyBase, keyCount, what, null);
    }

    /** {@code find_all}: every datum bound to the key, most recent first (raw values). */
    long[] findAll(Op op, int tSlot, Containers c, int keyBase, int keyCount) {
        long[][] out = new long[1][];
        lookup(op, tSlot, c, keyBase, keyCount, Lookup.ALL_DATA, out);
        return out[0];
    }

    private long lookup(Op op, int tSlot, Containers c, int keyBase, int keyCount, Lookup what, long[][] all) {
        int mark = roots.mark();
        try {
            long t = roots.get(tSlot);
            long stamp = stamp(t);
            Object hashed = hashed(t);
            long hash = c.hash(heap, hashed, seed(t), roots, keyBase, keyCount);
            t = roots.get(tSlot);
            checkStamp(op, t, stamp, "the hashed type's hash function");
            long hashWord = TableLayout.hashWord(hash, 0);
            long buckets = heap.field(t, TableLayout.BUCKETS_FIELD);
            int cellSlot = roots.push(heap.field(buckets, bucketIndex(hash, heap.size(buckets))));
            int results = roots.mark(); // find_all: the data found so far, rooted, from here up
            while (roots.get(cellSlot) != Value.NONE) {
                long cell = roots.get(cellSlot);
                if (TableLayout.sameHash(heap.field(cell, TableLayout.HASH_FIELD), hashWord)) {
                    GenHashTable.Equal e = c.equal(heap, hashed, roots, cellSlot, keyBase, keyCount);
                    checkStamp(op, roots.get(tSlot), stamp, "the hashed type's equality");
                    if (e == GenHashTable.Equal.TRUE) {
                        if (what == Lookup.MEMBERSHIP) {
                            return Value.TRUE;
                        }
                        if (what == Lookup.FIRST_DATA) {
                            long d = c.data(heap, hashed, roots, cellSlot);
                            checkStamp(op, roots.get(tSlot), stamp, "the container's accessors");
                            if (d != Value.NONE) {
                                return d;
                            }
                            roots.set(cellSlot, next(roots.get(cellSlot)));
                            continue;
                        }
                        int frame = roots.mark();
                        int keys = c.pushBinding(heap, hashed, roots, cellSlot);
                        checkStamp(op, roots.get(tSlot), stamp, "the container's accessors");
                        if (keys >= 0) {
                            long d = roots.get(frame + keys);
                            if (what == Lookup.FIRST_DATA) {
                                return d;
                            }
                            roots.popTo(frame);
                            roots.push(d);
                        }
                    }
                }
                roots.set(cellSlot, next(roots.get(cellSlot)));
            }
            if (all != null) {
                long[] found = new long[roots.mark() - results];
                for (int i = 0; i < found.length; i++) {
                    found[i] = roots.get(results + i);
                }
                all[0] = found;
            }
            return what == Lookup.MEMBERSHIP ? Value.FALSE : Value.NONE;
        } finally {
            roots.popTo(mark);
        }
    }

    // ================================================================== iteration

    /**
     * Receives each live binding of an iteration: its keys are in root slots
     * [{@code keyBase}, {@code keyBase + keyCount}), its data in {@code keyBase + keyCount}.
     */
    interface Visitor {
        void visit(int keyBase, int keyCount);
    }

    /** Maps a binding (same slots as {@link Visitor}) to its new data, or NONE to drop it. */
    interface Mapper {
        long map(int keyBase, int keyCount);
    }

    private void enterIteration(long t, Op op) {
        long state = state(t);
        if (!isIterating(state)) {
            state = (state & TableLayout.FLAG_MASK) | ((long) op.code << TableLayout.ITERATION_OP_SHIFT);
        }
        setIntField(t, TableLayout.STATE_FIELD, state + TableLayout.ITERATION);
    }

    private void exitIteration(long t) {
        long state = state(t) - TableLayout.ITERATION;
        setIntField(t, TableLayout.STATE_FIELD, isIterating(state) ? state : state & TableLayout.FLAG_MASK);
    }

    /**
     * {@code iter}/{@code fold}: visits every live binding, in bucket order then chain order
     * (so several bindings of one key come most recent first). Dead cells are unlinked first
     * if a collection happened since the last purge; cells that die during the iteration (the
     * visitor may allocate) are skipped. The visitor must not modify the table.
     */
    void iterate(Op op, int tSlot, Visitor visitor) {
        int mark = roots.mark();
        purge(tSlot);
        long t = roots.get(tSlot);
        Containers c = Containers.of((int) intField(t, TableLayout.KIND_FIELD));
        Object hashed = hashed(t);
        enterIteration(t, op);
        try {
            int bucketsSlot = roots.push(heap.field(t, TableLayout.BUCKETS_FIELD));
            int cellSlot = roots.push(Value.NONE);
            int n = heap.size(roots.get(bucketsSlot));
            for (int i = 0; i < n; i++) {
                roots.set(cellSlot, heap.field(roots.get(bucketsSlot), i));
                while (roots.get(cellSlot) != Value.NONE) {
                    int frame = roots.mark();
                    int keys = c.pushBinding(heap, hashed, roots, cellSlot);
                    if (keys >= 0) {
                        visitor.visit(frame, keys);
                    }
                    roots.popTo(frame);
                    roots.set(cellSlot, next(roots.get(cellSlot)));
                }
            }
        } finally {
            exitIteration(roots.get(tSlot));
            roots.popTo(mark);
        }
    }

    /**
     * {@code filter_map_inplace}: each live binding gets the mapper's new data (stored with
     * {@code set_key_data}, so a shared container sees it) or is dropped if the mapper returns
     * NONE; dead cells are dropped. Unlike OCaml 4.14, the size is decremented for every
     * dropped cell (OCaml never decrements it here, so its {@code length} stays too high).
     */
    void filterMapInplace(Op op, int tSlot, Mapper mapper) {
        int mark = roots.mark();
        long t = roots.get(tSlot);
        beginModify(op, t);
        Containers c = Containers.of((int) intField(t, TableLayout.KIND_FIELD));
        Object hashed = hashed(t);
        enterIteration(t, op);
        try {
            int prevSlot = roots.push(Value.NONE);
            int cellSlot = roots.push(Value.NONE);
            int n = heap.size(heap.field(t, TableLayout.BUCKETS_FIELD));
            for (int i = 0; i < n; i++) {
                long prev = Value.NONE;
                long cell = heap.field(heap.field(roots.get(tSlot), TableLayout.BUCKETS_FIELD), i);
                while (cell != Value.NONE) {
                    roots.set(prevSlot, prev);
                    roots.set(cellSlot, cell);
                    int frame = roots.mark();
                    int keys = c.pushBinding(heap, hashed, roots, cellSlot);
                    boolean drop = keys < 0;
                    if (!drop) {
                        long data = mapper.map(frame, keys);
                        drop = data == Value.NONE;
                        if (!drop) {
                            int dataSlot = roots.push(data);
                            c.setKeyData(heap, hashed, roots, cellSlot, frame, keys, dataSlot);
                        }
                    }
                    roots.popTo(frame);
                    prev = roots.get(prevSlot);
                    cell = roots.get(cellSlot);
                    long next = next(cell);
                    if (drop) {
                        t = roots.get(tSlot);
                        unlink(heap.field(t, TableLayout.BUCKETS_FIELD), i, prev, next);
                        addSize(t, -1);
                    } else {
                        prev = cell;
                    }
                    cell = next;
                }
            }
        } finally {
            exitIteration(roots.get(tSlot));
            touch(roots.get(tSlot), op);
            roots.popTo(mark);
        }
    }

    // ================================================================== counts and statistics

    /**
     * The exact number of live bindings: the size after a purge (unless a callback iteration
     * is running, in which case the live cells are counted).
     */
    long liveLength(int tSlot) {
        if (purge(tSlot)) {
            return size(roots.get(tSlot));
        }
        return countAlive(tSlot, null);
    }

    /**
     * Counts the cells of every bucket, all of them or only the live ones
     * ({@code aliveOnly}); fills {@code lengths} (one per bucket) if not null. Returns the total.
     */
    private long countAlive(int tSlot, int[] lengths) {
        return count(tSlot, true, lengths);
    }

    private long count(int tSlot, boolean aliveOnly, int[] lengths) {
        int mark = roots.mark();
        try {
            long t = roots.get(tSlot);
            Containers c = Containers.of((int) intField(t, TableLayout.KIND_FIELD));
            Object hashed = hashed(t);
            int cellSlot = roots.push(Value.NONE);
            int n = heap.size(heap.field(t, TableLayout.BUCKETS_FIELD));
            long total = 0;
            for (int i = 0; i < n; i++) {
                int length = 0;
                roots.set(cellSlot, heap.field(heap.field(roots.get(tSlot), TableLayout.BUCKETS_FIELD), i));
                while (roots.get(cellSlot) != Value.NONE) {
                    if (!aliveOnly || c.alive(heap, hashed, roots.get(cellSlot))) {
                        length++;
                    }
                    roots.set(cellSlot, next(roots.get(cellSlot)));
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
     * {@code stats} (all cells, dead ones included, and {@code num_bindings} = the size) or
     * {@code stats_alive} (live cells only, {@code num_bindings} = their number). Neither
     * modifies the table.
     */
    Statistics stats(int tSlot, boolean aliveOnly) {
        long t = roots.get(tSlot);
        int[] lengths = new int[heap.size(heap.field(t, TableLayout.BUCKETS_FIELD))];
        long total = count(tSlot, aliveOnly, lengths);
        long bindings = aliveOnly ? total : size(roots.get(tSlot));
        return Statistics.of(bindings, lengths);
    }

    // ================================================================== snapshots

    /**
     * The live bindings, copied into new blocks of tag {@code tag}: one with the keys and one
     * with the values, in iteration order, returned in a block of tag 0 {@code [keys, values]}.
     * Both are allocated before they are filled, and again if a collection during the
     * allocation killed bindings, so they always have the same length and no empty slot.
     * For single-key tables.
     */
    long snapshot(Op op, int tSlot, int tag) {
        int mark = roots.mark();
        try {
            while (true) {
                long expected = liveLength(tSlot);
                int keysSlot = roots.push(heap.allocBlock(tag, (int) expected));
                int valuesSlot = roots.push(heap.allocBlock(tag, (int) expected));
                if (liveLength(tSlot) != expected) {
                    roots.popTo(keysSlot);
                    continue; // a collection killed bindings while we allocated
                }
                long[] filled = {0};
                long before = collections();
                iterate(op, tSlot, (keyBase, keyCount) -> {
                    int i = (int) filled[0]++;
                    if (i < expected) {
                        heap.setField(roots.get(keysSlot), i, roots.get(keyBase));
                        heap.setField(roots.get(valuesSlot), i, roots.get(keyBase + keyCount));
                    }
                });
                if (filled[0] != expected || collections() != before) {
                    roots.popTo(keysSlot);
                    continue; // a client container allocated and a collection happened
                }
                return heap.alloc(0, roots.get(keysSlot), roots.get(valuesSlot));
            }
        } catch (HeapExhaustedException e) {
            throw Failures.exhausted(op, e);
        } finally {
            roots.popTo(mark);
        }
    }
}
