package dev.ephemera.scheme.object;

/**
 * A closure ({@link SchemeTag#CLOSURE}): the code of a {@code lambda} and the values of its
 * free variables — a flat closure. The code is compiled Java (a
 * {@link dev.ephemera.scheme.machine.Lambda}); the closure names it by its index in the
 * interpreter's code table, an immediate.
 *
 * <pre>
 *   header(tag 4, size 1+n) | code index (immediate) | free 0 | ... | free n-1
 *   field:                     0                        1              n
 * </pre>
 * A closure holds exactly the variables its code mentions, in the order the compiler chose
 * ({@code Lambda} knows it), and nothing else: no environment frame, so a value bound beside
 * the closure but not used by it is not kept alive by it (Clinger's "safe for space"). A free
 * variable that is also assigned is held through its {@link BoxLayout box}.
 */
public final class ClosureLayout {
    public static final int CODE_FIELD = 0;
    public static final int FIRST_FREE_FIELD = 1;

    private ClosureLayout() {}

    /** Block size for {@code free} free variables. */
    public static int sizeWords(int free) {
        return FIRST_FREE_FIELD + free;
    }

    /** Field index of free variable {@code i}. */
    public static int freeField(int i) {
        return FIRST_FREE_FIELD + i;
    }
}
