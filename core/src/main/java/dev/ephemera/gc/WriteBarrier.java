package dev.ephemera.gc;

import dev.ephemera.memory.Arena;
import dev.ephemera.object.Value;

/**
 * The write barrier: the one place through which every pointer store into the heap goes.
 *
 * <p>The fast path is a store plus, for an old block, one young test of the new and the old
 * value. The generational invariant it keeps: <em>every field of an old block that holds a
 * young pointer is in the {@linkplain RememberedSet remembered set}</em> (ordinary fields in
 * {@code slots}, ephemeron slots in {@code ephemeronSlots}). A store into a young block needs
 * nothing, since the minor collection scans all survivors.
 *
 * <p>A stop-the-world major collector needs no marking barrier; an incremental one would add
 * its snapshot or incremental-update step here, and nowhere else.
 */
public final class WriteBarrier {
    private final Arena arena;
    private final Nursery nursery;
    private final RememberedSet remembered;

    WriteBarrier(Arena arena, Nursery nursery, RememberedSet remembered) {
        this.arena = arena;
        this.nursery = nursery;
        this.remembered = remembered;
    }

    /** Stores {@code value} in field {@code index} of the ordinary block {@code block}. */
    public void storeField(long block, int index, long value) {
        long slot = Value.addressOf(block) + index;
        int young = nursery.chunkIndex;
        if (Value.chunkIndexOf(block) == young) {
            arena.write(slot, value);
            return;
        }
        long old = arena.read(slot);
        arena.write(slot, value);
        if ((value & 1L) == 0 && Value.chunkIndexOf(value) == young
                && ((old & 1L) != 0 || Value.chunkIndexOf(old) != young)) {
            remembered.slots.push(slot);
        }
    }

    /**
     * Stores {@code value} in field {@code index} (data or a key) of the ephemeron {@code ephemeron};
     * ephemerons are always old.
     */
    public void storeEphemeronSlot(long ephemeron, int index, long value) {
        long slot = Value.addressOf(ephemeron) + index;
        int young = nursery.chunkIndex;
        long old = arena.read(slot);
        arena.write(slot, value);
        if ((value & 1L) == 0 && Value.chunkIndexOf(value) == young
                && ((old & 1L) != 0 || Value.chunkIndexOf(old) != young)) {
            remembered.ephemeronSlots.push(ephemeron);
            remembered.ephemeronSlots.push(index);
        }
    }
}
