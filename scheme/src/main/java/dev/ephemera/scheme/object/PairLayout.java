package dev.ephemera.scheme.object;

/**
 * A pair ({@link SchemeTag#PAIR}).
 *
 * <pre>
 *   header(tag 1, size 2) | car | cdr
 *   field:                   0     1
 * </pre>
 */
public final class PairLayout {
    public static final int CAR_FIELD = 0;
    public static final int CDR_FIELD = 1;
    public static final int SIZE_WORDS = 2;

    private PairLayout() {}
}
