package dev.ephemera.scheme.object;

/**
 * An error object ({@link SchemeTag#CONDITION}), made by {@code error} and by the interpreter
 * for runtime errors.
 *
 * <pre>
 *   header(tag 12, size 5) | kind (symbol) | message (string) | irritants (list) | location | backtrace
 *   field:                    0               1                  2                  3          4
 * </pre>
 * The location is the id of the compiled node the error happened at (an immediate; the
 * position and procedure come from the node) or {@code #f}; the backtrace is a vector of
 * fixnums (see {@code machine.Backtrace}) or {@code #f}. Both are recorded when the object is
 * made, so an error reports where it happened even if a handler raises it again elsewhere.
 * The kind is {@code error} for {@code (error ...)}, and for the interpreter's errors one of
 * {@code unbound-variable}, {@code wrong-type}, {@code wrong-arity}, {@code bad-index},
 * {@code overflow}, {@code division-by-zero}, {@code read-error}, {@code syntax-error},
 * {@code heap-exhausted}, {@code internal}.
 */
public final class ConditionLayout {
    public static final int KIND_FIELD = 0;
    public static final int MESSAGE_FIELD = 1;
    public static final int IRRITANTS_FIELD = 2;
    public static final int LOCATION_FIELD = 3;
    public static final int BACKTRACE_FIELD = 4;
    public static final int SIZE_WORDS = 5;

    private ConditionLayout() {}
}
