package dev.ephemera.scheme.object;

/**
 * An error object ({@link SchemeTag#CONDITION}), made by {@code error} and by the interpreter
 * for runtime errors.
 *
 * <pre>
 *   header(tag 12, size 3) | kind (symbol) | message (string) | irritants (list)
 *   field:                    0               1                  2
 * </pre>
 * The kind is {@code error} for {@code (error ...)}, and for the interpreter's errors one of
 * {@code unbound-variable}, {@code wrong-type}, {@code wrong-arity}, {@code bad-index},
 * {@code overflow}, {@code division-by-zero}, {@code read-error}, {@code syntax-error},
 * {@code heap-exhausted}, {@code internal}.
 */
public final class ConditionLayout {
    public static final int KIND_FIELD = 0;
    public static final int MESSAGE_FIELD = 1;
    public static final int IRRITANTS_FIELD = 2;
    public static final int SIZE_WORDS = 3;

    private ConditionLayout() {}
}
