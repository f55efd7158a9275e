package dev.ephemera.gc;

import dev.ephemera.event.GcEvent;

/** Told about every collection, before and after; implemented by the API layer. */
public interface CollectionObserver {
    /** A collection of {@code kind} (a minor collection or a major cycle) is about to start, for {@code reason}. */
    void started(GcEvent.Kind kind, String reason);

    /**
     * The collection is complete and the heap consistent. {@code report} is the collector's
     * own, valid during this call only (see {@link CollectionReport}).
     */
    void ended(CollectionReport report);

    /** A slice of a major cycle is about to start (no listener is told; the JFR event begins). */
    default void sliceStarting() {
    }

    /** A slice of a major cycle is done (the heap is consistent; the cycle may go on); as {@link #ended}. */
    default void sliced(CollectionReport report) {
    }
}
