package dev.ephemera.gc;

import dev.ephemera.memory.Arena;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.Header;

/**
 * The write barrier: the one place through which every pointer store into the heap goes —
 * stores into existing blocks ({@link #storeField}, {@link #storeEphemeronSlot}) and the
 * initialising stores of a block just allocated ({@link #initField}, {@link #initFill},
 * {@link #initEphemeronSlot}). Nothing else decides whether a store may skip the barrier.
 *
 * <p>It keeps two invariants:
 * <ul>
 * <li><b>Generational</b>: every field of an old block that holds a young pointer is in the
 *     {@linkplain RememberedSet remembered set} (ordinary fields in {@code slots}, ephemeron
 *     slots in {@code ephemeronSlots}). A store into a young block needs nothing, since the
 *     minor collection scans all survivors.</li>
 * <li><b>Snapshot at the beginning</b>, while a major cycle marks (OCaml 4.14's and Yuasa's
 *     deletion barrier): the pointer a store overwrites in an old block is darkened, so that
 *     every block reachable when the cycle began is marked, whatever the mutator unlinks
 *     meanwhile. Initialising stores overwrite nothing and need no darkening; blocks allocated
 *     during marking are black already. A store into an ephemeron slot is not a strong edge
 *     and darkens nothing; instead, if the ephemeron has been reached, it is requeued so that
 *     the fixpoint checks it again against its new keys and data.</li>
 * </ul>
 * The fast path for a young block is one chunk-index comparison and a store; for an old block,
 * one more test of the marking flag and a young test of the new and the old value.
 */
public final class WriteBarrier {
    private final Arena arena;
    private final Nursery nursery;
    private final RememberedSet remembered;
    /** The marker while a major cycle marks, else null: the deletion barrier's switch. */
    private Marker marking;
    private EphemeronFixpoint markingEphemerons;

    WriteBarrier(Arena arena, Nursery nursery, RememberedSet remembered) {
        this.arena = arena;
        this.nursery = nursery;
        this.remembered = remembered;
    }

    /** A major cycle starts marking: stores darken what they overwrite until {@link #stopMarking}. */
    void startMarking(Marker marker, EphemeronFixpoint ephemerons) {
        this.marking = marker;
        this.markingEphemerons = ephemerons;
    }

    void stopMarking() {
        this.marking = null;
        this.markingEphemerons = null;
    }

    /** True while a major cycle marks. */
    boolean isMarking() {
        return marking != null;
    }

    /**
     * A reference leaves a root that the cycle marks in steps rather than in its atomic start
     * (a queued finaliser taken off its {@linkplain FinalisationQueue queue}): the deletion
     * barrier for that root, so the snapshot keeps {@code v} although the step that would have
     * marked it will no longer find it there.
     */
    void rootRemoved(long v) {
        Marker m = marking;
        if (m != null) {
            m.darken(v);
        }
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
        Marker m = marking;
        if (m != null) {
            m.darken(old);
        }
        if ((value & 1L) == 0 && Value.chunkIndexOf(value) == young
                && ((old & 1L) != 0 || Value.chunkIndexOf(old) != young)) {
            remembered.slots.push(slot);
        }
    }

    /**
     * The first store into field {@code index} of a block allocated since the last safe point
     * (its fields hold {@code NONE}): nothing is overwritten, so nothing is darkened; an old
     * block still remembers a young pointer.
     */
    public void initField(long block, int index, long value) {
        long slot = Value.addressOf(block) + index;
        int young = nursery.chunkIndex;
        arena.write(slot, value);
        if (Value.chunkIndexOf(block) != young && (value & 1L) == 0 && Value.chunkIndexOf(value) == young) {
            remembered.slots.push(slot);
        }
    }

    /** {@link #initField} for fields [from, from + count) of a fresh block, all set to {@code value}. */
    public void initFill(long block, int from, int count, long value) {
        long a = Value.addressOf(block) + from;
        int young = nursery.chunkIndex;
        arena.fill(a, count, value);
        if (Value.chunkIndexOf(block) != young && (value & 1L) == 0 && Value.chunkIndexOf(value) == young) {
            for (int i = 0; i < count; i++) {
                remembered.slots.push(a + i);
            }
        }
    }

    /**
     * {@link #initField} for every field of the fresh block {@code block}, copied from the
     * block {@code source} of the same size ({@code sizeWords} fields; raw blocks too).
     */
    public void initCopy(long source, long block, int sizeWords, boolean scanned) {
        long from = Value.addressOf(source);
        long to = Value.addressOf(block);
        if (sizeWords > 0) {
            arena.copy(from, to, sizeWords);
        }
        int young = nursery.chunkIndex;
        if (!scanned || Value.chunkIndexOf(block) == young) {
            return;
        }
        for (int i = 0; i < sizeWords; i++) {
            long v = arena.read(to + i);
            if ((v & 1L) == 0 && Value.chunkIndexOf(v) == young) {
                remembered.slots.push(to + i);
            }
        }
    }

    /**
     * Stores {@code value} in field {@code index} (data or a key) of the ephemeron
     * {@code ephemeron}; ephemerons are always old.
     */
    public void storeEphemeronSlot(long ephemeron, int index, long value) {
        long slot = Value.addressOf(ephemeron) + index;
        int young = nursery.chunkIndex;
        long old = arena.read(slot);
        arena.write(slot, value);
        EphemeronFixpoint e = markingEphemerons;
        if (e != null && Header.isBlack(arena.read(Header.addressOf(Value.addressOf(ephemeron))))) {
            e.requeue(ephemeron);
        }
        if ((value & 1L) == 0 && Value.chunkIndexOf(value) == young
                && ((old & 1L) != 0 || Value.chunkIndexOf(old) != young)) {
            remembered.ephemeronSlots.push(ephemeron);
            remembered.ephemeronSlots.push(index);
        }
    }

    /**
     * The first store into a slot of an ephemeron allocated since the last safe point: the
     * value is one the mutator holds, so it is marked by this cycle if one is marking, and
     * the ephemeron need not be checked again.
     */
    public void initEphemeronSlot(long ephemeron, int index, long value) {
        int young = nursery.chunkIndex;
        arena.write(Value.addressOf(ephemeron) + index, value);
        if ((value & 1L) == 0 && Value.chunkIndexOf(value) == young) {
            remembered.ephemeronSlots.push(ephemeron);
            remembered.ephemeronSlots.push(index);
        }
    }
}
