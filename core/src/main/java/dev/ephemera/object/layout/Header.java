package dev.ephemera.object.layout;

/**
 * The header word that precedes every block.
 *
 * <pre>
 *  63                          33 32                        11  10  9   8 7          0
 * +------------------------------+----------------------------+---+-------+------------+
 * |      size in words (31)      |   identity hash (22)       | W | colour|  tag (8)   |
 * +------------------------------+----------------------------+---+-------+------------+
 * </pre>
 *
 * <ul>
 * <li><b>size</b>: number of fields, not counting the header (OCaml's wosize).</li>
 * <li><b>colour</b>: {@link #WHITE} unmarked (and every young block), {@link #BLACK} marked by
 *     the major marker, or allocated while a major cycle marks or cleans — in the nursery,
 *     BLACK means "forwarded", with the new pointer in field 0 — {@link #GREY} unused (the
 *     marker blackens a block when it pushes it), {@link #BLUE} a free cell.</li>
 * <li><b>W</b> (waited): some ephemeron waits for this (unreached) block to be reached. Then
 *     the header is a <em>waited header</em>: size, colour and tag as before, W set, and in
 *     the identity-hash bits an index into the collector's waiter table, where the original
 *     header (its hash included) is saved ({@link #waitedHeader}). Size and tag stay valid,
 *     so the mutator, which runs between the slices of an incremental major cycle, can read a
 *     waited header like any other; only the identity hash must be read through the
 *     collector. The index {@link #WAITED_OVERFLOW} means "look the key up by address".</li>
 * <li><b>identity hash</b>: 0 until first asked for, then a stored pseudo-random number in
 *     [1, 2<sup>22</sup>). It is copied when the block moves, so it never depends on an
 *     address.</li>
 * </ul>
 */
public final class Header {
    /** Bits of the tag: the header's low byte. */
    public static final int TAG_BITS = 8;
    /** The tag bits of a header (and the range of a tag). */
    public static final int TAG_MASK = (1 << TAG_BITS) - 1;
    public static final int COLOUR_SHIFT = 8;
    public static final long COLOUR_MASK = 3L << COLOUR_SHIFT;
    public static final long WHITE = 0L;
    public static final long BLACK = 1L << COLOUR_SHIFT;
    public static final long GREY = 2L << COLOUR_SHIFT;
    public static final long BLUE = 3L << COLOUR_SHIFT;
    public static final long WAITED = 1L << 10;
    public static final int HASH_SHIFT = 11;
    public static final int HASH_BITS = 22;
    public static final long HASH_MASK = ((1L << HASH_BITS) - 1) << HASH_SHIFT;
    /** The waiter-table index a waited header holds when the table has no index left. */
    public static final int WAITED_OVERFLOW = (1 << HASH_BITS) - 1;
    public static final int SIZE_SHIFT = 33;
    /** The largest block, in words (fields). */
    public static final int MAX_SIZE_WORDS = Integer.MAX_VALUE - 16;

    /** Words a header takes: a block of n fields takes n + WORDS words (OCaml's whsize). */
    public static final int WORDS = 1;
    /**
     * Where the header lives relative to field 0, in words: the word just before it (the header
     * is field -1). For code indexing a chunk's array at field 0's offset ({@code chunk[o +
     * OFFSET]}).
     */
    public static final int OFFSET = -WORDS;

    private Header() {}

    /**
     * The word address of the header of the block whose field 0 is at word address
     * {@code fieldsAddress}: the word just before it (the header is field -1). A block is
     * named by its field 0 ({@link Value#addressOf}), so this is how every reader finds its
     * size and tag.
     */
    public static long addressOf(long fieldsAddress) {
        return fieldsAddress + OFFSET;
    }

    /**
     * The word address of field 0 of the block whose header is at word address {@code
     * headerAddress} (a cell's or a large block's start): the inverse of {@link #addressOf}.
     */
    public static long fieldsAddressOf(long headerAddress) {
        return headerAddress + WORDS;
    }

    /**
     * Words a block of {@code sizeWords} fields takes, its header included (OCaml's {@code
     * Whsize_wosize}): what allocation, promotion, marking and sweeping count.
     */
    public static long blockWords(long sizeWords) {
        return sizeWords + WORDS;
    }

    /** A white header with no hash. */
    public static long make(long sizeWords, int tag) {
        return (sizeWords << SIZE_SHIFT) | (tag & TAG_MASK);
    }

    /** A header of the given colour. */
    public static long make(long sizeWords, int tag, long colour) {
        return (sizeWords << SIZE_SHIFT) | colour | (tag & TAG_MASK);
    }

    public static int sizeWords(long header) {
        return (int) (header >>> SIZE_SHIFT);
    }

    public static int tag(long header) {
        return (int) header & TAG_MASK;
    }

    public static long colour(long header) {
        return header & COLOUR_MASK;
    }

    public static long withColour(long header, long colour) {
        return (header & ~COLOUR_MASK) | colour;
    }

    public static boolean isWhite(long header) {
        return (header & COLOUR_MASK) == WHITE;
    }

    public static boolean isBlack(long header) {
        return (header & COLOUR_MASK) == BLACK;
    }

    public static boolean isBlue(long header) {
        return (header & COLOUR_MASK) == BLUE;
    }

    public static boolean isWaited(long header) {
        return (header & WAITED) != 0;
    }

    /**
     * The waited header for a block whose original header is {@code original}, saved at
     * waiter-table index {@code index} (at most {@link #WAITED_OVERFLOW}): the original with
     * the W bit set and the index in place of the identity hash.
     */
    public static long waitedHeader(long original, int index) {
        return (original & ~HASH_MASK) | WAITED | ((long) index << HASH_SHIFT);
    }

    /** The waiter-table index held by a waited header. */
    public static int waitedIndex(long waitedHeader) {
        return (int) ((waitedHeader & HASH_MASK) >>> HASH_SHIFT);
    }

    /** The stored identity hash, or 0 if none was assigned yet. */
    public static int hash(long header) {
        return (int) ((header & HASH_MASK) >>> HASH_SHIFT);
    }

    public static long withHash(long header, int hash) {
        return (header & ~HASH_MASK) | (((long) hash << HASH_SHIFT) & HASH_MASK);
    }
}
