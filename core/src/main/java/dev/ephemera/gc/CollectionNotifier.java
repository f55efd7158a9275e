package dev.ephemera.gc;

import dev.ephemera.event.GcEvent;

/**
 * Tells the {@link CollectionObserver} (the API's listeners, the log, JFR) about collections,
 * and remembers that it is doing so: a listener that allocated in the heap would start a
 * collection inside the report of another, which {@link Collector} refuses while
 * {@link #isNotifying} holds.
 */
final class CollectionNotifier {
    private CollectionObserver observer;
    /** The observer is being told about a collection: a collection now would recurse. */
    private boolean notifying;

    void setObserver(CollectionObserver observer) {
        this.observer = observer;
    }

    boolean isNotifying() {
        return notifying;
    }

    void started(GcEvent.Kind kind, String reason) {
        if (observer != null) {
            notifying = true;
            try {
                observer.started(kind, reason);
            } finally {
                notifying = false;
            }
        }
    }

    /** A slice is about to run (the observer may start timing it); not a report, so no guard. */
    void sliceStarting() {
        if (observer != null) {
            observer.sliceStarting();
        }
    }

    void sliced(GcEvent event) {
        if (observer != null) {
            notifying = true;
            try {
                observer.sliced(event);
            } finally {
                notifying = false;
            }
        }
    }

    void ended(GcEvent event) {
        if (observer != null) {
            notifying = true;
            try {
                observer.ended(event);
            } finally {
                notifying = false;
            }
        }
    }
}
