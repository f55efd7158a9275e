package dev.ephemera.object.layout;

/**
 * Layout of a moved block's old copy, the forwarding stub a copying pass leaves behind: the
 * minor collector's in the nursery, the compactor's in an evacuated page.
 *
 * <pre>
 *   BLACK header (size and tag unchanged) | pointer to the copy | (other fields: stale)
 *  field:                                       0
 * </pre>
 *
 * <p>Only the pass that moved the block reads a stub: in the nursery every live block is white
 * until it is copied, and in a page being evacuated every cell that stays is white after the
 * sweep, so a {@link Header#BLACK} header there means "forwarded". The stub overwrites field 0,
 * which every block has (a block of size 0 still takes one field word).
 */
public final class ForwardingLayout {
    /** The colour of a forwarding stub's header. */
    public static final long COLOUR = Header.BLACK;
    /** The field holding the pointer (a value) to the block's new copy. */
    public static final int NEW_COPY_FIELD = 0;

    private ForwardingLayout() {}

    /** True if {@code header}, read where only white or forwarded blocks can be, is a forwarding stub's. */
    public static boolean isForwarded(long header) {
        return (header & Header.COLOUR_MASK) == COLOUR;
    }
}
