package dev.ephemera.tables.layout;

/**
 * The two immediates with which a table ({@link TableLayout}) or a weak set
 * ({@link WeakSetLayout}) guards itself against modification while it is iterated, or while
 * client code it called runs. Both kinds of block keep them in the same encoding, so that one
 * guard ({@code engine.ModificationGuard}) serves both.
 *
 * <pre>
 *  STATE   bits 0-1     flags of the block's kind (tables: SHARED, IMMUTABLE; weak sets: none)
 *          bits 2-17    the number of callback iterations running on the block
 *          bits 18-33   the op code of the outermost of them (0 when none runs)
 *  STAMP   bits 0-15    the op code of the last modification (0: never modified)
 *          bits 16-     the number of modifications
 * </pre>
 * Flags and iterations share one field so that the entry check of a modification is one read.
 * Op codes are the engine's {@code Op} codes: at most {@link #OP_MASK} operation names.
 */
public final class GuardLayout {
    /** Bits of STATE that hold flags. */
    public static final int FLAG_BITS = 2;
    /** The flags of a STATE word. */
    public static final long FLAG_MASK = (1L << FLAG_BITS) - 1;
    /** Bits of an op code, in STATE and in STAMP. */
    public static final int OP_BITS = 16;
    /** An op code: the low {@link #OP_BITS} bits of a STAMP word. */
    public static final long OP_MASK = (1L << OP_BITS) - 1;
    /** One more iteration running: the amount added to STATE. */
    public static final long ITERATION = 1L << FLAG_BITS;
    /** The count of running iterations, in place in a STATE word. */
    public static final long ITERATION_MASK = OP_MASK << FLAG_BITS;
    /** Where the op code of the outermost running iteration starts in a STATE word. */
    public static final int ITERATION_OP_SHIFT = FLAG_BITS + OP_BITS;
    /** One more modification: the amount added to STAMP (the op code below it is replaced). */
    public static final long MODIFICATION = 1L << OP_BITS;

    private GuardLayout() {}
}
