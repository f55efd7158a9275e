package dev.ephemera.scheme.machine;

import dev.ephemera.object.Value;
import dev.ephemera.scheme.read.SourcePos;

/**
 * A compiled expression. The machine drives nodes without recursing on the Java stack:
 *
 * <ul>
 * <li>{@link #eval} evaluates the node in the environment register. It ends in one of two
 *     ways: it stores the result in the value register and leaves {@link Machine#node} null
 *     (the machine then returns the value to the continuation), or it sets
 *     {@link Machine#node} to the node to evaluate next, having pushed a continuation frame
 *     if it needs the result (a tail position pushes nothing).</li>
 * <li>{@link #resume} runs when a subexpression returns to a frame this node pushed: the frame
 *     is in the continuation register and the environment register is restored from it.</li>
 * <li>{@link #inline} computes the value at once when that needs no frame (a constant, a
 *     variable, a call of a primitive on such operands), or returns {@link Value#NONE}.</li>
 * </ul>
 */
public abstract class Node {
    /** Where the expression starts in the source, or null. */
    public final SourcePos pos;
    /** Index in the machine's code table (frames and error locations name nodes by it); -1 if none. */
    int id = -1;
    /** The procedure whose body the node is in (null at top level): backtraces name it. */
    Lambda owner;

    protected Node(SourcePos pos) {
        this.pos = pos;
    }

    public abstract void eval(Machine m);

    public void resume(Machine m) {
        throw new IllegalStateException(getClass().getSimpleName() + " pushed no frame");
    }

    /** The value, computed without a frame, or NONE if this node needs the machine. */
    public long inline(Machine m, int depth) {
        return Value.NONE;
    }

    /**
     * Where a frame this node pushed, in {@code state}, is waiting: the position of the
     * subexpression being evaluated (for backtraces). By default the node's own position.
     */
    public SourcePos waitingAt(int state) {
        return pos;
    }

    /** True for nodes whose {@link #inline} never fails: constants and variable references. */
    public boolean isSimple() {
        return false;
    }
}
