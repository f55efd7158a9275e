package dev.ephemera;

import dev.ephemera.gc.WeakSlots;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.EphemeronLayout;

/**
 * Weak arrays: OCaml's {@code Weak}. A weak array is an ephemeron whose data is always empty,
 * so each slot behaves as a weak pointer: it does not keep its value alive, and is emptied
 * ({@link Value#NONE}) by the collection that finds the value dead — unless the value awaits a
 * finalise-first finaliser, in which case it is cleared only once that has run and the value
 * is found dead again (OCaml's rule since 4.03). Immediates are never emptied.
 */
public final class Weak {
    private final Ephemerons ephemerons;
    private final EntryChecks checks;
    private final WeakSlots weakSlots;

    Weak(Ephemerons ephemerons, EntryChecks checks, WeakSlots weakSlots) {
        this.ephemerons = ephemerons;
        this.checks = checks;
        this.weakSlots = weakSlots;
    }

    /**
     * {@return a weak array of {@code length} empty slots ({@code Weak.create})}
     *
     * @param length the number of slots
     */
    public long create(int length) {
        return ephemerons.create("Weak.create", length);
    }

    /**
     * {@return the number of slots ({@code Weak.length})}
     *
     * @param ar a weak array
     */
    public int length(long ar) {
        return ephemerons.keyCount("Weak.length", ar);
    }

    /**
     * Sets slot {@code i} to {@code v}; NONE empties it ({@code Weak.set ar i (Some v | None)}).
     *
     * @param ar a weak array
     * @param i the slot's index, in [0, length)
     * @param v the value: a pointer to a block, an immediate, or NONE
     */
    public void set(long ar, int i, long v) {
        ephemerons.setKey("Weak.set", ar, i, v);
    }

    /**
     * {@return slot {@code i}, or NONE ({@code Weak.get})}
     *
     * @param ar a weak array
     * @param i the slot's index, in [0, length)
     */
    public long get(long ar, int i) {
        return ephemerons.getKey("Weak.get", ar, i);
    }

    /**
     * {@return a shallow copy of slot {@code i}, or NONE ({@code Weak.get_copy})}
     *
     * @param ar a weak array
     * @param i the slot's index, in [0, length)
     */
    public long getCopy(long ar, int i) {
        return ephemerons.getKeyCopy("Weak.get_copy", ar, i);
    }

    /**
     * {@return true if slot {@code i} is full ({@code Weak.check})}
     *
     * @param ar a weak array
     * @param i the slot's index, in [0, length)
     */
    public boolean check(long ar, int i) {
        return ephemerons.peekKey("Weak.check", ar, i) != Value.NONE;
    }

    /**
     * Sets slots [ofs, ofs+len) to {@code v} ({@code Weak.fill}).
     *
     * @param ar a weak array
     * @param ofs the first slot set
     * @param len the number of slots set
     * @param v the value: a pointer to a block, an immediate, or NONE
     */
    public void fill(long ar, int ofs, int len, long v) {
        int n = ephemerons.keyCount("Weak.fill", ar);
        if (ofs < 0 || len < 0 || ofs > n - len) {
            throw new IndexOutOfBoundsException("Weak.fill: range of " + len + " slots from " + ofs
                    + " is invalid for a weak array of length " + n);
        }
        checks.checkValue("Weak.fill", v);
        for (int i = 0; i < len; i++) {
            weakSlots.setKey(ar, EphemeronLayout.keyField(ofs + i), v);
        }
    }

    /**
     * Copies {@code len} slots of {@code ar1} from {@code off1} to {@code ar2} at {@code off2}
     * without making them strong ({@code Weak.blit}); overlap-safe.
     *
     * @param ar1 the weak array copied from
     * @param off1 the first slot copied
     * @param ar2 the weak array copied to (may be {@code ar1})
     * @param off2 the first slot of {@code ar2} written
     * @param len the number of slots
     */
    public void blit(long ar1, int off1, long ar2, int off2, int len) {
        ephemerons.blitKeys("Weak.blit", ar1, off1, ar2, off2, len);
    }
}
