package dev.ephemera;

import dev.ephemera.event.GcEvent;

/**
 * Receives an event after every collection — each minor collection, each major cycle when it
 * ends, each compaction — on the heap's owner thread. A listener observes;
 * it must not allocate in the heap (an allocation from a listener raises
 * {@link IllegalStateException} and allocates nothing), and it must not change the heap
 * or its roots (store fields, set handles, close global roots or root areas): it runs inside
 * the collector's work — between the two cycles of {@link Gc#fullMajor}, for one, which counts
 * on no mutator code having run between them. Nor may it close the heap: {@link Heap#close}
 * called from a listener raises {@link IllegalStateException} and leaves the heap open. An
 * exception a listener throws reaches the caller of the call that collected, once every other
 * listener has been told (later ones are added to it as suppressed).
 *
 * <p>Listening has a cost: a heap with no listener (nor GC log, logger or flight recording
 * that wants its collections) builds no {@link GcEvent} and allocates nothing on the JVM's heap
 * per collection; with one, each collection and slice makes its event, about 240 bytes of
 * Java garbage. With a gigabyte heap, that brings the JVM's own young collections (a pause of a
 * millisecond or more each) nearer; {@link HeapMXBean} and {@link Gc#stat()} are read without it.
 */
@FunctionalInterface
public interface GcListener {
    /**
     * Called after each collection — a minor collection, a major cycle when it ends, a compaction —
     * with what it did.
     *
     * @param event the collection: its kind, reason, pause, sizes and phase times
     */
    void collected(GcEvent event);

    /**
     * Called just before a collection starts — a minor collection, a major cycle (whose slices
     * follow, and whose end {@link #collected} reports) or a compaction; by default does nothing.
     *
     * @param kind {@link GcEvent.Kind#MINOR}, {@link GcEvent.Kind#MAJOR} or
     *     {@link GcEvent.Kind#COMPACTION}
     * @param reason why it runs: the policy's trigger or the explicit request
     */
    default void starting(GcEvent.Kind kind, String reason) {
    }

    /**
     * Called after each slice of a major cycle ({@link GcEvent.Kind#MAJOR_SLICE}: its pause,
     * work and phases); by default does nothing. Every pause of the heap's owner thread is a
     * minor collection, a slice or a compaction.
     *
     * @param event the slice: its pause, the work it did and the phases it ran
     */
    default void slice(GcEvent event) {
    }
}
