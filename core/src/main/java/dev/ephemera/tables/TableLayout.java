package dev.ephemera.tables;

import dev.ephemera.object.Value;

/**
 * Layout of an ephemeron hash table in the heap (all table kinds: K1, K2, Kn, GenHashTable and
 * the weakness-mode tables of {@link Hashtables}), and of its bucket cells. The structure is
 * OCaml's {@code GenHashTable.MakeSeeded} record and bucket lists ({@code stdlib/ephemeron.ml}),
 * with the cells made mutable so that removal and resizing relink them instead of copying.
 *
 * <pre>
 *  table (tag 0, 12 fields)                          buckets (tag 0, 2^k fields)
 *  +--------------+                                  +------+------+-----+------+
 *  | MARK         | immediate "EphTbl"          +--->| cell | NONE | ... | cell |
 *  | KIND         | immediate: K1 K2 KN GENERIC |    +--|---+------+-----+------+
 *  |              |   or a weakness mode        |       v
 *  | HASHED       | foreign box: the strategy   |    cell (tag 0, 3 or 4 fields)
 *  | SIZE         | immediate: cells in buckets |    +------+------+-------+-------+
 *  | BUCKETS      | ----------------------------+    | HASH | NEXT | PART0 | PART1 |
 *  | SEED         | immediate                        +------+--|---+---|---+-------+
 *  | INITIAL_SIZE | immediate: bucket count at           imm.   |      v     (two-part
 *  |              |   creation                                  v   container  kinds)
 *  | STATE        | immediate: flags, iterations running   next cell  (ephemeron, weak
 *  | STAMP        | immediate: modifications << 16 | op    or NONE     array, key, ...)
 *  | PURGED_AT    | immediate: collection count at the last purge
 *  | FREE         | first cell of the free list (dead cells kept for reuse), or NONE
 *  | FREE_COUNT   | immediate: cells in the free list (at most twice the bucket count)
 *  +--------------+
 * </pre>
 *
 * <ul>
 * <li><b>SIZE</b> is OCaml's {@code h.size}: the number of cells in the buckets, including
 *     cells whose keys died since the last purge ({@code length}).</li>
 * <li><b>HASH</b> is an immediate: the low 32 bits of the key's hash, and above them the
 *     <em>epoch</em> at which the cell was filled (the heap's collection count modulo
 *     2<sup>30</sup>). The bucket index is the hash's low bits ({@code hash land (buckets - 1)},
 *     as OCaml), lookups compare the 32 hash bits before calling the equality, and a cell whose
 *     epoch is the current one was filled after the last collection, so its keys are alive
 *     without reading its container.</li>
 * <li><b>PART0/PART1</b> hold the container: what they are is decided by KIND (see
 *     {@link Containers}). A cell never points back to its table, so containers can be shared
 *     by the cells of a table and of its {@code copy}, as in OCaml.</li>
 * <li><b>STATE</b>: bits 0-1 are flags: {@link #SHARED} — some container is shared with another
 *     table (after an OCaml {@code copy}), so dead containers must not be reused;
 *     {@link #IMMUTABLE} — every modification raises (SRFI 126's immutable copies). Bits 2-17
 *     count the callback iterations ({@code iter}, {@code fold}, {@code filter_map_inplace})
 *     running on the table, bits 18-33 hold the op code of the outermost one; modifications
 *     raise while the count is not zero. One field, so that the entry check of a modification
 *     is one read.</li>
 * <li><b>STAMP</b> changes with every modification; lazy sequences and calls out compare it to
 *     detect a modification.</li>
 * <li><b>PURGED_AT</b>: the heap's collection count (minor plus major) when dead cells were last
 *     unlinked; if it still equals the count, no key can have died since, and SIZE is exact.</li>
 * <li><b>FREE</b>: cells unlinked because their keys died, chained through NEXT, whose
 *     containers an insertion refills instead of allocating (built-in kinds of fixed arity, when
 *     not SHARED). Their strong parts are cleared, so they keep nothing alive; at most twice as
 *     many as there are buckets are kept (an insertion that finds the list full leaves the
 *     dead cells of its bucket in place, for a later insertion to refill). Not counted in SIZE; dropped by {@code clear}.</li>
 * </ul>
 */
final class TableLayout {
    static final int MARK_FIELD = 0;
    static final int KIND_FIELD = 1;
    static final int HASHED_FIELD = 2;
    static final int SIZE_FIELD = 3;
    static final int BUCKETS_FIELD = 4;
    static final int SEED_FIELD = 5;
    static final int INITIAL_SIZE_FIELD = 6;
    static final int STATE_FIELD = 7;
    static final int STAMP_FIELD = 8;
    static final int PURGED_AT_FIELD = 9;
    static final int FREE_FIELD = 10;
    static final int FREE_COUNT_FIELD = 11;
    static final int SIZE_WORDS = 12;
    static final int TAG = 0;
    /** The immediate in field 0 that identifies a table: "EphTbl". */
    static final long MARK = Value.ofInt(0x456870546276L);

    static final int SHARED = 1;
    static final int IMMUTABLE = 2;
    static final int FLAG_BITS = 2;
    static final long FLAG_MASK = (1L << FLAG_BITS) - 1;
    /** One more iteration running: the amount added to STATE. */
    static final long ITERATION = 1L << FLAG_BITS;
    static final long ITERATION_MASK = 0xFFFFL << FLAG_BITS;
    static final int ITERATION_OP_SHIFT = FLAG_BITS + 16;

    /** Op codes and counts share an immediate: count << OP_BITS | code. */
    static final int OP_BITS = 16;
    static final long OP_MASK = (1L << OP_BITS) - 1;

    // ---------------------------------------------------------------- cells

    static final int HASH_FIELD = 0;
    static final int NEXT_FIELD = 1;
    static final int PART0_FIELD = 2;
    static final int PART1_FIELD = 3;
    static final int CELL_TAG = 0;

    /** Cell size for a kind whose container has {@code parts} parts (1 or 2). */
    static int cellSizeWords(int parts) {
        return PART0_FIELD + parts;
    }

    /** Bits of the epoch in a cell's HASH word. */
    static final long EPOCH_MASK = (1L << 30) - 1;
    private static final long HASH_BITS_MASK = (1L << 33) - 1; // tag bit and 32 hash bits

    /** The HASH word of a cell filled at {@code epoch} with a key of hash {@code hash}. */
    static long hashWord(long hash, long epoch) {
        return Value.ofInt((epoch << 32) | (hash & 0xFFFF_FFFFL));
    }

    /** The 32 hash bits of a HASH word. */
    static long hashOf(long word) {
        return (word >>> 1) & 0xFFFF_FFFFL;
    }

    /** The epoch of a HASH word. */
    static long epochOf(long word) {
        return word >>> 33;
    }

    /** True if two HASH words have the same hash bits, whatever their epochs. */
    static boolean sameHash(long a, long b) {
        return ((a ^ b) & HASH_BITS_MASK) == 0;
    }

    // ---------------------------------------------------------------- kinds

    static final int KIND_K1 = 0;
    static final int KIND_K2 = 1;
    static final int KIND_KN = 2;
    static final int KIND_GENERIC = 3;
    /** Kinds {@code KIND_WEAKNESS + w.ordinal()} are the {@link Weakness} modes. */
    static final int KIND_WEAKNESS = 4;
    static final int KIND_COUNT = KIND_WEAKNESS + Weakness.values().length;

    private TableLayout() {}
}
