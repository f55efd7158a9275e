package dev.ephemera;

import dev.ephemera.gc.RootRegion;
import dev.ephemera.gc.WeakSlots;
import dev.ephemera.object.Value;
import java.util.Arrays;

/**
 * A registered root area (MPS's {@code mps_root_create_area}): an array of slots the collector
 * scans and updates in place — what an interpreter uses for its stack and registers. Slots
 * [0, {@link #used()}) are roots of this area's {@link Rank}; each must hold a valid value
 * whenever the heap may collect. New slots start as {@link Value#NONE}.
 *
 * <p>For speed an interpreter may work on {@link #slots()} directly, keeping {@link #used()}
 * (via {@link #setUsed}) at or above its stack pointer before anything allocates. Growing the
 * area replaces the array: fetch {@code slots()} again after {@link #ensureCapacity}. A
 * <em>weak</em> area is different: a value read from its array directly, while a major cycle
 * marks, is not kept alive by the read, and storing it anywhere strong may leave a dangling
 * pointer when the cycle frees it — read a weak area's slots with {@link #get} (or take the
 * value out with {@link #pop}), which keeps the value (as {@code Weak.get} does), unless the
 * value is only compared or tested.
 */
public final class RootArea implements AutoCloseable {
    private final Roots roots;
    private final EntryChecks checks;
    private final WeakSlots weakSlots;
    private final Rank rank;
    private long[] slots;
    private int used;
    private boolean closed;

    /**
     * What the collector scans: this area seen through the collector's own interface, which is
     * not part of the API (the module does not export {@code gc}), so the area does not
     * implement it itself.
     */
    final RootRegion region = new RootRegion() {
        @Override
        public long[] slots() {
            return slots;
        }

        @Override
        public int used() {
            return used;
        }
    };

    RootArea(Roots roots, int capacity, Rank rank) {
        this.roots = roots;
        this.checks = roots.checks();
        this.weakSlots = roots.weakSlots();
        this.rank = rank;
        this.slots = new long[Math.max(capacity, 4)];
    }

    /**
     * {@return the slot array itself, for an interpreter that works on it directly; replaced when
     * the area grows, so fetch it again after {@link #ensureCapacity} or {@link #push}}
     */
    public long[] slots() {
        return slots;
    }

    /** {@return how many leading slots are in use: the roots are {@code slots()[0 .. used())}} */
    public int used() {
        return used;
    }

    /**
     * {@return strong (the slots keep their values alive) or weak (they are cleared when their
     * values die)}
     */
    public Rank rank() {
        return rank;
    }

    /**
     * {@return the length of the current {@link #slots()} array: slots that can be used without
     * growing}
     */
    public int capacity() {
        return slots.length;
    }

    /**
     * Sets the number of slots in use; slots beyond the old count start as NONE.
     *
     * @param n the new number of slots in use, in [0, 2<sup>26</sup>]
     */
    public void setUsed(int n) {
        check("RootArea.setUsed");
        if (n < 0) {
            throw new IllegalArgumentException("RootArea.setUsed: " + n + " is negative");
        }
        grow("RootArea.setUsed", n);
        if (n < used) {
            Arrays.fill(slots, n, used, Value.NONE);
        }
        used = n;
    }

    /**
     * Makes room for at least {@code n} slots (may replace the array).
     *
     * @param n the number of slots needed, at most 2<sup>26</sup>
     */
    public void ensureCapacity(int n) {
        check("RootArea.ensureCapacity");
        grow("RootArea.ensureCapacity", n);
    }

    private void grow(String op, int n) {
        if (n > Roots.MAX_ROOT_AREA_SLOTS) {
            throw new IllegalArgumentException(op + ": " + n + " slots is more than a root area holds ("
                    + Roots.MAX_ROOT_AREA_SLOTS + ")");
        }
        if (n > slots.length) {
            int length = Math.min(Roots.MAX_ROOT_AREA_SLOTS, Math.max(n, slots.length * 2));
            try {
                slots = Arrays.copyOf(slots, length);
            } catch (OutOfMemoryError jvmLimit) { // the area is as it was
                throw new HeapExhaustedException(op + ": the JVM has no memory for " + length + " root slots",
                        jvmLimit);
            }
        }
    }

    /**
     * {@return slot {@code i} (in [0, used))} For a weak area, reading a slot while a major cycle
     * marks keeps its value alive until the cycle ends (as OCaml's {@code Weak.get} does).
     *
     * @param i the slot's index
     */
    public long get(int i) {
        checkIndex("RootArea.get", i);
        long v = slots[i];
        return rank == Rank.WEAK ? weakSlots.readWeakRoot(v) : v;
    }

    /**
     * Stores {@code v} in slot {@code i} (in [0, used)).
     *
     * @param i the slot's index
     * @param v the value: an immediate, {@link Value#NONE} or a pointer to a live block
     */
    public void set(int i, long v) {
        checkIndex("RootArea.set", i);
        checks.checkValue("RootArea.set", v);
        slots[i] = v;
    }

    /**
     * Appends a slot holding {@code v}; returns its index.
     *
     * @param v the value: an immediate, {@link Value#NONE} or a pointer to a live block
     * @return the new slot's index
     */
    public int push(long v) {
        check("RootArea.push");
        checks.checkValue("RootArea.push", v);
        if (used == Roots.MAX_ROOT_AREA_SLOTS) {
            throw new IllegalStateException("RootArea.push: the area is full (" + used + " slots)");
        }
        if (used == slots.length) {
            grow("RootArea.push", used + 1);
        }
        slots[used] = v;
        return used++;
    }

    /**
     * Removes the last slot and returns its value. For a weak area, popping a slot while a major
     * cycle marks keeps its value alive until the cycle ends, as {@link #get} does: the value
     * leaves the area for the caller, who may store it anywhere.
     *
     * @return the value the slot held
     */
    public long pop() {
        check("RootArea.pop");
        if (used == 0) {
            throw new IllegalStateException("RootArea.pop: the area is empty");
        }
        long v = slots[--used];
        slots[used] = Value.NONE;
        return rank == Rank.WEAK ? weakSlots.readWeakRoot(v) : v;
    }

    /** Unregisters the area. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        checks.enter("RootArea.close");
        roots.remove(this);
        closed = true;
    }

    private void check(String op) {
        if (closed) {
            throw new IllegalStateException(op + ": the root area was closed");
        }
        checks.enterFast(op);
    }

    private void checkIndex(String op, int i) {
        check(op);
        if (i < 0 || i >= used) {
            throw new IndexOutOfBoundsException(op + ": index " + i + " out of range [0, " + used + ")");
        }
    }
}
