package dev.ephemera.fuzz;

import dev.ephemera.Heap;
import dev.ephemera.fuzz.Counts.Counter;
import dev.ephemera.fuzz.Program.Op;
import dev.ephemera.model.Model;

/**
 * The explicit safe points ({@code poll} and the collection calls): where the heap runs queued
 * finalisers, and after which nothing may be left to run or to deliver. Also checks that each
 * collection call ran the collections it promises.
 */
final class SafePoints {
    private final Heap heap;
    private final Model model;
    private final Trace trace;
    private final Counts counts;
    private final FinaliserBodies bodies;
    private final Deliveries deliveries;
    private final boolean relaxed;
    /** True while the heap runs a safe point for us (and not a finaliser body). */
    private boolean inside;

    SafePoints(Heap heap, Model model, Trace trace, Counts counts, FinaliserBodies bodies, Deliveries deliveries,
            boolean relaxed) {
        this.heap = heap;
        this.model = model;
        this.trace = trace;
        this.counts = counts;
        this.bodies = bodies;
        this.deliveries = deliveries;
        this.relaxed = relaxed;
    }

    /** True while the heap runs a safe point for us (and not a finaliser body). */
    boolean inside() {
        return inside;
    }

    /** A finaliser body starts: the code it runs is not at the safe point that called it. */
    void bodyStarts() {
        inside = false;
    }

    /** A finaliser body ended: back at a safe point. */
    void bodyEnded() {
        inside = true;
    }

    /**
     * Runs {@code call} (act {@code op}) as an explicit safe point and checks what it did.
     * Returns false if a finaliser threw (at top level; inside a body the exception goes on).
     */
    boolean run(Op op, Runnable call) {
        long compactionsBefore = counts.get(Counter.COMPACTIONS);
        long minorsBefore = counts.get(Counter.MINOR_COLLECTIONS);
        long majorsBefore = counts.get(Counter.MAJOR_COLLECTIONS);
        boolean threw = false;
        boolean wasInside = inside;
        inside = true;
        try {
            call.run();
        } catch (FinaliserSteps.Boom b) {
            if (bodies.depth() > 0) {
                throw b;
            }
            threw = true;
            trace.event("(a finaliser threw; the rest stay queued)");
        } finally {
            inside = wasInside;
        }
        long minors = counts.get(Counter.MINOR_COLLECTIONS);
        long majors = counts.get(Counter.MAJOR_COLLECTIONS);
        if (op == Op.MINOR && minors == minorsBefore || (op == Op.MAJOR || op == Op.FULL_MAJOR) && majors == majorsBefore
                || op == Op.FULL_MAJOR && !threw && majors < majorsBefore + 2) {
            throw new Mismatch("collection count", op + " ran " + (minors - minorsBefore) + " minor and "
                    + (majors - majorsBefore) + " major collections");
        }
        if (op == Op.COMPACT && !threw && counts.get(Counter.COMPACTIONS) == compactionsBefore) {
            throw new Mismatch("collection count", "Gc.compact did not compact");
        }
        if (threw) {
            return false;
        }
        if (relaxed && !model.finaliserRunning && heap.gc().pendingFinalisers() > 0) {
            throw new Mismatch("finaliser order", op + " returned with " + heap.gc().pendingFinalisers()
                    + " finalisers still queued in the heap");
        }
        if (!model.finaliserRunning && model.pendingFinalisers() > 0) {
            throw new Mismatch("finaliser order", op + " returned with " + model.pendingFinalisers()
                    + " finalisers the model says it should have run: " + model.toRun);
        }
        deliveries.sync("after " + op, null, null);
        if (!model.toDeliver.isEmpty()) {
            throw new Mismatch("guardian", op + " did not deliver " + model.toDeliver);
        }
        return true;
    }
}
