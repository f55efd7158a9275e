package dev.ephemera.tables;

import dev.ephemera.object.Value;

/**
 * Layout of an ephemeron hash table in the heap (all table kinds: K1, K2, Kn, GenHashTable and
 * the weakness-mode tables of {@link Hashtables}), and of its bucket cells. The structure is
 * OCaml's {@code GenHashTable.MakeSeeded} record and bucket lists ({@code stdlib/ephemeron.ml}),
 * with the cells made mutable so that removal and resizing relink them instead of copying.
 *
 * <pre>
 *  table (tag 0, 11 fields)                          buckets (tag 0, 2^k fields)
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
 *  | FLAGS        | immediate: SHARED, IMMUTABLE           next cell  (ephemeron, weak
 *  | ITERATING    | immediate: depth << 16 | op code       or NONE     array, key, ...)
 *  | STAMP        | immediate: modifications << 16 | op code
 *  | PURGED_AT    | immediate: collection count at the last purge
 *  +--------------+
 * </pre>
 *
 * <ul>
 * <li><b>SIZE</b> is OCaml's {@code h.size}: the number of cells in the buckets, including
 *     cells whose keys died since the last purge ({@code length}).</li>
 * <li><b>HASH</b> is the full hash of the cell's key as an immediate; the bucket index is its
 *     low bits ({@code hash land (buckets - 1)}), and lookups compare it before calling the
 *     equality.</li>
 * <li><b>PART0/PART1</b> hold the container: what they are is decided by KIND (see
 *     {@link Containers}). A cell never points back to its table, so containers can be shared
 *     by the cells of a table and of its {@code copy}, as in OCaml.</li>
 * <li><b>FLAGS</b>: {@link #SHARED} — some container is shared with another table (after an
 *     OCaml {@code copy}), so dead containers must not be reused; {@link #IMMUTABLE} — every
 *     modification raises (SRFI 126's immutable copies).</li>
 * <li><b>ITERATING</b>: the number of callback iterations ({@code iter}, {@code fold},
 *     {@code filter_map_inplace}) running on the table, and the code of the outermost one;
 *     modifications raise while it is not zero. <b>STAMP</b> changes with every modification;
 *     lazy sequences compare it to detect a modification.</li>
 * <li><b>PURGED_AT</b>: the heap's collection count (minor plus major) when dead cells were last
 *     unlinked; if it still equals the count, no key can have died since, and SIZE is exact.</li>
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
    static final int FLAGS_FIELD = 7;
    static final int ITERATING_FIELD = 8;
    static final int STAMP_FIELD = 9;
    static final int PURGED_AT_FIELD = 10;
    static final int SIZE_WORDS = 11;
    static final int TAG = 0;
    /** The immediate in field 0 that identifies a table: "EphTbl". */
    static final long MARK = Value.ofInt(0x456870546276L);

    static final int SHARED = 1;
    static final int IMMUTABLE = 2;

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
