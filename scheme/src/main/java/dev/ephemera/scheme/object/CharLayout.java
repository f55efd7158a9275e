package dev.ephemera.scheme.object;

/**
 * A character ({@link SchemeTag#CHAR}). Immediates are reserved for the full 63-bit range of
 * exact integers, so characters are small blocks; {@code eqv?} compares their code points. The
 * ASCII characters are preallocated, so {@code eq?} also holds for them.
 *
 * <pre>
 *   header(tag 10, size 1) | Unicode code point (immediate)
 *   field:                    0
 * </pre>
 */
public final class CharLayout {
    public static final int CODE_FIELD = 0;
    public static final int SIZE_WORDS = 1;

    private CharLayout() {}
}
