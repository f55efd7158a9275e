package dev.ephemera;

import dev.ephemera.gc.GcEvent;

/**
 * Receives an event after every collection, on the heap's owner thread. A listener observes;
 * it must not allocate in the heap (an allocation that needs a collection while listeners are
 * being told about one raises {@link IllegalStateException}), and it must not change the heap
 * or its roots (store fields, set handles, close global roots or root areas): it runs inside
 * the collector's work — between the two cycles of {@link Gc#fullMajor}, for one, which counts
 * on no mutator code having run between them.
 */
@FunctionalInterface
public interface GcListener {
    void collected(GcEvent event);

    /** Called just before a collection starts; by default does nothing. */
    default void starting(GcEvent.Kind kind, String reason) {
    }
}
