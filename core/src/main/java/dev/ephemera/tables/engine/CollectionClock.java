package dev.ephemera.tables.engine;

import dev.ephemera.GcListener;
import dev.ephemera.GcStat;
import dev.ephemera.Heap;
import dev.ephemera.event.GcEvent;
import dev.ephemera.tables.layout.TableLayout;

/**
 * When keys may have died: the heap's minor collections plus major slices, kept up to date by a
 * listener. Keys die only at a minor collection or when a cycle's marking ends and the cleaning
 * accessors see it — any slice may be that one — so a table that recorded this count at its last
 * purge ({@link TableLayout#PURGED_AT_FIELD}) holds no dead cell while the count is unchanged,
 * and a cell filled at the current epoch ({@link #epoch}) holds live keys.
 */
final class CollectionClock {
    private long minorCollections;
    private long majorSlices;

    CollectionClock(Heap heap) {
        GcStat st = heap.gc().stat();
        this.minorCollections = st.minorCollections;
        this.majorSlices = st.majorSlices;
        heap.gc().addListener(new GcListener() {
            @Override
            public void collected(GcEvent e) {
                if (e.kind == GcEvent.Kind.MINOR) {
                    minorCollections = e.number;
                }
            }

            @Override
            public void slice(GcEvent e) {
                majorSlices = e.number;
            }
        });
    }

    /** Minor collections plus major slices so far: it changes whenever keys may have died. */
    long collections() {
        return minorCollections + majorSlices;
    }

    /** The epoch stored in cells filled now: the collection count, modulo 2^30. */
    long epoch() {
        return collections() & TableLayout.EPOCH_MASK;
    }
}
