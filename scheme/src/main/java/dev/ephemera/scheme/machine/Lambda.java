package dev.ephemera.scheme.machine;

import dev.ephemera.scheme.object.ClosureLayout;
import dev.ephemera.scheme.object.EnvironmentLayout;

/**
 * The code of a {@code lambda}: how many parameters, whether there is a rest parameter, how
 * many slots its environment frame has (parameters, rest, internal definitions), its body, which
 * slots hold boxes, and — for a procedure — where the closure gets each free variable from.
 * A closure names it by its index in the machine's code table ({@link Machine#lambda(int)}).
 *
 * <p>A lambda is either a <i>procedure</i> (a {@code lambda} expression or procedure
 * definition: evaluating it makes a closure) or a <i>block</i> (what {@code let} and
 * {@code guard} compile to: entered directly, never a closure; its frame links to the frame it
 * appears in). The compiler creates the lambda before compiling the body, so that nodes can name
 * the procedure they belong to (for backtraces), and completes it afterwards.
 */
public final class Lambda {
    public final String name;
    public final int required;
    public final boolean rest;
    public final int frameSize;
    public final String paramText;
    /** The procedure whose body this code is part of (itself for a procedure, null at top level). */
    public final Lambda owner;
    Node body;
    /** Slots that get a fresh box when the frame is made (captured and assigned variables). */
    int[] boxedSlots = new int[0];
    /** Where each free variable comes from, in the context where the closure is made. */
    Capture[] captures = new Capture[0];
    /** Its index in the machine's code table, which closures hold; -1 until registered there. */
    int id = -1;

    /**
     * A procedure's or block's code; {@code outer} is the procedure it appears in, or null at
     * top level; {@code procedure} says which of the two this is.
     */
    public Lambda(String name, int required, boolean rest, int frameSize, String paramText,
                  Lambda outer, boolean procedure) {
        this.name = name;
        this.required = required;
        this.rest = rest;
        this.frameSize = frameSize;
        this.paramText = paramText;
        this.owner = procedure ? this : outer;
    }

    /** Completes the lambda once its body is compiled. */
    public void finish(Node body, int[] boxedSlots, Capture[] captures) {
        this.body = body;
        this.boxedSlots = boxedSlots.clone();
        this.captures = captures.clone();
    }

    /** "1", "at least 2": the arity in words, for error messages. */
    public String arityText() {
        return rest ? "at least " + required : Integer.toString(required);
    }

    /** How the procedure is named in messages: {@code f} or {@code (lambda (x y) ...)}. */
    public String displayName() {
        return name != null ? name : "(lambda " + paramText + " ...)";
    }

    /**
     * Where a closure being made finds one free variable: a slot of a frame of the current
     * procedure activation ({@code depth} links out), a free variable of the current closure, or
     * the current closure itself (a procedure that refers to itself by its own name).
     */
    public static final class Capture {
        /** The kinds of source. */
        public enum Kind { LOCAL, FREE, SELF }

        final Kind kind;
        final int depth;
        final int index;

        public Capture(Kind kind, int depth, int index) {
            this.kind = kind;
            this.depth = depth;
            this.index = index;
        }

        /** The captured value (a box, for a boxed variable: boxes are copied, never opened). */
        long read(Machine m) {
            long frame = LocalRef.frame(m, depth);
            switch (kind) {
                case LOCAL:
                    return m.heap.field(frame, EnvironmentLayout.slotField(index));
                case FREE:
                    return m.heap.field(m.heap.field(frame, EnvironmentLayout.LINK_FIELD),
                            ClosureLayout.freeField(index));
                default:
                    return m.heap.field(frame, EnvironmentLayout.LINK_FIELD);
            }
        }
    }
}
