package dev.ephemera.gc;

/**
 * The weak-processing contract (mmtk-core's {@code process_weak_refs}): everything that holds
 * references the collector must not simply trace — finaliser tables of every kind, guardians,
 * foreign boxes, weak roots, the ephemeron fixpoint's clearing — takes part in both collections
 * through these calls and nothing else, made in this order:
 *
 * <ol>
 * <li>{@link #visitRoots}: at the start, the strong roots the client holds (finaliser
 *     functions, queued finalisers, a young finalise-first value). A major cycle lets a client
 *     defer the marking of some of them to {@link #markDeferredRoots}, in budgeted steps.</li>
 * <li>{@link #resurrect}, in rounds, once the strong closure (ephemeron fixpoint included) is
 *     complete: round 0 lets every client <em>select</em> what it will keep although unreached
 *     — nothing is retained yet, so a registered value reachable only from another one is
 *     selected in the same collection — and later rounds retain it; a client returns true to be
 *     called again after the closure of what was retained (guardians: resurrecting one object
 *     may reach another guardian).</li>
 * <li>{@link #selectDead}: the fixpoint is final; the client picks out what died, without
 *     retaining it (finalise-last rows, guardian rows whose guardian died).</li>
 * <li>{@link #clear}: references to what died are cleared and references to what moved are
 *     updated; a client with much to clear may do it in budgeted steps between slices of an
 *     incremental cycle (the ephemerons do).</li>
 * </ol>
 * A compaction, which moves old blocks, makes one more call: {@link #updateMoved}. A client
 * learns what "reached" means from the {@link Tracer} and never from which collector called it.
 */
interface WeakClient {
    /** Visits the strong roots this client holds. */
    default void visitRoots(Tracer tracer) {
    }

    /**
     * Major cycle, after {@link #visitRoots} and before the closure: marks, until {@code budget}
     * is exhausted, the roots this client held when the cycle began and left for later; returns
     * true when none is left. The mutator runs between the steps, so only a root it cannot
     * overwrite may be deferred, and one that leaves the client meanwhile must be darkened as it
     * leaves ({@link WriteBarrier#rootRemoved}); the rest of the snapshot's argument is the
     * write barrier's. A large table of such roots would otherwise be marked in one slice.
     */
    default boolean markDeferredRoots(Tracer tracer, Budget budget) {
        return true;
    }

    /**
     * The roots {@link #markDeferredRoots} has not marked yet: for the verifier, to which they
     * are grey (marking will reach what they point to).
     */
    default void forEachDeferredRoot(SlotVisitor v) {
    }

    /**
     * Round {@code round} of the resurrecting band: round 0 selects, later rounds retain.
     * Returns true to be called again after the closure.
     */
    default boolean resurrect(Tracer tracer, int round) {
        return false;
    }

    /**
     * Marking is complete again, after the resurrecting band: retains what must now be kept
     * for what the mutator revived since that band ended. Returns true if it retained
     * anything: the closure is drained and this is called again, until no client does.
     */
    default boolean selectRevived(Tracer tracer) {
        return false;
    }

    /** Selects what died, without retaining it. */
    default void selectDead(Tracer tracer) {
    }

    /**
     * Clears references to what died and updates those to what moved, stopping once {@code
     * budget} {@linkplain Budget#isExhausted is exhausted} if the work can be divided; returns
     * true when done.
     */
    default boolean clear(Tracer tracer, Budget budget) {
        return true;
    }

    /**
     * After a compaction moved blocks: every heap reference this client holds, strong or weak,
     * becomes {@code tracer.survivor(v)} (everything survives a compaction; only addresses change).
     */
    default void updateMoved(Tracer tracer) {
    }

    /**
     * True if this client clears in budgeted steps, after marking has ended, while the mutator
     * runs between slices — which it may do only if every mutator access to what it clears
     * goes through an accessor that cleans first (the ephemerons: {@link WeakSlots}). A client
     * answering false is cleared at once when marking ends.
     */
    default boolean clearsIncrementally() {
        return false;
    }
}
