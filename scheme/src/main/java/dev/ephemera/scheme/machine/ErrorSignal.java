package dev.ephemera.scheme.machine;

import dev.ephemera.object.Value;

/**
 * A runtime error signalled by Java code (a primitive, the machine, the compiler): the machine
 * catches it at once, turns it into a Scheme error object and raises it, so {@code guard} and
 * {@code with-exception-handler} see it like any other error.
 *
 * <p>{@link #irritant} is a raw value: it is valid because nothing allocates between the throw
 * and the machine's catch, which roots it first.
 */
public final class ErrorSignal extends RuntimeException {
    /** The error object's kind: a symbol name (see {@link dev.ephemera.scheme.SchemeError#kind()}). */
    public final String kind;
    /** The offending value, or {@link Value#NONE} for none. */
    public final long irritant;
    /**
     * The node the error is in, when the thrower knows better than the machine (a variable
     * reference); null means "the call being made", which the machine knows.
     */
    public final Node where;

    public ErrorSignal(String kind, String message, long irritant, Node where) {
        super(message, null, false, false);
        this.kind = kind;
        this.irritant = irritant;
        this.where = where;
    }

    public ErrorSignal(String kind, String message, long irritant) {
        this(kind, message, irritant, null);
    }

    public ErrorSignal(String kind, String message) {
        this(kind, message, Value.NONE, null);
    }
}
