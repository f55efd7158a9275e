package dev.ephemera.scheme.object;

/**
 * A closure ({@link SchemeTag#CLOSURE}): the code of a {@code lambda} and the environment it
 * was made in. The code is compiled Java (a {@link dev.ephemera.scheme.compile.Lambda}); the
 * closure names it by its index in the interpreter's code table, an immediate.
 *
 * <pre>
 *   header(tag 4, size 2) | code index (immediate) | environment (or NONE at top level)
 *   field:                   0                        1
 * </pre>
 */
public final class ClosureLayout {
    public static final int CODE_FIELD = 0;
    public static final int ENV_FIELD = 1;
    public static final int SIZE_WORDS = 2;

    private ClosureLayout() {}
}
