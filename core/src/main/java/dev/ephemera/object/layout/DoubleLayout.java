package dev.ephemera.object.layout;

import dev.ephemera.object.Tag;

/**
 * Layout of a boxed double ({@link Tag#DOUBLE}): one field holding the IEEE-754 bits, and of a
 * flat double array ({@link Tag#DOUBLE_ARRAY}): one field per element.
 *
 * <pre>
 *   header | bits      (DOUBLE, size 1)
 *   header | bits 0 | bits 1 | ...      (DOUBLE_ARRAY, size n)
 * </pre>
 */
public final class DoubleLayout {
    public static final int BITS_FIELD = 0;
    public static final int SIZE_WORDS = 1;

    private DoubleLayout() {}
}
