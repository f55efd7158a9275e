package dev.ephemera.gc;

import dev.ephemera.object.Value;
import java.util.Arrays;

/**
 * Registered finalisers of one {@link Kind}, in registration order: (value, function, action,
 * sequence number) rows. OCaml's {@code finalisable_first} / {@code finalisable_last} tables
 * ({@code runtime/finalise.c}), MPS's guardians ({@code poolmrg.c}), Dybvig's guardian entries.
 *
 * <ul>
 * <li><b>value</b>: the block being watched; {@code NONE} marks a cancelled row (MPS
 *     {@code definalize}), dropped by the next collection that selects from its rows.</li>
 * <li><b>function</b>: a heap value the client runs as the finaliser (a closure of an embedded
 *     language), or {@code NONE}; a strong root — "anything reachable from the closure of
 *     a finalisation function is reachable" — except for guardian rows, where it is the guardian
 *     and is weak: a dead guardian's rows are dropped.</li>
 * <li><b>action</b>: an opaque Java object the API layer interprets.</li>
 * <li><b>sequence</b>: a heap-wide registration counter; rows stay sorted by it.</li>
 * </ul>
 *
 * Rows [0, youngStart) were registered before the last minor collection, so their values are
 * old; rows [youngStart, size) may have young values. The minor collection looks only at the
 * young rows, so its cost is linear in registrations since the last minor collection.
 * Invariant: {@code youngStart <= size}; compaction keeps it (a bug once let a major
 * collection's compaction leave youngStart beyond size, hiding new young rows from the minor
 * collection).
 */
final class FinaliserTable implements WeakClient {
    /** What a table's rows mean to the collector. */
    enum Kind {
        /** {@code Gc.finalise}: an unreachable value is queued and resurrected. */
        FIRST(true, true),
        /** {@code Gc.finalise_last}: a dead value is queued without being resurrected. */
        LAST(false, true),
        /** {@code mps_finalize}: like FIRST, delivered as a message. */
        MPS(true, true),
        /** A guardian registration: like FIRST, but only while the guardian (the function) lives. */
        GUARDIAN(true, false);

        final boolean resurrects;
        final boolean functionIsRoot;

        Kind(boolean resurrects, boolean functionIsRoot) {
            this.resurrects = resurrects;
            this.functionIsRoot = functionIsRoot;
        }
    }

    final Kind kind;
    /** Values are resurrected when found unreachable (all kinds but LAST). */
    final boolean resurrects;
    /** Where selected rows go. */
    final FinalisationQueue queue;

    long[] values = new long[32];
    /** Allocated with the first row that has a heap function; null means every function is NONE. */
    long[] functions;
    /** Action of each row, as an id in {@link #registry}. */
    int[] actions = new int[32];
    final ActionRegistry registry;
    /** Above this many rows to select from, {@link #select} estimates how many die and sizes its batch once. */
    static final int ESTIMATE_BEFORE_SELECTING = 1024;
    /** Rows {@link #select} samples for its estimate, about. */
    private static final int SAMPLED_ROWS = 256;
    /** Estimates made so far: each starts its sample at another offset. */
    private int samplings;
    /** Only MPS rows are looked up by sequence (definalize); null for the other kinds. */
    long[] sequences;
    int size;
    int youngStart;

    FinaliserTable(Kind kind, FinalisationQueue queue, ActionRegistry registry) {
        this.kind = kind;
        this.registry = registry;
        this.resurrects = kind.resurrects;
        this.queue = queue;
        this.sequences = kind == Kind.MPS ? new long[32] : null;
    }

    /**
     * Appends a row. The table keeps only the columns it needs: a registration of a Java
     * function costs a value and an action; heap functions and sequence numbers get columns of
     * their own only when used (fewer and smaller arrays to grow and copy).
     */
    void add(long value, long function, Object action, long sequence) {
        if (size == values.length) {
            growColumns(size * 2);
        }
        if (function != Value.NONE && functions == null) {
            functions = new long[values.length];
        }
        values[size] = value;
        if (functions != null) {
            functions[size] = function;
        }
        actions[size] = registry.acquire(action);
        if (sequences != null) {
            sequences[size] = sequence;
        }
        size++;
    }

    /** Grows every column this table has to {@code capacity} rows, keeping their contents. */
    private void growColumns(int capacity) {
        values = Arrays.copyOf(values, capacity);
        actions = Arrays.copyOf(actions, capacity);
        if (functions != null) {
            functions = Arrays.copyOf(functions, capacity);
        }
        if (sequences != null) {
            sequences = Arrays.copyOf(sequences, capacity);
        }
    }

    /** New, empty columns of {@code capacity} rows: the function and sequence ones only if wanted. */
    private void allocateColumns(int capacity, boolean withFunctions, boolean withSequences) {
        values = new long[capacity];
        actions = new int[capacity];
        functions = withFunctions ? new long[capacity] : null;
        sequences = withSequences ? new long[capacity] : null;
    }

    /** The function of row {@code i} (NONE if the table has no function column). */
    long function(int i) {
        return functions == null ? Value.NONE : functions[i];
    }

    /** Moves row {@code from} to row {@code to} (compaction: {@code to <= from}). */
    private void moveRow(int from, int to, long value) {
        copyRow(functions, actions, sequences, from, to, value);
    }

    /**
     * Copies row {@code from} of the given columns to row {@code to} of this table's, with
     * {@code value}: the table's own columns ({@link #moveRow}), or those a selection is
     * replacing (see {@link #select}), whose function and sequence columns exist exactly when
     * the table's do.
     */
    private void copyRow(long[] fromFunctions, int[] fromActions, long[] fromSequences, int from, int to, long value) {
        values[to] = value;
        if (functions != null) {
            functions[to] = fromFunctions[from];
        }
        actions[to] = fromActions[from];
        if (sequences != null) {
            sequences[to] = fromSequences[from];
        }
    }

    /** Row of the registration numbered {@code sequence}, or -1 (binary search: rows are sorted). */
    int rowOf(long sequence) {
        if (sequences == null) {
            return -1;
        }
        int i = Arrays.binarySearch(sequences, 0, size, sequence);
        return i >= 0 ? i : -1;
    }

    /** Cancels row {@code row}: it will never be selected, and disappears at the next collection that selects from its rows. */
    void cancel(int row) {
        values[row] = Value.NONE;
    }

    /** The batch a major cycle's resurrecting band is selecting into, and how much of it is retained. */
    private FinalisationQueue.Batch selecting;
    /** An empty batch left by the last {@link #selectDead} that selected nothing, for the next one. */
    private FinalisationQueue.Batch spareBatch;
    /**
     * The same for the resurrecting selection ({@link #resurrect}) and the revived guardians'
     * ({@link #selectRevived}), which never overlap: most cycles select nothing.
     */
    private FinalisationQueue.Batch spareSelection;
    private int retainedUpTo;
    /** Major cycle: functions of rows [markedFunctions, deferredFunctions) are not marked yet. */
    private int markedFunctions;
    private int deferredFunctions;
    /** Values this table resurrected in the last major cycle. */
    int resurrectedInCycle;

    // ------------------------------------------------------------------ the weak-client contract

    @Override
    public void visitRoots(Tracer tracer) {
        if (tracer.isMinor()) {
            minorRoots(tracer.retainer());
        } else {
            majorRoots(tracer.retainer());
        }
    }

    /**
     * Minor collection: guardians keep young registered values whose guardian is reached, until
     * none is left. Major cycle: round 0 selects the unreached values of resurrecting rows (and,
     * for guardians, only while the guardian is reached) without retaining them; round 1
     * retains them and queues the batch — guardians go on, selecting and retaining more while
     * resurrection reaches more guardians.
     */
    @Override
    public boolean resurrect(Tracer tracer, int round) {
        if (tracer.isMinor()) {
            return kind == Kind.GUARDIAN && minorGuarded(tracer, tracer.retainer()) > 0;
        }
        if (!resurrects) {
            return false;
        }
        if (round == 0) {
            selecting = spareSelection != null ? spareSelection : new FinalisationQueue.Batch(false);
            spareSelection = null;
            retainedUpTo = 0;
            resurrectedInCycle = 0;
            if (kind == Kind.GUARDIAN) {
                selectGuarded(tracer, selecting, false);
            } else {
                select(0, tracer.survivors(), selecting);
            }
            return true;
        }
        if (kind == Kind.GUARDIAN && round >= 2 && selectGuarded(tracer, selecting, false) == 0) {
            finishSelection();
            return false;
        }
        for (int i = retainedUpTo; i < selecting.size; i++) {
            selecting.setValue(i, tracer.retain(selecting.value(i)));
        }
        retainedUpTo = selecting.size;
        if (kind == Kind.GUARDIAN) {
            return true;
        }
        finishSelection();
        return false;
    }

    /**
     * End of marking, before {@link #selectDead}: guardian rows whose guardian is reached now but
     * whose value is not — a guardian still unreached when the selection ended, revived since
     * by the mutator (a weak read darkens what it returns while marking) — hand their values
     * over now, retained, as the selection would have; returns true if it took any, for the
     * closure to be drained and this to be asked again. Kept for {@link #selectDead} instead,
     * such a row outlived its value, which the sweep freed under it.
     */
    @Override
    public boolean selectRevived(Tracer tracer) {
        if (kind != Kind.GUARDIAN || tracer.isMinor()) {
            return false;
        }
        // the selection is over by now (selecting is null): its spare batch is free to use
        FinalisationQueue.Batch batch = spareSelection != null ? spareSelection : new FinalisationQueue.Batch(false);
        spareSelection = null;
        int n = selectGuarded(tracer, batch, false);
        if (n == 0) {
            spareSelection = batch.size == 0 ? batch : null;
            return false;
        }
        for (int i = 0; i < batch.size; i++) {
            batch.setValue(i, tracer.retain(batch.value(i)));
        }
        resurrectedInCycle += n;
        queue.append(batch);
        return true;
    }

    private void finishSelection() {
        resurrectedInCycle = selecting.size;
        queue.append(selecting);
        spareSelection = selecting.size == 0 ? selecting : null; // an empty batch is not queued
        selecting = null;
    }

    /**
     * Finalise-last rows whose value died are queued without it (minor: young rows only);
     * guardian rows whose guardian died are dropped (minor: young guardians; the others get
     * the new addresses).
     */
    @Override
    public void selectDead(Tracer tracer) {
        if (kind == Kind.GUARDIAN) {
            if (tracer.isMinor()) {
                minorSettleGuarded(tracer.survivors());
            } else {
                selectGuarded(tracer, null, true);
            }
        } else if (!resurrects) {
            FinalisationQueue.Batch batch = spareBatch != null ? spareBatch : new FinalisationQueue.Batch(true);
            select(tracer.isMinor() ? youngStart : 0, tracer.survivors(), batch);
            // Most collections select nothing: the empty batch is kept for the next one
            // instead of a new one per collection.
            spareBatch = batch.size == 0 ? batch : null;
            queue.append(batch);
        }
    }

    /** A compaction moved blocks: values and functions follow. */
    @Override
    public void updateMoved(Tracer tracer) {
        for (int i = 0; i < size; i++) {
            values[i] = tracer.survivor(values[i]);
            if (functions != null) {
                functions[i] = tracer.survivor(functions[i]);
            }
        }
        if (selecting != null) {
            selecting.visitRows(tracer.survivors());
        }
    }

    /** End of a minor collection: every row is old now. */
    @Override
    public boolean clear(Tracer tracer, Budget budget) {
        if (tracer.isMinor()) {
            youngStart = size;
        }
        return true;
    }

    // ------------------------------------------------------------------ the work

    /** Minor collection, before the closure: young rows' functions, and values if resurrecting. */
    void minorRoots(SlotVisitor forward) {
        if (!kind.functionIsRoot) {
            return; // guardian rows: see minorGuarded
        }
        for (int i = youngStart; i < size; i++) {
            if (functions != null) {
                functions[i] = forward.visit(functions[i]);
            }
            if (resurrects) {
                values[i] = forward.visit(values[i]);
            }
        }
    }

    /**
     * Guardian rows, minor collection: a young row's value is promoted (guardians fire at major
     * collections only) if its guardian is alive — old, or young and already copied. Returns
     * how many values were forwarded; the caller drains and repeats until none is, since a
     * promoted value may make another young guardian reachable.
     */
    int minorGuarded(Tracer tracer, SlotVisitor forward) {
        int forwarded = 0;
        for (int i = youngStart; i < size; i++) {
            long v = values[i];
            if (v != Value.NONE && tracer.isReached(function(i)) && !tracer.isReached(v)) {
                values[i] = forward.visit(v);
                forwarded++;
            }
        }
        return forwarded;
    }

    /**
     * Guardian rows, end of a minor collection: rows whose young guardian died are dropped (their
     * values were not kept for them); the others get the new addresses of guardian and value.
     */
    void minorSettleGuarded(SlotVisitor survivor) {
        int kept = youngStart;
        for (int i = youngStart; i < size; i++) {
            long g = survivor.visit(function(i));
            if (values[i] == Value.NONE || g == Value.NONE) {
                registry.release(actions[i]);
                continue;
            }
            moveRow(i, kept, survivor.visit(values[i]));
            functions[kept] = g;
            kept++;
        }
        size = kept;
    }

    /**
     * Major cycle: functions are roots (guardians' are not). Those of rows [0, youngStart) are
     * left to {@link #markDeferredRoots}: until marking completes such a row neither moves nor
     * leaves the table (only a major cycle's selection, after marking, and a compaction, with no
     * cycle running, touch them), and the mutator cannot change a function. The younger rows,
     * which a minor collection while marking may move or hand to the queue, are marked now.
     */
    void majorRoots(SlotVisitor mark) {
        deferredFunctions = 0;
        markedFunctions = 0;
        if (!kind.functionIsRoot || functions == null) {
            return;
        }
        for (int i = youngStart; i < size; i++) {
            mark.visit(functions[i]);
        }
        deferredFunctions = youngStart;
    }

    @Override
    public boolean markDeferredRoots(Tracer tracer, Budget budget) {
        for (; markedFunctions < deferredFunctions; markedFunctions++) {
            if (budget.isExhausted()) {
                return false;
            }
            tracer.retain(functions[markedFunctions]);
            budget.spend(1);
        }
        return true;
    }

    @Override
    public void forEachDeferredRoot(SlotVisitor v) {
        for (int i = markedFunctions; i < deferredFunctions; i++) {
            v.visit(functions[i]);
        }
    }

    /** Visits every function that is a strong root (checked-mode verification). */
    void forEachRootFunction(SlotVisitor v) {
        if (kind.functionIsRoot && functions != null) {
            for (int i = 0; i < size; i++) {
                v.visit(functions[i]);
            }
        }
    }

    /**
     * Guardian rows, major collection: moves into {@code batch} the rows whose value is not
     * reached but whose guardian is; returns how many. With {@code dropDead}, instead drops the
     * rows whose guardian is not reached (the guardian is dead, so its rows are moot).
     */
    int selectGuarded(Tracer tracer, FinalisationQueue.Batch batch, boolean dropDead) {
        int kept = 0;
        int selected = 0;
        for (int i = 0; i < size; i++) {
            long v = values[i];
            if (v == Value.NONE) {
                registry.release(actions[i]);
                continue;
            }
            boolean guardianLives = tracer.isReached(function(i));
            if (dropDead ? !guardianLives : (guardianLives && !tracer.isReached(v))) {
                if (dropDead) {
                    registry.release(actions[i]);
                } else {
                    batch.add(v, function(i), actions[i]);
                    selected++;
                }
                continue;
            }
            moveRow(i, kept, v);
            kept++;
        }
        size = kept;
        youngStart = Math.min(youngStart, kept);
        return selected;
    }

    /**
     * Moves every row in [from, size) whose value did not survive into {@code batch}, in
     * registration order, and replaces surviving values by {@code survivor}'s answer (their new
     * address after a minor collection). Cancelled rows are dropped.
     *
     * <p>Above {@link #ESTIMATE_BEFORE_SELECTING} rows the batch is sized once, from an estimate,
     * rather than doubled from eight; and when most rows die (from row 0, into an empty batch)
     * the batch adopts this table's arrays — each selected row is added over a row already read
     * — while the survivors move to new arrays: the selection allocates for the fewer rows, a
     * few hundred when every value died, as when a program drops a million finalisable values.
     * The estimate only sizes arrays (either way is exact whatever it says), so it samples rows
     * rather than reading every header twice.
     */
    void select(int from, SlotVisitor survivor, FinalisationQueue.Batch batch) {
        long[] fromValues = values;
        long[] fromFunctions = functions;
        int[] fromActions = actions;
        long[] fromSequences = sequences;
        if (size - from > ESTIMATE_BEFORE_SELECTING) {
            int dead = estimateDead(from, survivor);
            if (from == 0 && batch.size == 0 && dead > size / 2) {
                batch.adopt(fromValues, fromFunctions, fromActions);
                int live = size - dead;
                allocateColumns(Math.max(32, live + live / 4 + SAMPLED_ROWS), fromFunctions != null, fromSequences != null);
            } else {
                batch.reserve(Math.min(dead + dead / 4, size - from));
            }
        }
        int kept = from;
        for (int i = from; i < size; i++) {
            long v = fromValues[i];
            if (v == Value.NONE) {
                registry.release(fromActions[i]);
                continue;
            }
            long s = survivor.visit(v);
            if (s == Value.NONE) {
                batch.add(resurrects ? v : Value.NONE, fromFunctions == null ? Value.NONE : fromFunctions[i],
                        fromActions[i]);
                continue;
            }
            if (kept == values.length) { // survivors moving to new arrays, more than estimated
                growColumns(kept * 2);
            }
            copyRow(fromFunctions, fromActions, fromSequences, i, kept, s);
            kept++;
        }
        size = kept;
        youngStart = Math.min(youngStart, kept);
    }

    /**
     * About how many rows of [from, size) {@link #select} will move to its batch, from about
     * {@link #SAMPLED_ROWS} rows spread evenly over them, starting at an offset that changes
     * from one call to the next (so deaths that recur with the sampling step do not mislead
     * every selection alike). {@code survivor} has no effect of its own.
     */
    private int estimateDead(int from, SlotVisitor survivor) {
        int rows = size - from;
        int step = Math.max(1, rows / SAMPLED_ROWS);
        int sampled = 0;
        int dead = 0;
        for (int i = from + (int) (Integer.toUnsignedLong(++samplings * 0x9E3779B9) % step); i < size; i += step) {
            long v = values[i];
            if (v != Value.NONE && survivor.visit(v) == Value.NONE) {
                dead++;
            }
            sampled++;
        }
        return (int) ((long) rows * dead / sampled);
    }

    /** Visits every value (checked-mode verification). */
    void forEachValue(SlotVisitor v) {
        for (int i = 0; i < size; i++) {
            v.visit(values[i]);
            v.visit(function(i));
        }
    }
}
