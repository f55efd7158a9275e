package dev.ephemera.tables.engine;

import dev.ephemera.Gc;
import dev.ephemera.Heap;
import dev.ephemera.tables.layout.TableLayout;

/**
 * When keys may have died: the heap's minor collections plus major slices, read from its
 * counters (not kept by a {@code GcListener}: a listener makes the heap build an event for every
 * collection, garbage on the JVM's heap that a table should not cost). Keys die only at a minor
 * collection or when a cycle's marking ends and the cleaning accessors see it — any slice may be
 * that one — so a table that recorded this count at its last purge
 * ({@link TableLayout#PURGED_AT_FIELD}) holds no dead cell while the count is unchanged, and a
 * cell filled at the current epoch ({@link #epoch}) holds live keys.
 */
final class CollectionClock {
    private final Gc gc;

    CollectionClock(Heap heap) {
        this.gc = heap.gc();
    }

    /** Minor collections plus major slices so far: it changes whenever keys may have died. */
    long collections() {
        return gc.minorCollections() + gc.majorSlices();
    }

    /** The epoch stored in cells filled now: the collection count, modulo 2^30. */
    long epoch() {
        return collections() & TableLayout.EPOCH_MASK;
    }
}
