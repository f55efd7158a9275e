package dev.ephemera.scheme.machine;

/**
 * A procedure written in Java. Its arguments are on the machine's stack at
 * [{@code args}, {@code args + n}) — rooted, so the body may allocate and then read them again
 * with {@link Machine#arg}. The procedure object itself is at {@code args - 1}.
 *
 * <p>A body returns the result value (a raw pointer is fine: the machine stores it before
 * allocating), or {@link dev.ephemera.object.Value#NONE} if it has itself transferred control
 * (a tail call through {@link Machine#apply}, a raise): then the machine does nothing more.
 */
public final class Primitive {
    /** The Java code of a primitive. */
    @FunctionalInterface
    public interface Body {
        long apply(Machine m, int args, int n);
    }

    public final String name;
    public final int minArgs;
    /** The most arguments accepted, or -1 for any number. */
    public final int maxArgs;
    public final Body body;
    /**
     * May be called inline, while an expression's other operands wait on the stack: true unless
     * the primitive transfers control (returns NONE) or runs code that may redefine globals.
     */
    public final boolean inlinable;
    int index = -1;

    public Primitive(String name, int minArgs, int maxArgs, Body body) {
        this(name, minArgs, maxArgs, true, body);
    }

    public Primitive(String name, int minArgs, int maxArgs, boolean inlinable, Body body) {
        this.name = name;
        this.minArgs = minArgs;
        this.maxArgs = maxArgs;
        this.inlinable = inlinable;
        this.body = body;
    }

    /** "1", "1 or 2", "at least 1": the arity in words, for error messages. */
    public String arityText() {
        if (maxArgs == minArgs) {
            return Integer.toString(minArgs);
        }
        if (maxArgs < 0) {
            return "at least " + minArgs;
        }
        if (maxArgs == minArgs + 1) {
            return minArgs + " or " + maxArgs;
        }
        return minArgs + " to " + maxArgs;
    }
}
