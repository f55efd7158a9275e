package dev.ephemera.scheme.object;

/**
 * A weak box ({@link SchemeTag#WEAK_BOX}): a strong block holding a one-slot weak array (an
 * ephemeron with no data, core's {@code EphemeronLayout}). The indirection tells
 * weak boxes apart from SRFI 124 ephemerons, which are bare one-key ephemerons of the same size.
 *
 * <pre>
 *   header(tag 13, size 1) | weak array of length 1
 *   field:                    0
 * </pre>
 */
public final class WeakBoxLayout {
    public static final int WEAK_ARRAY_FIELD = 0;
    /** The length of the weak array. */
    public static final int WEAK_ARRAY_SLOTS = 1;
    /** The index, in the weak array, of the slot that holds the boxed value. */
    public static final int VALUE_SLOT = 0;
    public static final int SIZE_WORDS = 1;

    private WeakBoxLayout() {}
}
