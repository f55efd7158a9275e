package dev.ephemera;

import dev.ephemera.gc.GcEvent;

/**
 * Receives an event after every collection, on the heap's owner thread. A listener must not
 * allocate in the heap: an allocation that needs a collection while listeners are being told
 * about one raises {@link IllegalStateException}.
 */
@FunctionalInterface
public interface GcListener {
    void collected(GcEvent event);

    /** Called just before a collection starts; by default does nothing. */
    default void starting(GcEvent.Kind kind, String reason) {
    }
}
