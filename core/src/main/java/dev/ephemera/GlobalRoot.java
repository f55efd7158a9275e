package dev.ephemera;

import dev.ephemera.gc.RootSet;
import dev.ephemera.gc.WeakSlots;
import dev.ephemera.object.Value;

/**
 * A global root (OCaml's {@code caml_register_generational_global_root}, MPS's single-slot
 * root): a slot that outlives scopes, for references from long-lived Java objects. A
 * {@linkplain Rank#STRONG strong} root keeps its value alive; a {@linkplain Rank#WEAK weak} one
 * becomes {@link Value#NONE} when its value dies. Release it with {@link #close}.
 */
public final class GlobalRoot implements AutoCloseable {
    private final EntryChecks checks;
    private final WeakSlots weakSlots;
    private final RootSet.SlotTable table;
    private final int slot;
    private final Rank rank;
    private boolean released;

    GlobalRoot(Roots roots, RootSet.SlotTable table, int slot, Rank rank) {
        this.checks = roots.checks();
        this.weakSlots = roots.weakSlots();
        this.table = table;
        this.slot = slot;
        this.rank = rank;
    }

    /**
     * {@return the current value; for a weak root, {@link Value#NONE} once the value has died}
     * Reading a weak root while a major cycle marks keeps its value alive until the cycle ends (as
     * OCaml's {@code Weak.get} does).
     */
    public long get() {
        check("GlobalRoot.get");
        return read();
    }

    /** {@link #get()} with every entry check (the owner thread too), errors reported under {@code op}. */
    long get(String op) {
        check(op);
        checks.enter(op);
        return read();
    }

    private long read() {
        long v = table.get(slot);
        return rank == Rank.WEAK ? weakSlots.readWeakRoot(v) : v;
    }

    /**
     * The current value without the weak read barrier: reading it does not keep a weak root's
     * value alive for the cycle marking. For the collector's own tests and checks, which look
     * without taking.
     */
    long peek() {
        return table.get(slot);
    }

    /**
     * Replaces the value.
     *
     * @param v the new value: an immediate, {@link Value#NONE} or a pointer to a live block
     */
    public void set(long v) {
        check("GlobalRoot.set");
        checks.checkValue("GlobalRoot.set", v);
        table.set(slot, v);
    }

    /** {@return whether this root is strong or weak} */
    public Rank rank() {
        return rank;
    }

    /** Unregisters the root. Releasing twice is harmless. */
    @Override
    public void close() {
        if (released) {
            return;
        }
        checks.enter("GlobalRoot.close");
        table.remove(slot);
        released = true;
    }

    private void check(String op) {
        if (released) {
            throw new IllegalStateException(op + ": the root was released");
        }
        checks.enterFast(op);
    }
}
