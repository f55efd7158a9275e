package dev.ephemera.tables.layout;

/**
 * Layout of the block a snapshot of a table's entries returns ({@code Hashtables.entries},
 * SRFI 126's {@code hashtable-entries}): two blocks of the client's vector tag, the keys and
 * the values in the same order, in a block of tag 0.
 *
 * <pre>
 *  entries (tag 0, 2 fields)
 *  +--------+--------+
 *  | KEYS   | VALUES |     each a block of the client's tag, one field per live entry
 *  +--------+--------+
 * </pre>
 */
public final class EntriesLayout {
    /** The block of keys. */
    public static final int KEYS_FIELD = 0;
    /** The block of values, in the keys' order. */
    public static final int VALUES_FIELD = 1;
    /** Tag of the entries block. */
    public static final int TAG = 0;

    private EntriesLayout() {}
}
