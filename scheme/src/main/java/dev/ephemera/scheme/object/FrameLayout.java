package dev.ephemera.scheme.object;

/**
 * A continuation frame ({@link SchemeTag#FRAME}): what remains to do when a subexpression
 * returns. The interpreter never recurses on the Java stack for Scheme calls; a non-tail call
 * pushes one of these on the heap, so recursion is as deep as the heap allows.
 *
 * <pre>
 *   header(tag 7, size 4+n) | next frame (or NONE) | node id (imm) | environment | state (imm) | v0 .. v(n-1)
 *   field:                     0                     1               2             3             4 ..
 * </pre>
 * <ul>
 * <li><b>node id</b>: the compiled node that resumes, by index in the interpreter's code table.</li>
 * <li><b>environment</b>: restored into the environment register when the frame resumes.</li>
 * <li><b>state</b>: the node's progress (which operand comes next), or another small number.</li>
 * <li><b>v0..</b>: values the node saves (operands evaluated so far, saved handlers, ...).</li>
 * </ul>
 */
public final class FrameLayout {
    public static final int NEXT_FIELD = 0;
    public static final int NODE_FIELD = 1;
    public static final int ENV_FIELD = 2;
    public static final int STATE_FIELD = 3;
    public static final int FIRST_VALUE_FIELD = 4;

    private FrameLayout() {}

    /** Block size for {@code values} saved values. */
    public static int sizeWords(int values) {
        return FIRST_VALUE_FIELD + values;
    }

    /** Field index of saved value {@code i}. */
    public static int valueField(int i) {
        return FIRST_VALUE_FIELD + i;
    }
}
