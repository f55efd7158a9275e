package dev.ephemera.scheme.object;

/**
 * A vector ({@link SchemeTag#VECTOR}): its elements are its fields, so its length is its size.
 *
 * <pre>
 *   header(tag 2, size n) | element 0 | element 1 | ... | element n-1
 * </pre>
 */
public final class VectorLayout {
    private VectorLayout() {}

    /** Block size for {@code length} elements. */
    public static int sizeWords(int length) {
        return length;
    }

    /** Field index of element {@code i}. */
    public static int elementField(int i) {
        return i;
    }
}
