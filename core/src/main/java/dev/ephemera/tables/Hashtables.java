package dev.ephemera.tables;

import dev.ephemera.Heap;
import dev.ephemera.HeapExhaustedException;
import dev.ephemera.RootStack;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.tables.engine.ChainedTable;
import dev.ephemera.tables.engine.Failures;
import dev.ephemera.tables.engine.Op;
import dev.ephemera.tables.layout.EntriesLayout;
import dev.ephemera.tables.layout.TableLayout;
import java.util.NoSuchElementException;

/**
 * Hash tables with a {@link Weakness} (SRFI 126, MIT Scheme, MPS AWL tables): one table type,
 * strong or weak or ephemeral in its keys, its values or both, with any {@link HashedType}
 * ({@link HashedTypes#eq()}, {@link HashedTypes#eqv()}, {@link HashedTypes#equal()},
 * {@link HashedTypes#string()}, or a client's). This is the API a language runtime builds its
 * hash tables on; the names are SRFI 126's.
 *
 * <pre>{@code
 * Hashtables tables = Hashtables.of(heap);
 * try (GlobalRoot t = heap.newGlobalRoot(tables.make(HashedTypes.eq(), Weakness.EPHEMERAL_KEY, 16))) {
 *     tables.set(t.get(), key, value);
 *     long v = tables.ref(t.get(), key, Value.FALSE);
 *     long n = tables.size(t.get());            // exact: bindings whose weak parts died are gone
 * }
 * }</pre>
 *
 * <p>Semantics: after any collection, an entry whose weak or ephemeral part died is gone — no
 * lookup finds it, no walk shows it, {@link #size} does not count it. Tables are heap values;
 * every returned value is raw (valid until the next allocation). Keys and values may not be
 * {@link Value#NONE}. Modifying a table from inside {@link #forEach}, {@link #fold} or
 * {@link #prune} raises {@link java.util.ConcurrentModificationException}; modifying an
 * immutable copy raises {@link UnsupportedOperationException}. Errors name the operation
 * ({@code "Hashtables.set: ..."}).
 */
public final class Hashtables {
    /** The tag of the key and value blocks {@link #toAlist} reads its pairs from, then drops. */
    private static final int ALIST_VECTOR_TAG = 0;

    private final Module tables;
    private final Heap heap;
    private final RootStack roots;
    private final Op opMake;
    private final Op opRef;
    private final Op opSet;
    private final Op opDelete;
    private final Op opContains;
    private final Op opUpdate;
    private final Op opIntern;
    private final Op opSize;
    private final Op opKeys;
    private final Op opValues;
    private final Op opEntries;
    private final Op opToAlist;
    private final Op opClear;
    private final Op opCopy;
    private final Op opWalk;
    private final Op opFold;
    private final Op opPrune;
    private final Op opInfo;

    /** The module doing the work: single-key table functions over every weakness kind. */
    private static final class Module extends SingleKeyModule {
        Module(Heap heap) {
            super(heap, "Hashtables", TableLayout.KIND_WEAKNESS, ChainedTable.ALL_WEAKNESS_KINDS, HashedTypes.eq(), false);
        }
    }

    private Hashtables(Heap heap) {
        this.tables = new Module(heap);
        this.heap = heap;
        this.roots = tables.roots;
        opMake = tables.op("make");
        opRef = tables.op("ref");
        opSet = tables.op("set");
        opDelete = tables.op("delete");
        opContains = tables.op("contains");
        opUpdate = tables.op("update");
        opIntern = tables.op("intern");
        opSize = tables.op("size");
        opKeys = tables.op("keys");
        opValues = tables.op("values");
        opEntries = tables.op("entries");
        opToAlist = tables.op("to_alist");
        opClear = tables.op("clear");
        opCopy = tables.op("copy");
        opWalk = tables.op("walk");
        opFold = tables.op("fold");
        opPrune = tables.op("prune");
        opInfo = tables.op("info");
    }

    /**
     * {@return the tables of {@code heap}} Each instance registers a root stack with the heap:
     * make one per heap and keep it.
     *
     * @param heap the heap the tables live in
     */
    public static Hashtables of(Heap heap) {
        if (heap == null) {
            throw new IllegalArgumentException("Hashtables.of: the heap is null");
        }
        return new Hashtables(heap);
    }

    /** A function from a heap value to a heap value (may allocate). */
    @FunctionalInterface
    public interface ValueFunction {
        /**
         * {@return the new value for the old value {@code v}}
         *
         * @param v the old value (raw)
         */
        long apply(long v);
    }

    /** A supplier of a heap value (may allocate). */
    @FunctionalInterface
    public interface ValueSupplier {
        /** {@return the value supplied (raw); making it may allocate} */
        long get();
    }

    /** A predicate on a binding. */
    @FunctionalInterface
    public interface BindingPredicate {
        /**
         * True to select the binding.
         *
         * @param key the binding's key (raw)
         * @param value the binding's value (raw)
         * @return true to select the binding
         */
        boolean test(long key, long value);
    }

    // ================================================================== construction

    /**
     * {@code (make-hashtable hash equiv capacity weakness)}: a new empty table. {@code capacity}
     * is a hint (the bucket count starts at the power of two at or above it, at least 16).
     *
     * @param hashedType the keys' hash and equivalence
     * @param weakness how the table holds its keys and values
     * @param capacity the expected number of entries, a hint
     * @return the new table (raw: valid until the next allocation)
     */
    public long make(HashedType hashedType, Weakness weakness, int capacity) {
        if (hashedType == null) {
            throw new IllegalArgumentException(opMake + ": the hashed type is null");
        }
        if (weakness == null) {
            throw new IllegalArgumentException(opMake + ": the weakness is null (use Weakness.NONE)");
        }
        if (capacity < 0) {
            throw new IllegalArgumentException(opMake + ": capacity " + capacity + " is negative");
        }
        Object stored = hashedType instanceof HashedTypes.Builtin ? hashedType : SeededHashedType.ignoringSeed(hashedType);
        return tables.engine.create(opMake, TableLayout.KIND_WEAKNESS + weakness.ordinal(), stored, capacity, 0);
    }

    /**
     * {@code (make-eq-hashtable capacity weakness)}.
     *
     * @param weakness how the table holds its keys and values
     * @param capacity the expected number of entries, a hint
     * @return the new table (raw: valid until the next allocation)
     */
    public long makeEq(Weakness weakness, int capacity) {
        return make(HashedTypes.eq(), weakness, capacity);
    }

    /**
     * {@code (make-eqv-hashtable capacity weakness)}.
     *
     * @param weakness how the table holds its keys and values
     * @param capacity the expected number of entries, a hint
     * @return the new table (raw: valid until the next allocation)
     */
    public long makeEqv(Weakness weakness, int capacity) {
        return make(HashedTypes.eqv(), weakness, capacity);
    }

    /**
     * {@code (make-equal-hashtable capacity weakness)}.
     *
     * @param weakness how the table holds its keys and values
     * @param capacity the expected number of entries, a hint
     * @return the new table (raw: valid until the next allocation)
     */
    public long makeEqual(Weakness weakness, int capacity) {
        return make(HashedTypes.equal(), weakness, capacity);
    }

    /**
     * {@code (make-string-hashtable capacity weakness)}.
     *
     * @param weakness how the table holds its keys and values
     * @param capacity the expected number of entries, a hint
     * @return the new table (raw: valid until the next allocation)
     */
    public long makeString(Weakness weakness, int capacity) {
        return make(HashedTypes.string(), weakness, capacity);
    }

    // ================================================================== access

    /**
     * {@return {@code (hashtable-ref ht key default)}: the value bound to {@code key}, or {@code
     * dflt}}
     *
     * @param t a table
     * @param key the key
     * @param dflt what to return when {@code key} is unbound
     */
    public long ref(long t, long key, long dflt) {
        long v = tables.lookup1(opRef, t, key, ChainedTable.Lookup.FIRST_DATA);
        return v == Value.NONE ? dflt : v;
    }

    /**
     * {@return {@code (hashtable-ref ht key)}: the value bound to {@code key}}
     *
     * @param t a table
     * @param key the key
     * @throws NoSuchElementException if there is none
     */
    public long ref(long t, long key) {
        long v = tables.lookup1(opRef, t, key, ChainedTable.Lookup.FIRST_DATA);
        if (v == Value.NONE) {
            throw new NoSuchElementException(opRef + ": no value for the key " + Value.describe(key));
        }
        return v;
    }

    /**
     * {@code (hashtable-set! ht key value)}: binds {@code key} to {@code value}, replacing.
     *
     * @param t a mutable table
     * @param key the key, not NONE
     * @param value the value, not NONE
     */
    public void set(long t, long key, long value) {
        tables.insert1(opSet, t, key, value, true);
    }

    /**
     * {@code (hashtable-delete! ht key)}: removes the binding of {@code key}, if any.
     *
     * @param t a mutable table
     * @param key the key
     */
    public void delete(long t, long key) {
        tables.removeKeys(opDelete, t, 1, key, Value.NONE);
    }

    /**
     * {@code (hashtable-contains? ht key)}.
     *
     * @param t a table
     * @param key the key
     * @return true if {@code key} is bound
     */
    public boolean contains(long t, long key) {
        return tables.lookup1(opContains, t, key, ChainedTable.Lookup.MEMBERSHIP) == Value.TRUE;
    }

    /**
     * {@code (hashtable-update! ht key proc default)}: binds {@code key} to
     * {@code proc(ref(key, dflt))}; returns the new value (raw). {@code proc} may allocate.
     *
     * @param t a mutable table
     * @param key the key
     * @param proc the function from the old value (or {@code dflt}) to the new one
     * @param dflt the old value to give {@code proc} when {@code key} is unbound
     * @return the new value (raw)
     */
    public long update(long t, long key, ValueFunction proc, long dflt) {
        if (proc == null) {
            throw new IllegalArgumentException(opUpdate + ": the procedure is null");
        }
        tables.check(opUpdate, t);
        heap.checkArgument(opUpdate.name, key);
        int mark = roots.mark();
        try {
            int tSlot = roots.push(t);
            int keySlot = roots.push(key);
            long current = tables.lookup1(opUpdate, t, key, ChainedTable.Lookup.FIRST_DATA);
            current = current == Value.NONE ? dflt : current;
            int newSlot = roots.push(proc.apply(current));
            tables.insert1(opUpdate, roots.get(tSlot), roots.get(keySlot), roots.get(newSlot), true);
            return roots.get(newSlot);
        } finally {
            roots.popTo(mark);
        }
    }

    /**
     * {@code (hashtable-intern! ht key default-proc)}: the value bound to {@code key}; if there
     * is none, binds it to {@code dflt.get()} first. Returns the value (raw).
     *
     * @param t a mutable table
     * @param key the key
     * @param dflt what makes the value when {@code key} is unbound
     * @return the value bound to {@code key} (raw)
     */
    public long intern(long t, long key, ValueSupplier dflt) {
        if (dflt == null) {
            throw new IllegalArgumentException(opIntern + ": the default procedure is null");
        }
        long v = tables.lookup1(opIntern, t, key, ChainedTable.Lookup.FIRST_DATA);
        if (v != Value.NONE) {
            return v;
        }
        int mark = roots.mark();
        try {
            int tSlot = roots.push(t);
            int keySlot = roots.push(key);
            int newSlot = roots.push(dflt.get());
            tables.insert1(opIntern, roots.get(tSlot), roots.get(keySlot), roots.get(newSlot), true);
            return roots.get(newSlot);
        } finally {
            roots.popTo(mark);
        }
    }

    /**
     * {@return {@code (hashtable-size ht)}: the exact number of live entries} After a collection,
     * the first call unlinks the entries whose weak parts died.
     *
     * @param t a table
     */
    public long size(long t) {
        tables.check(opSize, t);
        int mark = roots.mark();
        try {
            return tables.engine.liveLength(opSize, roots.push(t));
        } finally {
            roots.popTo(mark);
        }
    }

    // ================================================================== whole table

    /**
     * {@return {@code (hashtable-keys ht)}: a new block of tag {@code vectorTag} holding the keys}
     *
     * @param t a table
     * @param vectorTag the tag of the block made
     */
    public long keys(long t, int vectorTag) {
        return heap.field(entries(opKeys, t, vectorTag), EntriesLayout.KEYS_FIELD);
    }

    /**
     * {@return {@code (hashtable-values ht)}: a new block of tag {@code vectorTag} holding the
     * values}
     *
     * @param t a table
     * @param vectorTag the tag of the block made
     */
    public long values(long t, int vectorTag) {
        return heap.field(entries(opValues, t, vectorTag), EntriesLayout.VALUES_FIELD);
    }

    /**
     * {@return {@code (hashtable-entries ht)}: a new block of tag 0 {@code [keys, values]} holding
     * two new blocks of tag {@code vectorTag}, the keys and the values in the same order}
     *
     * @param t a table
     * @param vectorTag the tag of the key and value blocks
     */
    public long entries(long t, int vectorTag) {
        return entries(opEntries, t, vectorTag);
    }

    private long entries(Op op, long t, int vectorTag) {
        tables.check(op, t);
        if (!Tag.isAllocatable(vectorTag)) {
            throw new IllegalArgumentException(op + ": tag " + vectorTag + " is not a scanned block tag");
        }
        int mark = roots.mark();
        try {
            return tables.engine.snapshot(op, roots.push(t), vectorTag);
        } finally {
            roots.popTo(mark);
        }
    }

    /**
     * {@return {@code (hashtable->alist ht)}: a new list of {@code (key . value)} pairs} Pairs and
     * list cells are blocks of tag {@code pairTag} with two fields {@code [car, cdr]}; the list
     * ends with {@code nil}.
     *
     * @param t a table
     * @param pairTag the tag of the pairs and list cells
     * @param nil the value that ends the list
     */
    public long toAlist(long t, int pairTag, long nil) {
        if (!Tag.isAllocatable(pairTag)) {
            throw new IllegalArgumentException(opToAlist + ": tag " + pairTag + " is not a scanned block tag");
        }
        tables.check(opToAlist, t);
        heap.checkArgument(opToAlist.name, nil);
        int mark = roots.mark();
        try {
            int nilSlot = roots.push(nil);
            int entriesSlot = roots.push(entries(opToAlist, t, ALIST_VECTOR_TAG));
            int listSlot = roots.push(roots.get(nilSlot));
            int n = heap.size(heap.field(roots.get(entriesSlot), EntriesLayout.KEYS_FIELD));
            for (int i = n - 1; i >= 0; i--) {
                long e = roots.get(entriesSlot);
                long pair = heap.alloc(pairTag, heap.field(heap.field(e, EntriesLayout.KEYS_FIELD), i),
                        heap.field(heap.field(e, EntriesLayout.VALUES_FIELD), i));
                roots.set(listSlot, heap.alloc(pairTag, pair, roots.get(listSlot)));
            }
            return roots.get(listSlot);
        } catch (HeapExhaustedException e) {
            throw Failures.exhausted(opToAlist, e);
        } finally {
            roots.popTo(mark);
        }
    }

    /**
     * {@code (hashtable-walk ht proc)}: calls {@code f} on every live entry.
     *
     * @param t a table
     * @param f the function called with each key and value
     */
    public void forEach(long t, Bindings.Visitor f) {
        tables.iter(t, f, opWalk);
    }

    /**
     * {@code (hashtable-fold ht kons knil)} with a Java accumulator.
     *
     * @param <A> the accumulator's type
     * @param t a table
     * @param f the function from a binding and the accumulator to the next accumulator
     * @param init the first accumulator
     * @return the last accumulator
     */
    public <A> A fold(long t, Bindings.Folder<A> f, A init) {
        return tables.fold(t, f, init, opFold);
    }

    /**
     * {@code (hashtable-fold ht kons knil)} with a heap value as accumulator.
     *
     * @param t a table
     * @param f the function from a binding and the accumulator to the next accumulator
     * @param init the first accumulator, a heap value (rooted during the fold)
     * @return the last accumulator (raw)
     */
    public long foldValue(long t, Bindings.ValueFolder f, long init) {
        return tables.foldValue(t, f, init, opFold);
    }

    /**
     * {@code (hashtable-prune! proc ht)}: removes every entry for which {@code p} is true.
     *
     * @param t a mutable table
     * @param p the test: true removes the entry
     */
    public void prune(long t, BindingPredicate p) {
        if (p == null) {
            throw new IllegalArgumentException(opPrune + ": the predicate is null");
        }
        tables.filterMapInplace(t, (k, v) -> p.test(k, v) ? Value.NONE : v, opPrune);
    }

    /**
     * {@code (hashtable-clear! ht)}: removes every entry; keeps the bucket count.
     *
     * @param t a mutable table
     */
    public void clear(long t) {
        tables.check(opClear, t);
        tables.engine.clear(opClear, t);
    }

    /**
     * {@return {@code (hashtable-copy ht mutable?)}: a new table with the same weakness, hashed
     * type and live entries} Unlike OCaml's {@code copy}, the entries are independent: changing one
     * table never changes the other. Without {@code mutable}, the copy is immutable.
     *
     * @param t a table
     * @param mutable whether the copy may be changed
     */
    public long copy(long t, boolean mutable) {
        tables.check(opCopy, t);
        return tables.engine.copy(opCopy, t, false, mutable ? 0 : TableLayout.IMMUTABLE);
    }

    /**
     * {@return a cursor over the live entries (see {@link TableCursor})}
     *
     * @param t a table
     */
    public TableCursor cursor(long t) {
        return tables.toSeq(t);
    }

    // ================================================================== information

    /**
     * {@code (hashtable? v)}.
     *
     * @param v any value
     * @return true if {@code v} is a table of this module
     */
    public boolean isHashtable(long v) {
        return tables.isTable(v);
    }

    /**
     * {@code (hashtable-mutable? ht)}.
     *
     * @param t a table
     * @return true if {@code t} may be changed
     */
    public boolean isMutable(long t) {
        tables.check(opInfo, t);
        return !tables.engine.isImmutable(t);
    }

    /**
     * {@code (hashtable-weakness ht)}.
     *
     * @param t a table
     * @return how {@code t} holds its keys and values
     */
    public Weakness weakness(long t) {
        int kind = tables.check(opInfo, t);
        return Weakness.values()[kind - TableLayout.KIND_WEAKNESS];
    }

    /**
     * {@return the hashed type the table was made with ({@code hashtable-hash-function}, {@code
     * -equivalence-function})}
     *
     * @param t a table
     */
    public HashedType hashedType(long t) {
        tables.check(opInfo, t);
        Object h = tables.engine.hashed(t);
        return h instanceof SeededHashedType.Unseeded ? ((SeededHashedType.Unseeded) h).hashedType() : (HashedType) h;
    }

    /**
     * {@return OCaml's {@code stats}: the buckets as stored (entries not yet purged included)}
     *
     * @param t a table
     */
    public Statistics stats(long t) {
        return tables.stats(t);
    }
}
