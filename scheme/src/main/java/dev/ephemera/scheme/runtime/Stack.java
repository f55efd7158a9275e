package dev.ephemera.scheme.runtime;

import dev.ephemera.Heap;
import dev.ephemera.Rank;
import dev.ephemera.RootArea;
import dev.ephemera.RootStack;
import dev.ephemera.object.Value;

/**
 * The interpreter's registers and scratch stack, one index space over two kinds of roots, both
 * scanned and updated by the collector when a block moves.
 *
 * <p>Indices [0, {@link #REGISTERS}) are the machine's registers: the slots of a strong
 * {@link RootArea} (registered roots that live as long as the interpreter, as an OCaml program's
 * global roots do), read and written as plain array elements — the interpreter touches them on
 * every step, and a checked access there cost the Scheme 7% (measured). The indices above are a
 * stack of temporaries (operands of a primitive, values being built, registers saved by a nested
 * run): a {@link RootStack} of its own, the heap's one way to keep values across allocation,
 * index {@code i} being its slot {@code i - REGISTERS}, with every access checked. Continuation frames are
 * not here — they are heap blocks — so this stack stays shallow whatever the Scheme recursion
 * depth. The root stack is the interpreter's alone: a table operation or a finaliser that runs
 * Scheme code in the middle of its own frames pushes here, above the interpreter's temporaries,
 * never between the frames of another stack.
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

    private final RootArea registerArea;
    /** The register area's slots: the area never grows, so its array is never replaced. */
    private final long[] registers;
    private final RootStack temporaries;

    /**
     * A stack of {@code heap} with its registers, all {@link Value#NONE}.
     *
     * @param heap the heap the interpreter's values live in
     */
    public Stack(Heap heap) {
        this.registerArea = heap.newRootArea(REGISTERS, Rank.STRONG);
        registerArea.setUsed(REGISTERS);
        this.registers = registerArea.slots();
        this.temporaries = heap.newRootStack();
    }

    /** {@return the stack pointer: the index the next {@link #push} takes} */
    public int sp() {
        return REGISTERS + temporaries.mark();
    }

    /**
     * Pops everything at or above {@code newSp}: those slots keep nothing alive any more.
     *
     * @param newSp a stack pointer taken earlier with {@link #sp()}, not yet popped
     */
    public void reset(int newSp) {
        temporaries.popTo(newSp - REGISTERS);
    }

    /**
     * Pushes {@code v}.
     *
     * @param v the value
     * @return its index
     */
    public int push(long v) {
        return REGISTERS + temporaries.push(v);
    }

    /**
     * {@return the value at index {@code i}, below the stack pointer}
     *
     * @param i a register or a pushed slot
     */
    public long get(int i) {
        return Integer.compareUnsigned(i, REGISTERS) < 0 ? registers[i] : temporaries.get(i - REGISTERS);
    }

    /**
     * Stores {@code v} at index {@code i}, below the stack pointer.
     *
     * @param i a register or a pushed slot
     * @param v the value
     */
    public void set(int i, long v) {
        if (Integer.compareUnsigned(i, REGISTERS) < 0) {
            registers[i] = v;
        } else {
            temporaries.set(i - REGISTERS, v);
        }
    }

    @Override
    public void close() {
        temporaries.close();
        registerArea.close();
    }
}
