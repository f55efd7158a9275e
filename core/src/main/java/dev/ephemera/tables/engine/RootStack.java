package dev.ephemera.tables.engine;

import dev.ephemera.Heap;
import dev.ephemera.Rank;
import dev.ephemera.RootArea;
import dev.ephemera.object.Value;

/**
 * A LIFO stack of strong root slots over a registered {@link RootArea}: where table operations
 * keep the raw values they hold across anything that may allocate (their own allocations, and
 * calls to hashed types, containers and visitors, which may run client code that allocates).
 * Pushing and reading are plain array accesses; the collector scans the slots and updates them
 * when blocks move.
 *
 * <p>Invariant: slots at or above {@link #mark()} hold {@link Value#NONE}, so the collector never
 * sees a stale pointer there. Operations take a mark on entry and {@link #popTo} it in a
 * {@code finally} block. Nested use (a visitor calling another table operation) stacks frames.
 */
public final class RootStack {
    private static final int INITIAL_SLOTS = 32;

    private final RootArea area;
    private long[] slots;
    private int top;

    /** A stack over a new strong root area of {@code heap}. */
    public RootStack(Heap heap) {
        this.area = heap.newRootArea(INITIAL_SLOTS, Rank.STRONG);
        area.setUsed(INITIAL_SLOTS);
        this.slots = area.slots();
    }

    /** The current top: the slot the next push takes. */
    public int mark() {
        return top;
    }

    /** Pushes {@code v}; returns its slot. */
    public int push(long v) {
        if (top == slots.length) {
            area.setUsed(slots.length * 2);
            slots = area.slots();
        }
        slots[top] = v;
        return top++;
    }

    /** The value in {@code slot}. */
    public long get(int slot) {
        return slots[slot];
    }

    /** Stores {@code v} in {@code slot}. */
    public void set(int slot, long v) {
        slots[slot] = v;
    }

    /** Unregisters the root area; the stack is unusable afterwards. */
    public void close() {
        popTo(0);
        area.close();
    }

    /** Drops every slot at or above {@code mark}, clearing them. */
    public void popTo(int mark) {
        for (int i = mark; i < top; i++) {
            slots[i] = Value.NONE;
        }
        top = mark;
    }
}
