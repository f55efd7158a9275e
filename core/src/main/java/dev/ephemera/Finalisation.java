package dev.ephemera;

import dev.ephemera.gc.Collector;
import dev.ephemera.gc.FinalisationQueue;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.Header;

/**
 * Registration and delivery of OCaml-style finalisers. The collector selects and queues them
 * (the weak clients of {@code dev.ephemera.gc}); this class runs them at safe points.
 *
 * <h2>Delivery model</h2>
 * Finalisers run on the heap's owner thread, at the next safe point after the collection that
 * queued them: {@link Heap#poll()}, the explicit collection calls of {@link Gc}, and — only if
 * {@link HeapConfig#runFinalisersOnAllocation} is on — at the start of an allocation. Batches run
 * in the order the collections queued them; within a batch, in reverse registration order; a
 * collection's finalise-first batch before its finalise-last batch. While one finaliser runs no
 * other starts, unless it calls {@link Gc#finaliseRelease()}. An exception from a finaliser
 * propagates to the safe point; the finalisers still queued stay queued.
 */
final class Finalisation {
    /**
     * What to do with a queued row when it is not simply a {@link Finaliser} (first kind) or a
     * {@link Runnable} (last kind), which are stored as they are so that a registration
     * allocates no Java object of its own. The collector stores actions opaquely.
     */
    interface Action {
        /** Runs the finaliser: {@code value} is null for the last kind. */
        void run(Handle value, Handle function);
    }

    /** Calls a heap function with the value (shared by every registration: no per-call object). */
    final Action applyFirst = (value, fn) -> applier("Gc.finalise").apply(fn, value);
    /** Calls a heap function without the value. */
    final Action applyLast = (value, fn) -> applier("Gc.finalise_last").apply(fn, null);

    private final Heap heap;
    private final Collector collector;
    private final EntryChecks checks;
    private final boolean runOnAllocation;
    private final FinaliserErrorHandler coreErrorHandler;
    private FinaliserApplier applier;
    /** Finalisers started so far. */
    private long started;
    /** A finaliser is running and has not called finaliseRelease (OCaml's running_finalisation_function). */
    private boolean running;
    /** Open regions in which allocation is not a safe point ({@link Gc#beginNoSafePoints}). */
    private int noSafePoints;

    Finalisation(Heap heap, Collector collector, EntryChecks checks, HeapConfig config) {
        this.heap = heap;
        this.collector = collector;
        this.checks = checks;
        this.runOnAllocation = config.runFinalisersOnAllocation();
        this.coreErrorHandler = config.finaliserErrorHandler();
    }

    // ------------------------------------------------------------------ registration

    /** OCaml's check: a heap block, not a boxed float, not lazy or forward. */
    void checkFinalisable(String op, long v) {
        if (!Value.isBlock(v)) {
            throw new NotABlockException(op + ": expected a heap block, got " + Value.describe(v));
        }
        long a = checks.block(op, v);
        if (!collector.isManagedBlock(v)) {
            throw new IllegalArgumentException(op + ": " + Value.describe(v) + " is not a block of this heap");
        }
        int tag = Header.tag(checks.header(a));
        if (tag == Tag.DOUBLE || tag == Tag.LAZY || tag == Tag.FORWARD) {
            throw new WrongTagException(op + ": cannot finalise a " + Tag.name(tag)
                    + " block (its identity is not guaranteed, as in OCaml)");
        }
    }

    /** Registers {@code action}: a {@link Finaliser} (first kind), a {@link Runnable} (last kind) or an {@link Action}. */
    void register(String op, int table, long v, long function, Object action) {
        checkFinalisable(op, v);
        checks.checkValue(op, function);
        collector.registerFinaliser(table, v, function, action);
    }

    /** Refuses a null finalisation function. */
    static void requireFunction(String op, Object f) {
        if (f == null) {
            throw new IllegalArgumentException(op + ": the finalisation function is null");
        }
    }

    /**
     * A registration with a heap function: refused up front when nothing can call the function
     * (no applier set) or there is no function ({@code NONE}) — a failure found only when the
     * finaliser ran would come from an unrelated later call, with the registration gone.
     */
    void registerHeapFunction(String op, int table, long v, long function, Object action) {
        checkFinalisable(op, v);
        checks.checkValue(op, function);
        if (function == Value.NONE) {
            throw new IllegalArgumentException(op + ": the heap function is NONE");
        }
        requireApplier(op);
        collector.registerFinaliser(table, v, function, action);
    }

    /** Refuses a registration with a heap function while no applier can call it. */
    void requireApplier(String op) {
        if (applier == null) {
            throw new IllegalStateException(op + ": no FinaliserApplier is set (Gc.setFinaliserApplier) to call the"
                    + " heap function with");
        }
    }

    void setApplier(FinaliserApplier applier) {
        if (applier == null) {
            throw new IllegalArgumentException("Gc.setFinaliserApplier: the applier is null");
        }
        this.applier = applier;
    }

    FinaliserApplier applier(String op) {
        if (applier == null) {
            throw new IllegalStateException(op + ": no FinaliserApplier is set (Gc.setFinaliserApplier)");
        }
        return applier;
    }

    FinaliserErrorHandler coreErrorHandler() {
        return coreErrorHandler;
    }

    // ------------------------------------------------------------------ delivery

    /** Finalisers started so far (a finaliser is mutator code: it may change the heap's graph). */
    long started() {
        return started;
    }

    /** Runs queued finalisers until the queue is empty (or one throws). */
    void runPending() {
        FinalisationQueue queue = collector.queue(Collector.QUEUE_FINALISERS);
        while (!running && queue.size() > 0) {
            // read in place, no Entry per finaliser: nothing allocates before they are rooted
            long value = queue.nextValue();
            long function = queue.nextFunction();
            Object action = queue.nextAction();
            boolean last = queue.nextIsLast();
            queue.dropNext();
            started++;
            running = true;
            try {
                // Each test is against the type cast to next: on JDK 17-22 a failed interface
                // test followed by a cast to another interface evicts the class's one-entry
                // secondary-super cache every time (JDK-8180450): 29 ns per finaliser, not 9.
                if (last && action instanceof Runnable) {
                    ((Runnable) action).run(); // receives nothing: no scope, no handle
                } else {
                    runWithHandles(action, last, value, function);
                }
            } finally {
                running = false;
            }
        }
    }

    /** Runs a finaliser that receives its value or function, as handles of a scope of its own. */
    private void runWithHandles(Object action, boolean last, long value, long function) {
        Scope scope = heap.openScope();
        try {
            if (!last && action instanceof Finaliser) {
                ((Finaliser) action).finalise(scope.handle(value));
            } else {
                Handle v = last ? null : scope.handle(value);
                ((Action) action).run(v, scope.handle(function));
            }
        } finally {
            closeUnlessHeapClosed(heap, scope);
        }
    }

    /**
     * Closes a scope the library opened around client code, unless that code closed the heap:
     * the heap's roots are gone with it, and the operation that ran the code then reports the
     * closed heap under its own name, not the scope's.
     */
    static void closeUnlessHeapClosed(Heap heap, Scope scope) {
        if (!heap.isClosed()) {
            scope.close();
        }
    }

    /** OCaml's {@code Gc.finalise_release}: lets the next finaliser start before this one returns. */
    void release() {
        running = false;
    }

    /**
     * Called at the start of every allocation: a safe point only if so configured. Returns
     * whether finalisers ran — the caller checks the heap again then, as one of them may have
     * closed it.
     */
    boolean atAllocation() {
        if (runOnAllocation && !running && noSafePoints == 0
                && collector.queue(Collector.QUEUE_FINALISERS).size() > 0) {
            runPending();
            return true;
        }
        return false;
    }

    void beginNoSafePoints() {
        noSafePoints++;
    }

    void endNoSafePoints(String op) {
        if (noSafePoints == 0) {
            throw new IllegalStateException(op + ": no region without safe points is open");
        }
        noSafePoints--;
    }
}
