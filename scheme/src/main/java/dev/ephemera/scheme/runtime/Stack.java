package dev.ephemera.scheme.runtime;

import dev.ephemera.Heap;
import dev.ephemera.RootStack;
import dev.ephemera.object.Value;

/**
 * The interpreter's registers and scratch stack: a {@link RootStack} of its own (the heap's one
 * way to keep values across allocation), so the collector scans every slot below {@link #sp()}
 * and updates it when a block moves.
 *
 * <p>Slots [0, {@link #REGISTERS}) are the machine's registers, pushed when the stack is made and
 * never popped; the rest is a stack of temporaries (operands of a primitive, values being built,
 * registers saved by a nested run), whose top is the root stack's mark. Continuation frames are
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

    private final RootStack roots;

    /**
     * A stack of {@code heap} with its registers, all {@link Value#NONE}.
     *
     * @param heap the heap the interpreter's values live in
     */
    public Stack(Heap heap) {
        this.roots = heap.newRootStack();
        for (int i = 0; i < REGISTERS; i++) {
            roots.push(Value.NONE);
        }
    }

    /** {@return the stack pointer: the slot the next {@link #push} takes} */
    public int sp() {
        return roots.mark();
    }

    /**
     * Pops everything at or above {@code newSp}: those slots keep nothing alive any more.
     *
     * @param newSp a stack pointer taken earlier with {@link #sp()}, not yet popped
     */
    public void reset(int newSp) {
        roots.popTo(newSp);
    }

    /**
     * Pushes {@code v}.
     *
     * @param v the value
     * @return its index
     */
    public int push(long v) {
        return roots.push(v);
    }

    /**
     * {@return the value at index {@code i}, below the stack pointer}
     *
     * @param i a register or a pushed slot
     */
    public long get(int i) {
        return roots.get(i);
    }

    /**
     * Stores {@code v} at index {@code i}, below the stack pointer.
     *
     * @param i a register or a pushed slot
     * @param v the value
     */
    public void set(int i, long v) {
        roots.set(i, v);
    }

    @Override
    public void close() {
        roots.close();
    }
}
