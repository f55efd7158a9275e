package dev.ephemera.tables.engine;

import dev.ephemera.Heap;
import dev.ephemera.NotABlockException;
import dev.ephemera.RootStack;
import dev.ephemera.WrongTagException;
import dev.ephemera.object.Value;
import dev.ephemera.tables.Weakness;
import dev.ephemera.tables.layout.TableLayout;

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
 * compares the table's modification stamp before and after ({@link ModificationGuard}): a change
 * raises {@link java.util.ConcurrentModificationException} instead of corrupting a walk.
 * Modifying a table from a visitor of {@code iter}/{@code fold}/{@code filter_map_inplace} raises
 * before anything is changed (the table counts the iterations running on it); a lazy sequence
 * ({@code TableCursor}) raises on its next step after a modification. Purging is not a
 * modification: it only unlinks dead cells, whose {@code next} pointers stay valid, so a
 * suspended sequence stays correct.
 *
 * <h2>The parts</h2>
 * This class is the engine of one module (one per heap and hashed type): the root stack its
 * operations keep values in, the collection clock and the hashed-type box its tables share; and
 * the entry points, each handed to the part that does the work —
 * {@link TableCreation} ({@code create}, {@code copy}, {@code clear}, {@code reset}),
 * {@link Insertion} ({@code add}, {@code replace}), {@link BucketSearch} (lookups,
 * {@code remove}), {@link Iteration} (walks, counts, snapshots), {@link Purge} (dead cells),
 * {@link Growth} (the resize policy) and {@link FreeList} (cells kept for reuse) — over
 * {@link TableFields} (a table's fields by name) and the {@link ModificationGuard}.
 * {@link TableValidator} checks the invariants they keep. The accessors, the guard and the free
 * list are static functions of the heap, and an entry point is given the kind's
 * {@link Containers} its module has already looked up: every operation is a chain of dependent
 * loads through the heap, and each extra link on the way (an object holding the heap, a field
 * read twice) cost the memo-table and find loops 5-25 %.
 *
 * <h2>Frames</h2>
 * An operation on one binding takes its arguments on the root stack, as a <em>frame</em>: the
 * table in slot {@code frame}, then the keys, then (insertions) the data ({@link #frameTable},
 * {@link #frameKeys}, {@link #frameData}). The frame is the operation's parameter object: it
 * costs no allocation and the collector keeps it up to date.
 *
 * <p>References: [1] {@code stdlib/ephemeron.ml} of OCaml 4.14 ({@code GenHashTable}); the same
 * code serves the OCaml 5 functions. [2] {@code stdlib/ephemeron.mli} and {@code hashtbl.mli}:
 * the {@code S} and {@code SeededS} signatures, whose functions this class implements
 * (docs/tables.md has the table, function by function).
 */
public final class ChainedTable {
    /** The reason of the minor collection a table may ask for before growing (GC events, log). */
    public static final String GROWTH_COLLECTION = "weak table about to grow";

    /** The kinds of every {@code Hashtables} table, as a mask of {@code 1 << kind}. */
    public static final int ALL_WEAKNESS_KINDS = ((1 << TableLayout.WEAKNESS_KINDS) - 1) << TableLayout.KIND_WEAKNESS;

    /** Root slot of the foreign box of {@link #boxHashed}, shared by the tables this engine creates. */
    private static final int BOX_SLOT = 0;

    final Heap heap;
    final RootStack roots;
    final CollectionClock clock;
    final Purge purge;
    final Growth growth;
    private final TableCreation creation;
    private final Insertion insertion;
    private final BucketSearch search;
    private final Iteration iteration;
    /** The hashed type in the box of {@link #BOX_SLOT}: a one-entry cache of box → strategy. */
    Object boxHashed; // read by the parts' hot paths, through hashed(heap, roots, boxHashed, t)

    /** The engine of one module of {@code heap}; it registers a root stack there. */
    public ChainedTable(Heap heap) {
        this.heap = heap;
        this.roots = heap.newRootStack();
        roots.push(Value.NONE); // BOX_SLOT, never popped
        this.clock = new CollectionClock(heap);
        this.purge = new Purge(this);
        this.growth = new Growth(this);
        this.creation = new TableCreation(this);
        this.insertion = new Insertion(this);
        this.search = new BucketSearch(this);
        this.iteration = new Iteration(this);
    }

    /** The heap the engine's tables live in. */
    public Heap heap() {
        return heap;
    }

    /** The root stack the engine's operations (and its module's) keep values in: one per engine. */
    public RootStack roots() {
        return roots;
    }

    // ================================================================== frames

    /** The slot of the table in the frame starting at {@code frame}. */
    public static int frameTable(int frame) {
        return frame;
    }

    /** The slot of the first key in the frame starting at {@code frame}. */
    public static int frameKeys(int frame) {
        return frame + 1;
    }

    /** The slot of the data in the frame starting at {@code frame}, after {@code keyCount} keys. */
    public static int frameData(int frame, int keyCount) {
        return frame + 1 + keyCount;
    }

    // ================================================================== checks

    /** Checks that {@code t} is a table of one of the kinds in {@code kindMask}; returns its kind. */
    public int kindOf(Op op, long t, int kindMask) {
        heap.checkArgument(op.name, t); // closed heap, other thread, stale or forged table: named by op
        if (!Value.isBlock(t)) {
            throw new NotABlockException(op + ": expected a hash table, got " + Value.describe(t));
        }
        if (!isTable(t)) {
            throw new WrongTagException(op + ": expected a hash table, got " + Failures.describe(heap, t));
        }
        int kind = TableFields.kind(heap, t);
        if ((kindMask & (1 << kind)) == 0) {
            throw new IllegalArgumentException(op + ": expected " + describeKinds(kindMask)
                    + ", got " + describeKind(kind));
        }
        return kind;
    }

    /** True if {@code v} is a table of any kind. */
    public boolean isTable(long v) {
        return isTable(heap, v);
    }

    /** True if {@code v} is a table of any kind in {@code heap}. */
    public static boolean isTable(Heap heap, long v) {
        return Value.isBlock(v) && heap.tag(v) == TableLayout.TAG && heap.size(v) == TableLayout.SIZE_WORDS
                && heap.field(v, TableLayout.MARK_FIELD) == TableLayout.MARK;
    }

    /** A table of {@code kind}, for a message. */
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
        if ((mask & ~ALL_WEAKNESS_KINDS) == 0) {
            return "a Hashtables table";
        }
        return describeKind(Integer.numberOfTrailingZeros(mask));
    }

    // ================================================================== the hashed type

    /**
     * The hashed type stored in {@code t}. Tables made by this engine share one box, which
     * {@link #BOX_SLOT} keeps alive and up to date, so comparing pointers identifies it.
     */
    public Object hashed(long t) {
        return hashed(heap, roots, boxHashed, t);
    }

    /**
     * {@link #hashed(long)} for the parts, from their own heap and root stack and the engine's
     * cached strategy: a static method small enough to be inlined on every hot path (through the
     * engine object, the find loop ran ~10 % slower).
     */
    static Object hashed(Heap heap, RootStack roots, Object cached, long t) {
        long box = heap.field(t, TableLayout.HASHED_FIELD);
        return box == roots.get(BOX_SLOT) ? cached : heap.foreign(box);
    }

    /** The box holding {@code hashed}, in {@link #BOX_SLOT} (allocated if the cache holds another). */
    long boxFor(Object hashed) {
        if (hashed != boxHashed || roots.get(BOX_SLOT) == Value.NONE) {
            long box = heap.allocForeign(hashed);
            roots.set(BOX_SLOT, box);
            boxHashed = hashed;
        }
        return roots.get(BOX_SLOT);
    }

    // ================================================================== entry points

    /** {@code length}: OCaml's size, dead cells not yet unlinked included. */
    public long size(long t) {
        return TableFields.size(heap, t);
    }

    /** The modification stamp of {@code t}. */
    public long stamp(long t) {
        return ModificationGuard.TABLES.stamp(heap, t);
    }

    /** True if {@code t} is an immutable table (SRFI 126's immutable copies). */
    public boolean isImmutable(long t) {
        return TableFields.isImmutable(TableFields.state(heap, t));
    }

    /** A new empty table of {@code kind} ({@code create}); the result is a raw value. */
    public long create(Op op, int kind, Object hashed, int initialSize, int seed) {
        return creation.create(op, kind, hashed, initialSize, seed);
    }

    /** {@code clear}. */
    public void clear(Op op, long t) {
        creation.clear(op, t);
    }

    /** {@code reset}. */
    public void reset(Op op, long t) {
        creation.reset(op, t);
    }

    /** {@code copy}: containers shared (OCaml) or not (SRFI 126); {@code flags} are the copy's. */
    public long copy(Op op, long t, boolean shareContainers, int flags) {
        return creation.copy(op, t, shareContainers, flags);
    }

    /**
     * {@code add} or {@code replace} of the binding in root frame {@code frame} (table, keys,
     * data), the table being of kind {@code c} (its caller checked it).
     */
    public void insert(Op op, Containers c, int frame, int keyCount, boolean replace) {
        insertion.insert(op, c, frame, keyCount, replace);
    }

    /** {@code remove} of the key in root frame {@code frame} (table, keys) from a table of kind {@code c}. */
    public void remove(Op op, Containers c, int frame, int keyCount) {
        search.remove(op, c, frame, keyCount);
    }

    /** What a lookup collects. */
    public enum Lookup {
        /** {@code find}, {@code find_opt}: the most recent binding's data, or NONE. */
        FIRST_DATA,
        /** {@code find_all}: every binding's data. */
        ALL_DATA,
        /** {@code mem}: {@code Value.TRUE} or {@code Value.FALSE}. */
        MEMBERSHIP
    }

    /**
     * {@code find}, {@code find_opt} or {@code mem} of the key in root frame {@code frame} (table,
     * keys) in a table of kind {@code c}.
     */
    public long find(Op op, Containers c, int frame, int keyCount, Lookup what) {
        return search.lookup(op, c, frame, keyCount, what, null);
    }

    /** {@code find_all}: every datum bound to the key in {@code frame}, most recent first (raw values). */
    public long[] findAll(Op op, Containers c, int frame, int keyCount) {
        long[][] out = new long[1][];
        search.lookup(op, c, frame, keyCount, Lookup.ALL_DATA, out);
        return out[0];
    }

    /**
     * Receives each live binding of an iteration: its keys are in root slots
     * [{@code keyBase}, {@code keyBase + keyCount}), its data in {@code keyBase + keyCount}.
     */
    public interface Visitor {
        /** Called with each live binding. */
        void visit(int keyBase, int keyCount);
    }

    /** Maps a binding (same slots as {@link Visitor}) to its new data, or NONE to drop it. */
    public interface Mapper {
        /** The binding's new data, or NONE. */
        long map(int keyBase, int keyCount);
    }

    /** {@code iter}/{@code fold}: visits every live binding of the table in {@code tSlot}. */
    public void iterate(Op op, int tSlot, Visitor visitor) {
        iteration.iterate(op, tSlot, visitor);
    }

    /** {@code filter_map_inplace}. */
    public void filterMapInplace(Op op, int tSlot, Mapper mapper) {
        iteration.filterMapInplace(op, tSlot, mapper);
    }

    /**
     * The exact number of live bindings: the size after a purge (unless a callback iteration is
     * running, in which case the live cells are counted).
     */
    public long liveLength(Op op, int tSlot) {
        if (purge.purge(op, tSlot)) {
            return TableFields.size(heap, roots.get(tSlot));
        }
        return iteration.count(tSlot, true, null);
    }

    /**
     * The cells of every bucket, all of them or only the live ones ({@code aliveOnly}), into
     * {@code lengths} (one per bucket); returns their total. For {@code stats} and
     * {@code stats_alive}; never modifies the table.
     */
    public long bucketLengths(int tSlot, boolean aliveOnly, int[] lengths) {
        return iteration.count(tSlot, aliveOnly, lengths);
    }

    /** {@code clean}: unlinks every dead cell. */
    public void clean(Op op, int tSlot) {
        purge.clean(op, tSlot);
    }

    /** Unlinks dead cells if a collection happened since the last purge; true if the size is then exact. */
    public boolean purge(Op op, int tSlot) {
        return purge.purge(op, tSlot);
    }

    /**
     * The live bindings of a single-key table as a new {@code [keys, values]} block, each of
     * tag {@code tag} (SRFI 126's {@code hashtable-entries}).
     */
    public long snapshot(Op op, int tSlot, int tag) {
        return iteration.snapshot(op, tSlot, tag);
    }

    /**
     * After a call out to client code: the table again from root slot {@code tSlot}, checked
     * unmodified since {@code stamp} (the walks of {@link Insertion} and {@link BucketSearch}).
     */
    long reload(Op op, int tSlot, long stamp, String during) {
        return ModificationGuard.TABLES.reloadUnchanged(heap, roots, op, tSlot, stamp, during);
    }
}
