package dev.ephemera.tables.engine;

import dev.ephemera.Heap;
import dev.ephemera.RootStack;
import dev.ephemera.tables.GenHashTable;
import dev.ephemera.tables.Weakness;
import dev.ephemera.tables.layout.TableLayout;

/**
 * What a table kind keeps in a cell, and how to hash, compare and read it: OCaml's
 * {@code GenHashTable} argument {@code H} (minus the key type), one instance per
 * {@linkplain TableLayout table kind}. Keys are passed as a frame of root slots
 * ({@code keyBase}, {@code keyCount}) so that K2 and Kn tables need no key tuple, and so that
 * they stay rooted across the calls.
 *
 * <p>Every method except {@link #parts} and {@link #recyclable} may allocate or call client
 * code (hashed types, generic containers): callers hold the cell in a root slot and reload
 * their raw values afterwards — except that the {@link #alive} and {@link #release} of a
 * recyclable (built-in) kind never allocate nor call out, which the table's purge relies on.
 * The {@code hashed} argument is the strategy stored in the table.
 */
public abstract class Containers {
    private final int parts;
    private final boolean recyclable;

    Containers(int parts, boolean recyclable) {
        this.parts = parts;
        this.recyclable = recyclable;
    }

    /** Fields of the cell holding the container: 1 or 2. */
    final int parts() {
        return parts;
    }

    /**
     * True if a dead container may be refilled with a new binding ({@link #setKeyData} on a
     * dead cell) — built-in kinds, whose containers nothing outside the table can see.
     */
    final boolean recyclable() {
        return recyclable;
    }

    /** The number of keys a binding of this kind has, or -1 if any number (Kn). */
    public abstract int arity();

    /** {@code H.hash seed key}. */
    abstract long hash(Heap heap, Object hashed, int seed, RootStack r, int keyBase, int keyCount);

    /** {@code H.equal container key}, the cell being in root slot {@code cellSlot}. */
    abstract GenHashTable.Equal equal(Heap heap, Object hashed, RootStack r, int cellSlot, int keyBase, int keyCount);

    /**
     * {@code H.create key data}: makes the container; leaves part 0 in root slot {@code out}
     * and part 1 (two-part kinds) in {@code out + 1}.
     */
    abstract void create(Heap heap, Object hashed, RootStack r, int keyBase, int keyCount, int dataSlot, int out);

    /** {@code H.set_key_data}: stores key and data in the container of the cell in {@code cellSlot}. */
    abstract void setKeyData(Heap heap, Object hashed, RootStack r, int cellSlot, int keyBase, int keyCount, int dataSlot);

    /**
     * True if the dead cell's container can be refilled with a binding of {@code keyCount} keys
     * (Kn: only an ephemeron of that many keys). Only asked of recyclable kinds.
     */
    boolean canRefill(Heap heap, long cell, int keyCount) {
        return true;
    }

    /**
     * Clears what a dead cell still holds strongly (a weak-key table's value, say) before the
     * cell goes to the free list, so that it keeps nothing alive there.
     */
    void release(Heap heap, long cell) {
    }

    /** {@code H.check_key}: true if no weak part of the cell's container was emptied. */
    abstract boolean alive(Heap heap, Object hashed, long cell);

    /**
     * {@code H.get_data} of the cell in {@code cellSlot}, or NONE. The default goes through
     * {@link #pushBinding}; single-container kinds read it directly.
     */
    long data(Heap heap, Object hashed, RootStack r, int cellSlot) {
        int frame = r.mark();
        int keys = pushBinding(heap, hashed, r, cellSlot);
        long d = keys < 0 ? 0L : r.get(frame + keys);
        r.popTo(frame);
        return d;
    }

    /**
     * Pushes the keys and then the data of the cell in {@code cellSlot} ({@code H.get_key} and
     * {@code H.get_data}); returns the number of keys, or -1 (nothing pushed) if a part is empty.
     */
    public abstract int pushBinding(Heap heap, Object hashed, RootStack r, int cellSlot);

    /** The containers of table kind {@code kind} (see {@link TableLayout}). */
    public static Containers of(int kind) {
        return Kinds.ALL[kind];
    }

    /** A holder, so that the subclasses are initialised after this class, never during. */
    private static final class Kinds {
        static final Containers[] ALL = new Containers[TableLayout.KIND_COUNT];

        static {
            ALL[TableLayout.KIND_K1] = EphemeronContainers.K1;
            ALL[TableLayout.KIND_K2] = EphemeronContainers.K2;
            ALL[TableLayout.KIND_KN] = EphemeronContainers.KN;
            ALL[TableLayout.KIND_GENERIC] = GenericContainers.INSTANCE;
            for (Weakness w : Weakness.values()) {
                ALL[TableLayout.KIND_WEAKNESS + w.ordinal()] = WeaknessContainers.of(w);
            }
        }
    }
}
