package dev.ephemera.scheme.runtime;

import dev.ephemera.Heap;
import dev.ephemera.Rank;
import dev.ephemera.RootArea;
import dev.ephemera.object.Value;

/**
 * The interpreter's registers and scratch stack: one registered {@link RootArea}, so the
 * collector scans every slot below {@link #sp()} and updates it when a block moves.
 *
 * <p>Invariant: the area's {@code used} count is always {@code >= sp}, so a value stored at an
 * index below {@code sp} is a root across any allocation. Slots [0, {@link #REGISTERS}) are the
 * machine's registers; the rest is a stack of temporaries (operands of a primitive, values
 * being built, registers saved by a nested run). Continuation frames are not here — they are
 * heap blocks — so this stack stays shallow whatever the Scheme recursion depth.
 *
 * <p>{@link #slots} returns the live array; it is replaced when the stack grows, so code holds
 * it only between two pushes.
 */
public final class Stack implements AutoCloseable {
    /** The value register: the result of the last evaluation. */
    public static final int VAL = 0;
    /** The environment register. */
    public static final int ENV = 1;
    /** The continuation register: the innermost continuation frame, or NONE at the bottom. */
    public static final int K = 2;
    /** The handler stack: a list of exception handlers. */
    public static final int HANDLERS = 3;
    /** A scratch register. */
    public static final int TMP = 4;
    /**
     * An object raised and not handled inside a nested run of the machine (a finaliser, a
     * loaded file), on its way to be raised again in the run that started it.
     */
    public static final int RAISED = 5;
    /** Number of register slots. */
    public static final int REGISTERS = 6;

    private final RootArea area;
    private long[] slots;
    private int sp;

    public Stack(Heap heap) {
        this.area = heap.newRootArea(1024, Rank.STRONG);
        area.setUsed(area.capacity());
        this.slots = area.slots();
        this.sp = REGISTERS;
    }

    public int sp() {
        return sp;
    }

    /** Pops everything above {@code newSp}; the freed slots are cleared so they keep nothing alive. */
    public void reset(int newSp) {
        for (int i = newSp; i < sp; i++) {
            slots[i] = Value.NONE;
        }
        sp = newSp;
    }

    /** Pushes {@code v}; returns its index. */
    public int push(long v) {
        if (sp == slots.length) {
            grow(sp + 1);
        }
        slots[sp] = v;
        return sp++;
    }

    /** Makes room for {@code n} more slots. */
    public void reserve(int n) {
        if (sp + n > slots.length) {
            grow(sp + n);
        }
    }

    private void grow(int needed) {
        int capacity = Math.max(needed, slots.length * 2);
        area.setUsed(capacity);
        slots = area.slots();
    }

    public long get(int i) {
        return slots[i];
    }

    public void set(int i, long v) {
        slots[i] = v;
    }

    @Override
    public void close() {
        area.close();
    }
}
