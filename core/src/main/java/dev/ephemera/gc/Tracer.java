package dev.ephemera.gc;

/**
 * What a collection means by "reached", and how weak processing asks it to keep something: the
 * one view of a collection that {@linkplain WeakClient weak clients} and the {@linkplain
 * EphemeronFixpoint ephemeron fixpoint} see (mmtk-core's {@code ObjectTracerContext}).
 *
 * <p>For the major cycle "reached" means marked, and every young or newly allocated block counts
 * as reached (it is not condemned); for a minor collection it means "old, or young and already
 * copied". A client never needs to know which collection it is in except to limit its work to
 * what that collection can change ({@link #isMinor}: only rows registered since the last minor
 * collection can hold young values).
 *
 * <p>An abstract class rather than an interface for one reason: it holds {@link #retainer} and
 * {@link #survivors}, the two methods as slot visitors made once per tracer.
 */
abstract class Tracer {
    private final SlotVisitor retainer = this::retain;
    private final SlotVisitor survivors = this::survivor;

    /** True if {@code v} is an immediate, none, outside the condemned set, or already reached. */
    abstract boolean isReached(long v);

    /**
     * Keeps {@code v} alive in this collection — marks it, or copies it out of the nursery — and
     * returns what a slot holding {@code v} must hold from now on (its copy's address after a
     * minor collection). What {@code v} refers to is traced later, by the collection's closure.
     */
    abstract long retain(long v);

    /**
     * Once the fixpoint is reached: what a slot holding {@code v} must hold after this
     * collection — {@code v}, its copy's address, or {@code NONE} if it died.
     */
    abstract long survivor(long v);

    /**
     * {@link #retain} as a slot visitor: one instance per tracer, so that handing it to a client
     * allocates nothing (a collection runs in steady state without making Java garbage, which
     * would bring the JVM's next young collection nearer).
     */
    final SlotVisitor retainer() {
        return retainer;
    }

    /** {@link #survivor} as a slot visitor, one instance per tracer (see {@link #retainer}). */
    final SlotVisitor survivors() {
        return survivors;
    }

    /** True for a minor collection (only the young part of each client can change). */
    abstract boolean isMinor();

    /** Arranges for the data of {@code ephemeron} to be traced (later, never recursively). */
    abstract void retainData(long ephemeron);

    /**
     * Traces the data of {@code ephemeron} now. Only safe where the tracer is not in the middle
     * of tracing a block: from the ephemeron checks its drain loop makes.
     */
    abstract void traceDataNow(long ephemeron);
}
