package dev.ephemera.tables;

import dev.ephemera.Heap;
import dev.ephemera.RootStack;
import dev.ephemera.object.Value;
import dev.ephemera.tables.engine.ChainedTable;
import dev.ephemera.tables.engine.Containers;
import dev.ephemera.tables.engine.Op;
import dev.ephemera.tables.engine.TableFields;
import dev.ephemera.tables.layout.TableLayout;
import java.util.SplittableRandom;

/**
 * What every table "module" (the result of applying one of OCaml's table functors) shares: the
 * functions of the {@code S}/{@code SeededS} signature that do not depend on the key arity.
 * Operations take the table value and use the hashed type stored in it, so a module can
 * operate on any table of its kind, whichever module created it.
 *
 * <p>A module registers a {@link dev.ephemera.RootStack} with its heap (where operations keep the values they
 * hold across allocations): make one per heap and hashed type and keep it, as one applies a
 * functor once. A module is used by the heap's owner thread only.
 */
abstract class TableModule {
    final Heap heap;
    final ChainedTable engine;
    final RootStack roots;
    /** "Ephemeron.K1", "Hashtables", ...: the prefix of operation names. */
    final String module;
    /** The kind of the tables this module creates. */
    final int kind;
    /** The tables this module operates on. */
    final int kindMask;
    /** The strategy stored in the tables this module creates. */
    final Object hashed;
    /** Made by MakeSeeded: {@code create} may randomise the seed. */
    final boolean seeded;
    private SplittableRandom prng;

    final Op opCreate;
    final Op opClear;
    final Op opReset;
    final Op opCopy;
    final Op opAdd;
    final Op opRemove;
    final Op opFind;
    final Op opFindOpt;
    final Op opFindAll;
    final Op opReplace;
    final Op opMem;
    final Op opIter;
    final Op opFold;
    final Op opFilterMapInplace;
    final Op opLength;
    final Op opLiveLength;
    final Op opStats;
    final Op opToSeq;
    final Op opToSeqKeys;
    final Op opToSeqValues;
    final Op opAddSeq;
    final Op opReplaceSeq;
    final Op opOfSeq;
    final Op opClean;
    final Op opStatsAlive;

    TableModule(Heap heap, String module, int kind, int kindMask, Object hashed, boolean seeded) {
        if (heap == null) {
            throw new IllegalArgumentException(module + ": the heap is null");
        }
        if (hashed == null) {
            throw new IllegalArgumentException(module + ": the hashed type is null");
        }
        this.heap = heap;
        this.engine = new ChainedTable(heap);
        this.roots = engine.roots();
        this.module = module;
        this.kind = kind;
        this.kindMask = kindMask;
        this.hashed = hashed;
        this.seeded = seeded;
        opCreate = op("create");
        opClear = op("clear");
        opReset = op("reset");
        opCopy = op("copy");
        opAdd = op("add");
        opRemove = op("remove");
        opFind = op("find");
        opFindOpt = op("find_opt");
        opFindAll = op("find_all");
        opReplace = op("replace");
        opMem = op("mem");
        opIter = op("iter");
        opFold = op("fold");
        opFilterMapInplace = op("filter_map_inplace");
        opLength = op("length");
        opLiveLength = op("live_length");
        opStats = op("stats");
        opToSeq = op("to_seq");
        opToSeqKeys = op("to_seq_keys");
        opToSeqValues = op("to_seq_values");
        opAddSeq = op("add_seq");
        opReplaceSeq = op("replace_seq");
        opOfSeq = op("of_seq");
        opClean = op("clean");
        opStatsAlive = op("stats_alive");
    }

    final Op op(String function) {
        return Op.named(module + "." + function);
    }

    /** Refuses a null function argument, before the table is touched, under {@code op}'s name. */
    static void requireFunction(Op op, Object f) {
        if (f == null) {
            throw new IllegalArgumentException(op + ": the function is null");
        }
    }

    /** Checks the table argument; returns its kind. */
    final int check(Op op, long t) {
        return engine.kindOf(op, t, kindMask);
    }

    /** Checks a key or data argument: NONE is an empty slot, not a value; a pointer must be valid. */
    final void checkValue(Op op, String what, long v) {
        if (v == Value.NONE) {
            throw new IllegalArgumentException(op + ": the " + what + " is none (empty slots cannot be bound)");
        }
        heap.checkArgument(op.name, v);
    }

    /** Checks the keys of a lookup or removal (NONE is allowed: it finds nothing). */
    final void checkKeys(Op op, long[] keys, int keyCount) {
        for (int i = 0; i < keyCount; i++) {
            heap.checkArgument(op.name, keys[i]);
        }
    }

    /** {@link #checkKeys(Op, long[], int)} for one or two keys given without an array. */
    private void checkKeys(Op op, int keyCount, long key1, long key2) {
        heap.checkArgument(op.name, key1);
        if (keyCount == 2) {
            heap.checkArgument(op.name, key2);
        }
    }

    // ================================================================== create

    /**
     * {@code create n}: a new empty table with {@code max(16, n)} buckets rounded up to a power
     * of two (OCaml's {@code power_2_above 16 n}; like OCaml, a negative {@code n} is 16). Not
     * randomised: the seed is 0. The result is a raw value: root it before allocating.
     *
     * @param n the expected number of bindings, a hint
     * @return the new table (raw: valid until the next allocation)
     */
    public long create(int n) {
        return engine.create(opCreate, kind, hashed, n, 0);
    }

    /**
     * {@code create ~random n} ({@code MakeSeeded} only): with {@code random}, the seed is drawn
     * from a generator owned by this module and seeded from the system on first use, as OCaml's
     * lazily self-initialised PRNG; otherwise it is 0.
     *
     * @param random whether the seed is random
     * @param n the expected number of bindings, a hint
     * @return the new table (raw: valid until the next allocation)
     * @throws UnsupportedOperationException with {@code random} on a module made by {@code make}
     */
    public long create(boolean random, int n) {
        if (!random) {
            return create(n);
        }
        if (!seeded) {
            throw new UnsupportedOperationException(opCreate + ": tables of Make are never randomized"
                    + " (the seed is ignored); use makeSeeded");
        }
        if (prng == null) {
            prng = new SplittableRandom();
        }
        return engine.create(opCreate, kind, hashed, n, (int) (prng.nextInt() & TableLayout.SEED_MASK));
    }

    // ================================================================== whole-table operations

    /**
     * {@code clear}: removes every binding; keeps the bucket count.
     *
     * @param t a table of this module
     */
    public void clear(long t) {
        check(opClear, t);
        engine.clear(opClear, t);
    }

    /**
     * {@code reset}: removes every binding and goes back to the initial bucket count.
     *
     * @param t a table of this module
     */
    public void reset(long t) {
        check(opReset, t);
        engine.reset(opReset, t);
    }

    /**
     * {@code copy}: a new table with the same bindings. As in OCaml the containers are shared:
     * {@code replace} on a key present in both tables changes the data seen by both, while
     * adding or removing affects one table only. (Dead bindings are not copied.)
     *
     * @param t a table of this module
     * @return the new table (raw: valid until the next allocation)
     */
    public long copy(long t) {
        check(opCopy, t);
        return engine.copy(opCopy, t, true, 0);
    }

    /**
     * {@code length}: OCaml's size counter, the number of bindings stored, including bindings
     * whose keys died since the table was last purged: an upper bound on the live bindings,
     * exact right after {@link #liveLength}, an iteration or {@link #clean}. O(1).
     *
     * @param t a table of this module
     * @return the number of bindings stored, dead ones included
     */
    public long length(long t) {
        check(opLength, t);
        return engine.size(t);
    }

    /**
     * {@return the exact number of live bindings (beyond OCaml)} After a collection the first call
     * unlinks the dead bindings (O(buckets + bindings)); later calls are O(1) until the next
     * collection.
     *
     * @param t a table of this module
     */
    public long liveLength(long t) {
        check(opLiveLength, t);
        int mark = roots.mark();
        try {
            return engine.liveLength(opLiveLength, roots.push(t));
        } finally {
            roots.popTo(mark);
        }
    }

    /**
     * {@code stats}: OCaml's statistics, counting every stored binding, dead ones included.
     *
     * @param t a table of this module
     * @return the statistics of every stored binding
     */
    public Statistics stats(long t) {
        check(opStats, t);
        return withTable(t, tSlot -> statistics(tSlot, false));
    }

    /**
     * {@code stats_alive}: the statistics of the live bindings only. Does not modify the table.
     *
     * @param t a table of this module
     * @return the statistics of the live bindings
     */
    public Statistics statsAlive(long t) {
        check(opStatsAlive, t);
        return withTable(t, tSlot -> statistics(tSlot, true));
    }

    /**
     * {@code stats} (all cells, dead ones included, and {@code num_bindings} = the size) or
     * {@code stats_alive} (live cells only, {@code num_bindings} = their number).
     */
    private Statistics statistics(int tSlot, boolean aliveOnly) {
        int[] lengths = new int[TableFields.bucketCount(heap, roots.get(tSlot))];
        long total = engine.bucketLengths(tSlot, aliveOnly, lengths);
        long bindings = aliveOnly ? total : engine.size(roots.get(tSlot));
        return Statistics.of(bindings, lengths);
    }

    /**
     * {@code clean}: removes every dead binding now.
     *
     * @param t a table of this module
     */
    public void clean(long t) {
        check(opClean, t);
        int mark = roots.mark();
        try {
            engine.clean(opClean, roots.push(t));
        } finally {
            roots.popTo(mark);
        }
    }

    /**
     * {@code to_seq}: a cursor over the live bindings (keys and data).
     *
     * @param t a table of this module
     * @return the cursor, on no binding yet
     */
    public TableCursor toSeq(long t) {
        return cursor(opToSeq, t);
    }

    /**
     * {@code to_seq_keys}: a cursor over the live bindings, for their keys.
     *
     * @param t a table of this module
     * @return the cursor, on no binding yet
     */
    public TableCursor toSeqKeys(long t) {
        return cursor(opToSeqKeys, t);
    }

    /**
     * {@code to_seq_values}: a cursor over the live bindings, for their data.
     *
     * @param t a table of this module
     * @return the cursor, on no binding yet
     */
    public TableCursor toSeqValues(long t) {
        return cursor(opToSeqValues, t);
    }

    private TableCursor cursor(Op op, long t) {
        check(op, t);
        return withTable(t, tSlot -> new TableCursor(engine, op, tSlot));
    }

    /**
     * {@return true if {@code v} is a table this module can operate on}
     *
     * @param v any value
     */
    public boolean isTable(long v) {
        return engine.isTable(v) && (kindMask & (1 << TableFields.kind(heap, v))) != 0;
    }

    /** {@return the heap this module works in} */
    public Heap heap() {
        return heap;
    }

    // ================================================================== helpers for subclasses

    interface TableFunction<R> {
        R apply(int tSlot);
    }

    final <R> R withTable(long t, TableFunction<R> f) {
        int mark = roots.mark();
        try {
            return f.apply(roots.push(t));
        } finally {
            roots.popTo(mark);
        }
    }

    /**
     * Pushes the frame of an operation on one binding ({@link ChainedTable#frameTable}): the
     * table, then the keys; returns its first slot.
     */
    private int pushFrame(long t, long[] keys, int keyCount) {
        int frame = roots.push(t);
        for (int i = 0; i < keyCount; i++) {
            roots.push(keys[i]);
        }
        return frame;
    }

    /** Inserts (add or replace) one binding; the keys are raw values. */
    final void insert(Op op, long t, long[] keys, int keyCount, long data, boolean replace) {
        Containers c = Containers.of(check(op, t));
        for (int i = 0; i < keyCount; i++) {
            checkValue(op, "key", keys[i]);
        }
        checkValue(op, "data", data);
        int mark = roots.mark();
        try {
            int frame = pushFrame(t, keys, keyCount);
            roots.push(data);
            engine.insert(op, c, frame, keyCount, replace);
        } finally {
            roots.popTo(mark);
        }
    }

    /**
     * Pushes the frame of an operation on one binding of one or two keys, given without an
     * array ({@code key2} is ignored when {@code keyCount} is 1): the table, then the keys.
     * Why no array: the engine is too large to be inlined into the caller, so C2's escape
     * analysis would not remove it — a few dozen bytes of the JVM's young generation per
     * {@code find}, in a memo table called millions of times a second.
     */
    private int pushFrame(long t, int keyCount, long key1, long key2) {
        int frame = roots.push(t);
        roots.push(key1);
        if (keyCount == 2) {
            roots.push(key2);
        }
        return frame;
    }

    /** One-key insertion without an array. */
    final void insert1(Op op, long t, long key, long data, boolean replace) {
        insertKeys(op, t, 1, key, Value.NONE, data, replace);
    }

    /** Inserts (add or replace) one binding of one or two keys, given without an array. */
    final void insertKeys(Op op, long t, int keyCount, long key1, long key2, long data, boolean replace) {
        Containers c = Containers.of(check(op, t));
        checkValue(op, "key", key1);
        if (keyCount == 2) {
            checkValue(op, "key", key2);
        }
        checkValue(op, "data", data);
        int mark = roots.mark();
        try {
            int frame = pushFrame(t, keyCount, key1, key2);
            roots.push(data);
            engine.insert(op, c, frame, keyCount, replace);
        } finally {
            roots.popTo(mark);
        }
    }

    /** Removes one binding of one or two keys, given without an array. */
    final void removeKeys(Op op, long t, int keyCount, long key1, long key2) {
        Containers c = Containers.of(check(op, t));
        checkKeys(op, keyCount, key1, key2);
        int mark = roots.mark();
        try {
            engine.remove(op, c, pushFrame(t, keyCount, key1, key2), keyCount);
        } finally {
            roots.popTo(mark);
        }
    }

    final void remove1(Op op, long t, long[] keys, int keyCount) {
        Containers c = Containers.of(check(op, t));
        checkKeys(op, keys, keyCount);
        int mark = roots.mark();
        try {
            engine.remove(op, c, pushFrame(t, keys, keyCount), keyCount);
        } finally {
            roots.popTo(mark);
        }
    }

    final long lookup(Op op, long t, long[] keys, int keyCount, ChainedTable.Lookup what) {
        Containers c = Containers.of(check(op, t));
        checkKeys(op, keys, keyCount);
        int mark = roots.mark();
        try {
            return engine.find(op, c, pushFrame(t, keys, keyCount), keyCount, what);
        } finally {
            roots.popTo(mark);
        }
    }

    final long lookup1(Op op, long t, long key, ChainedTable.Lookup what) {
        return lookupKeys(op, t, 1, key, Value.NONE, what);
    }

    /** Looks up one or two keys, given without an array. */
    final long lookupKeys(Op op, long t, int keyCount, long key1, long key2, ChainedTable.Lookup what) {
        Containers c = Containers.of(check(op, t));
        checkKeys(op, keyCount, key1, key2);
        int mark = roots.mark();
        try {
            return engine.find(op, c, pushFrame(t, keyCount, key1, key2), keyCount, what);
        } finally {
            roots.popTo(mark);
        }
    }

    final long[] lookupAll(Op op, long t, long[] keys, int keyCount) {
        Containers c = Containers.of(check(op, t));
        checkKeys(op, keys, keyCount);
        int mark = roots.mark();
        try {
            return engine.findAll(op, c, pushFrame(t, keys, keyCount), keyCount);
        } finally {
            roots.popTo(mark);
        }
    }

    final void iterate(Op op, long t, ChainedTable.Visitor v) {
        check(op, t);
        int mark = roots.mark();
        try {
            engine.iterate(op, roots.push(t), v);
        } finally {
            roots.popTo(mark);
        }
    }

    final void filterMap(Op op, long t, ChainedTable.Mapper m) {
        check(op, t);
        int mark = roots.mark();
        try {
            engine.filterMapInplace(op, roots.push(t), m);
        } finally {
            roots.popTo(mark);
        }
    }

    /** The keys of the binding whose frame starts at {@code keyBase}, as a Java array. */
    final long[] keysAt(int keyBase, int keyCount) {
        long[] keys = new long[keyCount];
        for (int i = 0; i < keyCount; i++) {
            keys[i] = roots.get(keyBase + i);
        }
        return keys;
    }

    /** Feeds a cursor's bindings to add or replace, keeping {@code t} rooted. */
    final void addAll(Op op, long t, TableCursor seq, boolean replace) {
        check(op, t);
        if (seq == null) {
            throw new IllegalArgumentException(op + ": the sequence is null");
        }
        int arity = Containers.of(kind).arity();
        int mark = roots.mark();
        try {
            int tSlot = roots.push(t);
            while (seq.next()) {
                if (arity >= 0 && seq.keyCount() != arity) {
                    throw new IllegalArgumentException(op + ": the sequence has a binding with " + seq.keyCount()
                            + " keys; the table's bindings have " + arity);
                }
                insert(op, roots.get(tSlot), seq.keys(), seq.keyCount(), seq.data(), replace);
            }
        } finally {
            roots.popTo(mark);
        }
    }

    /**
     * {@code add_seq}: adds every binding of the sequence ({@code add}, so earlier bindings of a
     * key stay, hidden).
     *
     * @param t a table of this module
     * @param seq the bindings to add
     */
    public void addSeq(long t, TableCursor seq) {
        addAll(opAddSeq, t, seq, false);
    }

    /**
     * {@code replace_seq}: replaces with every binding of the sequence.
     *
     * @param t a table of this module
     * @param seq the bindings to replace with
     */
    public void replaceSeq(long t, TableCursor seq) {
        addAll(opReplaceSeq, t, seq, true);
    }

    /**
     * {@code of_seq}: a new table ({@code create 16}, not randomised) with {@code replace_seq}.
     *
     * @param seq the bindings
     * @return the new table (raw: valid until the next allocation)
     */
    public long ofSeq(TableCursor seq) {
        if (seq == null) {
            throw new IllegalArgumentException(opOfSeq + ": the sequence is null");
        }
        int mark = roots.mark();
        try {
            int tSlot = roots.push(create(16));
            addAll(opOfSeq, roots.get(tSlot), seq, true);
            return roots.get(tSlot);
        } finally {
            roots.popTo(mark);
        }
    }
}
