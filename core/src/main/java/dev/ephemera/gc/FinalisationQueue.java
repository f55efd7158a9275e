package dev.ephemera.gc;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Finalisers selected by collections and not yet run (or, for MPS and guardians, not yet
 * delivered): a FIFO of batches, one batch per kind per collection, each taken from its last row
 * to its first (reverse registration order). OCaml's {@code to_do} list. The values and
 * functions of queued rows are strong roots, so a finalise-first value stays alive (resurrected)
 * until its function has been taken.
 *
 * <p>A major cycle marks them in budgeted steps ({@link #markDeferredRoots}), not in its atomic
 * start: a million queued finalisers took 76 ms to mark in one slice. That is safe because only
 * the snapshot's rows need marking — a batch appended while the cycle marks holds values that
 * this cycle marks (its resurrections) or none (a minor collection's finalise-last rows), and
 * functions that were reachable when the cycle began or are newer, which the snapshot covers as
 * it covers any block the mutator can reach — and a row leaves the queue only through
 * {@link #dropNext}, which darkens it while the cycle marks (the deletion barrier for this root).
 */
public final class FinalisationQueue implements WeakClient {
    private final ArrayDeque<Batch> batches = new ArrayDeque<>();
    private final ActionRegistry registry;
    private final WriteBarrier barrier;
    private int pending;
    /**
     * While a major cycle marks the queue in steps: the batches queued when it began, else
     * null. Batches are never reused once queued, and rows leave a batch from its end, so rows
     * [{@code markedRows}, size) of {@code snapshot[markedBatches]} and every row of the batches
     * after it are the unmarked part.
     */
    private Batch[] snapshot;
    private int markedBatches;
    private int markedRows;

    FinalisationQueue(ActionRegistry registry, WriteBarrier barrier) {
        this.registry = registry;
        this.barrier = barrier;
    }

    /** One collection's selection for one kind, in registration order. */
    static final class Batch {
        final boolean last;
        /** False while every value and function is NONE (finalise-last rows with Java functions). */
        boolean hasRoots;
        /**
         * Not yet seen by a minor collection. Rows are written once, by the collection that
         * appends the batch: a major collection runs with the nursery empty, and a minor one
         * fills its batch with forwarded addresses, so no row should point into the nursery.
         * The first minor collection after the append forwards the rows anyway (cheap
         * insurance, once per batch); older batches are never visited by a minor collection.
         */
        boolean fresh = true;
        private long[] values;
        /**
         * Null while every function is NONE — rows of Java functions, the common case: one
         * array fewer to allocate in the slice that selects a million finalisers.
         */
        private long[] functions;
        /** Action ids in the collector's {@link ActionRegistry}. */
        private int[] actions;
        int size;

        Batch(boolean last) {
            this.last = last;
            this.values = new long[8];
            this.actions = new int[8];
        }

        /**
         * Makes room for {@code more} rows beyond those added, at once: a selection that has
         * counted its rows grows the batch to its final size instead of doubling it from 8 —
         * the doubling allocated, zeroed (faulting in fresh memory) and copied twice the rows
         * in the slice, two thirds of the time it took to select a million finalisers.
         */
        void reserve(int more) {
            long n = (long) size + more;
            if (n > values.length) {
                resize((int) Math.min(n, Integer.MAX_VALUE - 8));
            }
        }

        private void resize(int capacity) {
            values = Arrays.copyOf(values, capacity);
            actions = Arrays.copyOf(actions, capacity);
            if (functions != null) {
                functions = Arrays.copyOf(functions, capacity);
            }
        }

        /**
         * Takes over a table's arrays as this (empty) batch's storage: a selection that moves
         * most of its table's rows adds them over rows it has already read, rather than into
         * arrays of its own ({@code functions} may be null: every function NONE). What the
         * arrays hold beyond the rows added is not this batch's.
         */
        void adopt(long[] values, long[] functions, int[] actions) {
            if (size != 0) {
                throw new IllegalStateException("FinalisationQueue.Batch.adopt: the batch has " + size + " rows");
            }
            this.values = values;
            this.functions = functions;
            this.actions = actions;
        }

        void add(long value, long function, int action) {
            if (size == values.length) {
                resize(size * 2);
            }
            values[size] = value;
            if (functions != null) {
                functions[size] = function; // (an adopted array may hold an old row's function here)
            } else if (function != 0L) {
                functions = new long[values.length]; // earlier rows read 0: NONE
                functions[size] = function;
            }
            actions[size] = action;
            size++;
            hasRoots |= value != 0L || function != 0L;
        }

        long value(int i) {
            return values[i];
        }

        void setValue(int i, long value) {
            values[i] = value;
        }

        long function(int i) {
            return functions == null ? 0L : functions[i];
        }

        int action(int i) {
            return actions[i];
        }

        /** Replaces the value and function of rows [0, size) by {@code v}'s answers. */
        void visitRows(SlotVisitor v) {
            for (int i = 0; i < size; i++) {
                values[i] = v.visit(values[i]);
            }
            if (functions != null) {
                for (int i = 0; i < size; i++) {
                    functions[i] = v.visit(functions[i]);
                }
            }
        }
    }

    /** A finaliser taken off the queue; its value and function are no longer rooted by the queue. */
    public static final class Entry {
        public final long value;
        public final long function;
        public final Object action;
        public final boolean last;

        Entry(long value, long function, Object action, boolean last) {
            this.value = value;
            this.function = function;
            this.action = action;
            this.last = last;
        }
    }

    void append(Batch batch) {
        if (batch.size > 0) {
            batches.addLast(batch);
            pending += batch.size;
        }
    }

    /** Number of queued finalisers. */
    public int size() {
        return pending;
    }

    /**
     * The next finaliser to run, read in place by {@link #nextValue}, {@link #nextFunction},
     * {@link #nextAction} and {@link #nextIsLast}, then removed by {@link #dropNext}: the
     * allocation-free form of {@link #poll} for the finaliser loop, which runs a million of them
     * in a row. The queue must not be empty.
     */
    public long nextValue() {
        Batch b = batches.peekFirst();
        return b.value(b.size - 1);
    }

    /** See {@link #nextValue}. */
    public long nextFunction() {
        Batch b = batches.peekFirst();
        return b.function(b.size - 1);
    }

    /** See {@link #nextValue}. */
    public Object nextAction() {
        Batch b = batches.peekFirst();
        return registry.get(b.action(b.size - 1));
    }

    /** See {@link #nextValue}. */
    public boolean nextIsLast() {
        return batches.peekFirst().last;
    }

    /**
     * Removes the next finaliser (see {@link #nextValue}); its value and function must be rooted
     * by the caller before anything allocates.
     */
    public void dropNext() {
        Batch b = batches.peekFirst();
        int i = --b.size;
        if (snapshot != null) {
            barrier.rootRemoved(b.value(i));
            barrier.rootRemoved(b.function(i));
        }
        registry.release(b.action(i));
        if (b.size == 0) {
            batches.removeFirst();
        }
        pending--;
    }

    /**
     * Removes and returns the next finaliser to run (oldest batch, last row first), or null.
     * Its value and function must be rooted by the caller before anything allocates.
     */
    public Entry poll() {
        if (batches.isEmpty()) {
            return null;
        }
        Entry e = new Entry(nextValue(), nextFunction(), nextAction(), nextIsLast());
        dropNext();
        return e;
    }

    /**
     * Queued values and functions are strong roots: for a minor collection, the batches
     * appended since the last one are forwarded now; a major cycle takes a snapshot of the
     * batches, which {@link #markDeferredRoots} marks.
     */
    @Override
    public void visitRoots(Tracer tracer) {
        if (tracer.isMinor()) {
            forEachYoungRoot(tracer.retainer());
        } else {
            snapshot = batches.isEmpty() ? null : batches.toArray(new Batch[0]);
            markedBatches = 0;
            markedRows = 0;
        }
    }

    @Override
    public boolean markDeferredRoots(Tracer tracer, Budget budget) {
        if (snapshot == null) {
            return true;
        }
        SlotVisitor mark = tracer.retainer();
        for (; markedBatches < snapshot.length; markedBatches++, markedRows = 0) {
            Batch b = snapshot[markedBatches];
            if (!b.hasRoots) {
                continue;
            }
            for (; markedRows < b.size; markedRows++) { // (rows taken meanwhile were darkened)
                if (budget.isExhausted()) {
                    return false;
                }
                mark.visit(b.value(markedRows));
                mark.visit(b.function(markedRows));
                budget.spend(2);
            }
        }
        snapshot = null;
        return true;
    }

    @Override
    public void forEachDeferredRoot(SlotVisitor v) {
        if (snapshot == null) {
            return;
        }
        for (int k = markedBatches; k < snapshot.length; k++) {
            Batch b = snapshot[k];
            for (int i = k == markedBatches ? markedRows : 0; i < b.size; i++) {
                v.visit(b.value(i));
                v.visit(b.function(i));
            }
        }
    }

    /** A compaction moved blocks: queued values and functions follow. */
    @Override
    public void updateMoved(Tracer tracer) {
        forEachRoot(tracer.survivors());
    }

    void forEachRoot(SlotVisitor v) {
        for (Batch b : batches) {
            visit(b, v);
        }
    }

    private static void visit(Batch b, SlotVisitor v) {
        if (!b.hasRoots) {
            return; // a finalise-last batch of Java functions: nothing to trace
        }
        b.visitRows(v);
    }

    /**
     * The minor collection's share of {@link #forEachRoot}: only the batches appended since the
     * last minor collection (at the tail; see {@link Batch#fresh}). Before, every minor
     * collection rescanned every queued finaliser: quadratic in a program that queues many and
     * allocates before running them (finalise, 1M registrations: 290 ms -> 140 ms).
     */
    void forEachYoungRoot(SlotVisitor v) {
        Batch newest = batches.peekLast();
        if (newest == null || !newest.fresh) {
            return; // nothing appended since the last minor collection (the common case)
        }
        for (java.util.Iterator<Batch> it = batches.descendingIterator(); it.hasNext(); ) {
            Batch b = it.next();
            if (!b.fresh) {
                return; // batches are appended in order: everything before this one is seen too
            }
            b.fresh = false;
            visit(b, v);
        }
    }

    void clear() {
        batches.clear();
        pending = 0;
        snapshot = null;
    }
}
