package dev.ephemera.gc;

import dev.ephemera.memory.Arena;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.EphemeronLayout;
import dev.ephemera.object.layout.Header;

/**
 * The mutator's access to weak slots — ephemeron keys and data, weak roots — whose meaning
 * depends on where the major cycle is (OCaml 4.14's {@code weak.c}). The API layer checks the
 * arguments and calls these; they never allocate.
 *
 * <ul>
 * <li><b>While marking</b>, a value read out of a weak slot is darkened ({@link #getKey},
 *     {@link #getData}, {@link #readWeakRoot}): the mutator now holds it, so it must survive
 *     this cycle although nothing strong may reach it (OCaml: "{@code get} may delay the
 *     erasure to the next GC cycle"). The {@code peek} reads ({@code get_copy}, {@code check},
 *     the source of a blit) do not darken: the value may still be erased in this cycle. A
 *     copy's fields are darkened instead ({@link #darkenFields}), since the copy is a new block
 *     the snapshot does not cover.</li>
 * <li><b>While cleaning</b>, an unmarked key is dead although the cleaning walk may not have
 *     reached its ephemeron yet: every access cleans what it touches first — a key read empties
 *     that key (and the data) if its value is dead; a data access or a data store cleans the
 *     whole ephemeron; a blit cleans the source range and the overwritten destination range —
 *     so every answer is as if all the cleaning had happened at once.</li>
 * <li>Otherwise a slot is read and written as it is (stores through the {@linkplain
 *     WriteBarrier write barrier}).</li>
 * </ul>
 */
public final class WeakSlots {
    private final Arena arena;
    private final WriteBarrier barrier;
    private final MajorCycle cycle;
    private final Marker marker;

    WeakSlots(Arena arena, WriteBarrier barrier, MajorCycle cycle, Marker marker) {
        this.arena = arena;
        this.barrier = barrier;
        this.cycle = cycle;
        this.marker = marker;
    }

    /** Key field {@code field} of {@code e}, darkened while marking ({@code get_key}). */
    public long getKey(long e, int field) {
        long k = peekKey(e, field);
        if (barrier.isMarking()) {
            marker.darken(k);
        }
        return k;
    }

    /** Key field {@code field} of {@code e}, not darkened ({@code check_key}, {@code get_key_copy}). */
    public long peekKey(long e, int field) {
        long a = Value.addressOf(e);
        if (cycle.isCleaning()) {
            cleanKey(a, field);
        }
        return arena.read(a + field);
    }

    /** Field {@code field} (the data or a key) of {@code e}, not darkened, cleaned first while cleaning. */
    public long peekSlot(long e, int field) {
        return field == EphemeronLayout.DATA_FIELD ? peekData(e) : peekKey(e, field);
    }

    /** The data of {@code e}, darkened while marking ({@code get_data}). */
    public long getData(long e) {
        long d = peekData(e);
        if (barrier.isMarking()) {
            marker.darken(d);
        }
        return d;
    }

    /** The data of {@code e}, not darkened ({@code check_data}, {@code get_data_copy}). */
    public long peekData(long e) {
        long a = Value.addressOf(e);
        if (cycle.isCleaning()) {
            cleanAll(a);
        }
        return arena.read(a + EphemeronLayout.DATA_FIELD);
    }

    /** Stores {@code k} (NONE empties it) in key field {@code field} of {@code e}. */
    public void setKey(long e, int field, long k) {
        if (cycle.isCleaning()) {
            cleanKey(Value.addressOf(e), field);
        }
        barrier.storeEphemeronSlot(e, field, k);
    }

    /** Stores {@code d} (NONE empties it) in the data of {@code e}. */
    public void setData(long e, long d) {
        if (cycle.isCleaning()) {
            cleanAll(Value.addressOf(e));
        }
        barrier.storeEphemeronSlot(e, EphemeronLayout.DATA_FIELD, d);
    }

    /**
     * Copies key fields [from1, from1 + n) of {@code e1} to [from2, from2 + n) of {@code e2}
     * without darkening them ({@code blit_key}); overlapping ranges of one ephemeron are handled.
     */
    public void blitKeys(long e1, int from1, long e2, int from2, int n) {
        long a1 = Value.addressOf(e1);
        long a2 = Value.addressOf(e2);
        if (cycle.isCleaning()) {
            for (int i = 0; i < n; i++) {
                cleanKey(a1, from1 + i);
                cleanKey(a2, from2 + i);
            }
        }
        if (e1 == e2 && from2 > from1) {
            for (int i = n - 1; i >= 0; i--) {
                barrier.storeEphemeronSlot(e2, from2 + i, arena.read(a1 + from1 + i));
            }
        } else {
            for (int i = 0; i < n; i++) {
                barrier.storeEphemeronSlot(e2, from2 + i, arena.read(a1 + from1 + i));
            }
        }
    }

    /** Copies the data of {@code e1} into {@code e2} without darkening it ({@code blit_data}). */
    public void blitData(long e1, long e2) {
        long d = peekData(e1);
        setData(e2, d);
    }

    /**
     * Darkens the fields of a block just copied from a weak slot's value ({@code get_copy}
     * while marking): the copy is new, so the snapshot does not protect what it points to.
     */
    public void darkenFields(long copy) {
        if (!barrier.isMarking() || !Value.isBlock(copy)) {
            return;
        }
        long a = Value.addressOf(copy);
        long h = arena.read(Header.addressOf(a));
        if (!Tag.isScanned(Header.tag(h))) {
            return;
        }
        for (int i = 0, n = Header.sizeWords(h); i < n; i++) {
            marker.darken(arena.read(a + i));
        }
    }

    /**
     * A value read from a weak root, or handed out by a weak slot as it is: darkened while
     * marking (weak roots are splatted atomically when marking ends).
     */
    public long readWeakRoot(long v) {
        if (barrier.isMarking()) {
            marker.darken(v);
        }
        return v;
    }

    /**
     * Cleaning: empties key field {@code field} and the data if the key's value is dead. Runs
     * inside the client's read, so a key it cannot look at (a made-up pointer stored with
     * checked mode off) is reported as the heap's corruption, not as the JVM's exception.
     */
    private void cleanKey(long a, int field) {
        long k = arena.read(a + field);
        boolean dead;
        try {
            dead = Value.isBlock(k) && !marker.isReached(k);
        } catch (NullPointerException | ArrayIndexOutOfBoundsException e) {
            throw PointerCheck.unfollowable("cleaning an ephemeron or weak slot on a read", e);
        }
        if (dead) {
            arena.write(a + field, Value.NONE);
            arena.write(a + EphemeronLayout.DATA_FIELD, Value.NONE);
        }
    }

    /** Cleaning: empties every key whose value is dead, and the data with them (as {@link #cleanKey}). */
    private void cleanAll(long a) {
        long[] chunk = arena.storage(Arena.indexOf(a));
        int o = Arena.offsetOf(a);
        try {
            EphemeronFixpoint.clean(chunk, o, Header.sizeWords(chunk[o + Header.OFFSET]), marker);
        } catch (NullPointerException | ArrayIndexOutOfBoundsException e) {
            throw PointerCheck.unfollowable("cleaning an ephemeron or weak slot on a read", e);
        }
    }
}
