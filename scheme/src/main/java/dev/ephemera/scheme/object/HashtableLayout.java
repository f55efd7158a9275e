package dev.ephemera.scheme.object;

/**
 * An SRFI 126 hashtable ({@link SchemeTag#HASHTABLE}) and its entries
 * ({@link SchemeTag#TABLE_ENTRY}): separate chaining in a vector of buckets, every part a heap
 * block, so a table can itself be a key, be stored anywhere, and die.
 *
 * <pre>
 *   table:  header(tag 14, size 7) | buckets (vector) | count (imm) | weakness (imm) | kind (imm)
 *                                  | hash procedure or #f | equivalence procedure or #f | epoch (imm)
 *   field:                            0                  1             2                3
 *                                    4                      5                             6
 *
 *   entry:  header(tag 16, size 4) | next entry or NONE | hash (imm) | a | b
 *   field:                            0                    1            2   3
 * </pre>
 *
 * What {@code a} and {@code b} hold depends on the weakness (the weak parts are the heap's own
 * weak arrays and ephemerons, so the collector clears them):
 * <pre>
 *   weakness                 a                                   b
 *   #f                       key                                 value
 *   weak-key                 weak array [key]                    value
 *   weak-value               key                                 weak array [value]
 *   weak-key-and-value       weak array [key, value]             #f
 *   ephemeral-key            K1 ephemeron key -&gt; value           #f
 *   ephemeral-value          K1 ephemeron value -&gt; key           #f
 *   ephemeral-key-and-value  K2 ephemeron (key, value), no data  #f
 * </pre>
 * An entry is live while its key and value are both present. {@code count} counts the entries
 * in the chains, dead ones included until the table is next purged; {@code epoch} is the number
 * of collections at the last purge, so a table is purged at most once per collection.
 */
public final class HashtableLayout {
    public static final int BUCKETS_FIELD = 0;
    public static final int COUNT_FIELD = 1;
    public static final int WEAKNESS_FIELD = 2;
    public static final int KIND_FIELD = 3;
    public static final int HASH_FIELD = 4;
    public static final int EQUIV_FIELD = 5;
    public static final int EPOCH_FIELD = 6;
    public static final int SIZE_WORDS = 7;

    public static final int ENTRY_NEXT_FIELD = 0;
    public static final int ENTRY_HASH_FIELD = 1;
    public static final int ENTRY_A_FIELD = 2;
    public static final int ENTRY_B_FIELD = 3;
    public static final int ENTRY_SIZE_WORDS = 4;

    private HashtableLayout() {}
}
