package dev.ephemera.tables.layout;

import dev.ephemera.object.Value;
import dev.ephemera.object.layout.StructureMarks;

/**
 * Layout of an ephemeron hash table in the heap (all table kinds: K1, K2, Kn, GenHashTable and
 * the weakness-mode tables of {@code Hashtables}), and of its bucket cells. The structure is
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
 *  | STAMP        | immediate: modifications, last op      or NONE     array, key, ...)
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
 *     {@code engine.Containers}). A cell never points back to its table, so containers can be shared
 *     by the cells of a table and of its {@code copy}, as in OCaml.</li>
 * <li><b>STATE</b> ({@link GuardLayout}): the flags {@link #SHARED} — some container is shared
 *     with another table (after an OCaml {@code copy}), so dead containers must not be reused —
 *     and {@link #IMMUTABLE} — every modification raises (SRFI 126's immutable copies); the
 *     number of callback iterations ({@code iter}, {@code fold}, {@code filter_map_inplace})
 *     running on the table and the op code of the outermost one. Modifications raise while an
 *     iteration runs.</li>
 * <li><b>STAMP</b> ({@link GuardLayout}) changes with every modification; lazy sequences and
 *     calls out compare it to detect a modification.</li>
 * <li><b>PURGED_AT</b>: the heap's collection count (minor plus major) when dead cells were last
 *     unlinked; if it still equals the count, no key can have died since, and SIZE is exact.</li>
 * <li><b>FREE</b>: cells unlinked because their keys died, chained through NEXT, whose
 *     containers an insertion refills instead of allocating (built-in kinds of fixed arity, when
 *     not SHARED). Their strong parts are cleared, so they keep nothing alive; at most twice as
 *     many as there are buckets are kept (an insertion that finds the list full leaves the
 *     dead cells of its bucket in place, for a later insertion to refill). Not counted in SIZE;
 *     dropped by {@code clear}.</li>
 * </ul>
 */
public final class TableLayout {
    /** The immediate {@link #MARK}. */
    public static final int MARK_FIELD = 0;
    /** The table's kind: {@link #KIND_K1} ... or {@code KIND_WEAKNESS + mode}. */
    public static final int KIND_FIELD = 1;
    /** A foreign box holding the hashed type (the strategy object). */
    public static final int HASHED_FIELD = 2;
    /** OCaml's {@code h.size}: the cells in the buckets, dead ones not yet unlinked included. */
    public static final int SIZE_FIELD = 3;
    /** The bucket array: a block of tag 0 whose length is a power of two. */
    public static final int BUCKETS_FIELD = 4;
    /** The seed given to the hashed type. */
    public static final int SEED_FIELD = 5;
    /** The bucket count at creation, which {@code reset} goes back to. */
    public static final int INITIAL_SIZE_FIELD = 6;
    /** Flags and running iterations ({@link GuardLayout}). */
    public static final int STATE_FIELD = 7;
    /** Modifications and the last modifier ({@link GuardLayout}). */
    public static final int STAMP_FIELD = 8;
    /** The heap's collection count when dead cells were last unlinked. */
    public static final int PURGED_AT_FIELD = 9;
    /** The first cell of the free list, or NONE. */
    public static final int FREE_FIELD = 10;
    /** The number of cells in the free list. */
    public static final int FREE_COUNT_FIELD = 11;
    /** Fields of a table block. */
    public static final int SIZE_WORDS = 12;
    /** Tag of a table block (and of its bucket array). */
    public static final int TAG = 0;
    /** The immediate in field 0 that identifies a table: "EphTbl". */
    public static final long MARK = StructureMarks.TABLE;

    /** STATE flag: some container is shared with another table (an OCaml {@code copy}). */
    public static final int SHARED = 1;
    /** STATE flag: every modification raises. */
    public static final int IMMUTABLE = 2;

    // ---------------------------------------------------------------- cells

    /** A cell's HASH word: the key's hash and the epoch at which the cell was filled. */
    public static final int HASH_FIELD = 0;
    /** The next cell of the bucket (or of the free list), or NONE. */
    public static final int NEXT_FIELD = 1;
    /** The container's first part. */
    public static final int PART0_FIELD = 2;
    /** The container's second part (two-part kinds only). */
    public static final int PART1_FIELD = 3;
    /** Tag of a cell. */
    public static final int CELL_TAG = 0;

    /** Cell size for a kind whose container has {@code parts} parts (1 or 2). */
    public static int cellSizeWords(int parts) {
        return PART0_FIELD + parts;
    }

    /** The seed of a randomised table: 30 bits, as OCaml's {@code Random.bits}. */
    public static final long SEED_MASK = (1L << 30) - 1;

    /** Bits of the epoch in a cell's HASH word. */
    public static final long EPOCH_MASK = (1L << 30) - 1;
    private static final int HASH_BITS = 32;
    private static final long HASH_MASK = (1L << HASH_BITS) - 1;
    private static final long HASH_WORD_MASK = (1L << (HASH_BITS + 1)) - 1; // tag bit and 32 hash bits

    /** The HASH word of a cell filled at {@code epoch} with a key of hash {@code hash}. */
    public static long hashWord(long hash, long epoch) {
        return Value.ofInt((epoch << HASH_BITS) | (hash & HASH_MASK));
    }

    /** The 32 hash bits of a HASH word. */
    public static long hashOf(long word) {
        return (word >>> 1) & HASH_MASK; // untagged: the immediate's tag bit is bit 0
    }

    /** The epoch of a HASH word. */
    public static long epochOf(long word) {
        return word >>> (HASH_BITS + 1);
    }

    /** True if two HASH words have the same hash bits, whatever their epochs. */
    public static boolean sameHash(long a, long b) {
        return ((a ^ b) & HASH_WORD_MASK) == 0;
    }

    /** The bucket of a key of hash {@code hash} among {@code buckets} (a power of two): OCaml's {@code key_index}. */
    public static int bucketIndex(long hash, int buckets) {
        return (int) hash & (buckets - 1);
    }

    // ---------------------------------------------------------------- kinds

    /** {@code Ephemeron.K1} tables. */
    public static final int KIND_K1 = 0;
    /** {@code Ephemeron.K2} tables. */
    public static final int KIND_K2 = 1;
    /** {@code Ephemeron.Kn} tables. */
    public static final int KIND_KN = 2;
    /** {@code Ephemeron.GenHashTable} tables. */
    public static final int KIND_GENERIC = 3;
    /** Kinds {@code KIND_WEAKNESS + w.ordinal()} are the weakness modes of {@code Hashtables}. */
    public static final int KIND_WEAKNESS = 4;
    /** The number of weakness modes ({@code Weakness.values().length}). */
    public static final int WEAKNESS_KINDS = 7;
    /** The number of kinds. */
    public static final int KIND_COUNT = KIND_WEAKNESS + WEAKNESS_KINDS;

    private TableLayout() {}
}
