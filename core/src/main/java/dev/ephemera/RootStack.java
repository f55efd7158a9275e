package dev.ephemera;

import dev.ephemera.gc.RootRegion;
import dev.ephemera.object.Value;
import java.util.Arrays;

/**
 * A stack of strong root slots, in frames (OCaml's {@code CAMLparam}/{@code CAMLlocal}, V8's
 * HandleScope): the one way code built on the heap keeps raw values across anything that may
 * allocate. An operation takes a {@link #mark()} on entry, {@link #push}es the values it must
 * keep, reads them back with {@link #get} after each allocation (the collector updates a slot
 * when its block moves), and {@link #popTo}s its mark in a {@code finally} block, so frames nest
 * as calls do — a visitor or a hashed type that runs another operation on the same stack stacks
 * its frame above its caller's.
 *
 * <pre>{@code
 * int mark = stack.mark();
 * try {
 *     int list = stack.push(Value.ofInt(0));
 *     for (int i = 0; i < n; i++) {
 *         stack.set(list, heap.alloc(0, Value.ofInt(i), stack.get(list)));
 *     }
 *     return stack.get(list);   // raw result, valid until the next allocation
 * } finally {
 *     stack.popTo(mark);
 * }
 * }</pre>
 *
 * <p>Invariant: the roots are exactly slots [0, {@link #mark()}): the collector scans and
 * updates those and no others, and {@link #get} and {@link #set} refuse the others. So a popped
 * value is kept alive by nothing, and a slot above the mark, which may still hold the raw pointer
 * of a popped value, is never seen by anyone: popping is one store, with no slot to clear — it
 * runs on every allocation that roots its arguments.
 *
 * <p>The heap keeps one stack of its own, and it is the heap's handle stack: every
 * {@link Scope} remembers its mark and pops to it on close (a {@link Handle} is a slot of it),
 * and the allocation functions, ephemerons, guardians and finaliser registrations push the values
 * they are given on it before they may collect. There is no other, raw handle stack underneath:
 * those paths have made their entry checks already, so they use this class's package-private
 * unchecked operations — the same array store, array load and index update the collector's raw
 * handle stack did, which is what keeps {@code Handle.get} and the allocation paths as fast as
 * they were. Code built on the heap takes stacks of its own from {@link Heap#newRootStack} — the
 * tables one per module (and per cursor), the Scheme one per interpreter — so that a frame that
 * stays open on one (the interpreter's registers live as long as it does) never sits between
 * two frames of another.
 *
 * <p>Speed: {@link #get}, {@link #set}, {@link #push}, {@link #mark} and {@link #popTo} check the
 * owner thread only in {@linkplain CheckedMode checked mode}, as {@link Handle#get} does; the
 * closed heap and stack, and the slot's range, are always checked — for {@link #get} and
 * {@link #set} by one comparison, the range check: closing the stack or the heap sets its top to
 * 0, so a closed stack has no slot in range, and the failure path tells which it was. An
 * interpreter that keeps its registers here (the Scheme's does) pays one compare per access.
 */
public final class RootStack implements AutoCloseable {
    private static final int INITIAL_SLOTS = 32;

    private final Roots roots;
    private final EntryChecks checks;
    /** The slots; [0, top) are roots, the rest unread leftovers. Replaced when the stack grows. */
    long[] slots = new long[INITIAL_SLOTS];
    /** The next free slot: the current mark. */
    int top;
    private boolean closed;

    /**
     * What the collector scans: this stack seen through the collector's own interface, which is
     * not part of the API (the module does not export {@code gc}), so the stack does not
     * implement it itself.
     */
    final RootRegion region = new RootRegion() {
        @Override
        public long[] slots() {
            return slots;
        }

        @Override
        public int used() {
            return top;
        }
    };

    RootStack(Roots roots) {
        this.roots = roots;
        this.checks = roots.checks();
    }

    // ================================================================== the API

    /** {@return the current top: the slot the next {@link #push} takes, to restore with {@link #popTo}} */
    public int mark() {
        check("RootStack.mark");
        return top;
    }

    /**
     * Pushes {@code v} on the stack.
     *
     * @param v the value to keep: an immediate, {@link Value#NONE} or a pointer to a live block
     * @return the slot holding it, for {@link #get} and {@link #set}
     */
    public int push(long v) {
        check("RootStack.push");
        if (CheckedMode.ON) {
            checks.checkValue("RootStack.push", v);
        }
        return pushUnchecked(v);
    }

    /**
     * {@return the value in {@code slot}, updated by every collection since it was stored}
     *
     * @param slot a slot below the current {@link #mark()}
     * @throws IndexOutOfBoundsException if {@code slot} is not in [0, mark)
     */
    public long get(int slot) {
        if (Integer.compareUnsigned(slot, top) >= 0) {
            throw refused("RootStack.get", slot);
        }
        if (CheckedMode.ON) {
            checks.enterFast("RootStack.get");
        }
        return slots[slot];
    }

    /**
     * Stores {@code v} in {@code slot}.
     *
     * @param slot a slot below the current {@link #mark()}
     * @param v the value to keep: an immediate, {@link Value#NONE} or a pointer to a live block
     * @throws IndexOutOfBoundsException if {@code slot} is not in [0, mark)
     */
    public void set(int slot, long v) {
        if (Integer.compareUnsigned(slot, top) >= 0) {
            throw refused("RootStack.set", slot);
        }
        if (CheckedMode.ON) {
            checks.enterFast("RootStack.set");
            checks.checkValue("RootStack.set", v);
        }
        slots[slot] = v;
    }

    /**
     * Drops every slot at or above {@code mark}: they are roots no longer.
     *
     * @param mark a mark taken earlier and not yet popped: in [0, {@link #mark()}]
     * @throws IllegalArgumentException if {@code mark} is negative or above the current top
     */
    public void popTo(int mark) {
        check("RootStack.popTo");
        if (mark < 0 || mark > top) {
            throw new IllegalArgumentException("RootStack.popTo: mark " + mark + " out of range [0, " + top + "]");
        }
        popToUnchecked(mark);
    }

    /**
     * Unregisters the stack: its slots root nothing any more, and every later operation on it
     * fails ({@link IllegalStateException}). Closing twice is harmless.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        checks.enter("RootStack.close");
        roots.remove(this);
        popToUnchecked(0);
        closed = true;
    }

    // ================================================================== for the library's own code

    /** {@link #push} for code that has made its entry checks. */
    int pushUnchecked(long v) {
        if (top == slots.length) {
            slots = Arrays.copyOf(slots, top * 2);
        }
        slots[top] = v;
        return top++;
    }

    /** {@link #get} for code that has made its entry checks; {@code slot} is below the top. */
    long getUnchecked(int slot) {
        return slots[slot];
    }

    /** {@link #set} for code that has made its entry checks; {@code slot} is below the top. */
    void setUnchecked(int slot, long v) {
        slots[slot] = v;
    }

    /** {@link #popTo} for code that has made its entry checks. */
    void popToUnchecked(int mark) {
        top = mark;
    }

    /**
     * The heap is closing: the stack roots nothing any more and every later operation on it
     * fails, reporting the closed heap. With the top at 0, {@link #get} and {@link #set} find
     * that in their range check and need no check of their own for it.
     */
    void heapClosed() {
        popToUnchecked(0);
        closed = true;
    }

    private void check(String op) {
        if (closed) {
            throw closedException(op);
        }
        if (CheckedMode.ON) {
            checks.enterFast(op);
        }
    }

    /**
     * Why {@code slot} was refused: the heap or the stack is closed (their top is 0), or the
     * slot is not below the top.
     */
    private RuntimeException refused(String op, int slot) {
        if (closed) {
            return closedException(op);
        }
        return new IndexOutOfBoundsException(op + ": slot " + slot + " out of range [0, " + top + ")");
    }

    private RuntimeException closedException(String op) {
        if (checks.isClosed()) {
            return new HeapClosedException(op + ": the heap is closed");
        }
        return new IllegalStateException(op + ": the root stack was closed");
    }
}
