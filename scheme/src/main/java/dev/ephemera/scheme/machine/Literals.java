package dev.ephemera.scheme.machine;

import dev.ephemera.Heap;
import dev.ephemera.Rank;
import dev.ephemera.RootArea;

/**
 * Quoted data and other constants of compiled code, in a registered root area: compiled nodes
 * are Java objects and hold only the index of their constant here, never a raw pointer.
 */
public final class Literals implements AutoCloseable {
    private final RootArea area;

    Literals(Heap heap) {
        this.area = heap.newRootArea(256, Rank.STRONG);
    }

    /** Stores {@code v} (valid now) and returns its index. */
    public int add(long v) {
        return area.push(v);
    }

    public long get(int index) {
        return area.slots()[index];
    }

    @Override
    public void close() {
        area.close();
    }
}
