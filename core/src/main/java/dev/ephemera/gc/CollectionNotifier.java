package dev.ephemera.gc;

import dev.ephemera.event.GcEvent;

/**
 * Tells the {@link CollectionObserver} (the API's listeners, the log, JFR) about collections,
 * and remembers that it is doing so ({@link #isNotifying}), when the heap refuses to allocate:
 * a listener runs inside the collector's work, where a new block breaks what the collector
 * counts on — told that a major cycle starts, the nursery has just been emptied and the roots
 * are about to be darkened as major blocks, so a young block rooted then was coloured black in
 * the nursery and lost at the next minor collection (silently, with checked mode off) — and an
 * allocation that needed a collection would start one inside the report of another.
 *
 * <p>Refused at no cost to the allocation fast path: while the observer runs, the nursery is
 * {@linkplain Nursery#suspendAllocation full}, so every allocation reaches the slow path,
 * which checks {@link #isNotifying}.
 */
final class CollectionNotifier {
    private final Nursery nursery;
    private CollectionObserver observer;
    /** The observer is being told about a collection: no allocation, no collection now. */
    private boolean notifying;

    CollectionNotifier(Nursery nursery) {
        this.nursery = nursery;
    }

    void setObserver(CollectionObserver observer) {
        this.observer = observer;
    }

    boolean isNotifying() {
        return notifying;
    }

    void started(GcEvent.Kind kind, String reason) {
        if (observer != null) {
            begin();
            try {
                observer.started(kind, reason);
            } finally {
                end();
            }
        }
    }

    /** A slice is about to run (the observer may start timing it); not a report, so no guard. */
    void sliceStarting() {
        if (observer != null) {
            observer.sliceStarting();
        }
    }

    void sliced(CollectionReport report) {
        if (observer != null) {
            begin();
            try {
                observer.sliced(report);
            } finally {
                end();
            }
        }
    }

    void ended(CollectionReport report) {
        if (observer != null) {
            begin();
            try {
                observer.ended(report);
            } finally {
                end();
            }
        }
    }

    private void begin() {
        notifying = true;
        nursery.suspendAllocation();
    }

    private void end() {
        notifying = false;
        nursery.resumeAllocation();
    }
}
