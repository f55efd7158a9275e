package dev.ephemera.tables.layout;

import dev.ephemera.object.Value;
import dev.ephemera.object.layout.StructureMarks;

/**
 * Layout of a weak hash set ({@code WeakHashSet}, OCaml's {@code Weak.Make}) in the heap: the
 * record of {@code stdlib/weak.ml}. Each bucket is a weak array (an ephemeron without data, so
 * it never keeps an element alive) with a parallel array of the elements' full hashes.
 *
 * <pre>
 *  set (tag 0, 9 fields)                 TABLE (tag 0, n fields)        a bucket: weak array
 *  +-----------+                         +--------+------+-----+         +-----+-----+-----+
 *  | MARK      | immediate "WkSet"  +--->| bucket | NONE | ... |  ---->  | e0  | e1  | ... |
 *  | HASHED    | foreign box        |    +--------+------+-----+         +-----+-----+-----+
 *  | TABLE     | -------------------+    HASHES (tag 0, n fields)        its hashes (tag 0)
 *  | HASHES    | ----------------------> +--------+------+-----+  ---->  +-----+-----+-----+
 *  | LIMIT     | immediate               | hashes | NONE | ... |         | h0  | h1  | ... |
 *  | OVERSIZE  | immediate               +--------+------+-----+         +-----+-----+-----+
 *  | ROVER     | immediate                                               (immediates)
 *  | STATE     | immediate: iterations running, outermost op
 *  | STAMP     | immediate: modifications, last op
 *  +-----------+
 * </pre>
 * An empty bucket is {@link Value#NONE} in both arrays (OCaml's shared {@code emptybucket} and
 * {@code [||]}). LIMIT, OVERSIZE and ROVER are OCaml's: the bucket size above which a bucket is
 * "oversize", the number of such buckets, and the bucket {@code test_shrink_bucket} looks at next.
 * The index of hash {@code h} is {@code (h land max_int) mod n}, not a power of two. STATE and
 * STAMP are encoded as a table's ({@link GuardLayout}; a set has no flags).
 */
public final class WeakSetLayout {
    /** The immediate {@link #MARK}. */
    public static final int MARK_FIELD = 0;
    /** A foreign box holding the hashed type. */
    public static final int HASHED_FIELD = 1;
    /** The bucket array: one weak array (or NONE) per bucket. */
    public static final int TABLE_FIELD = 2;
    /** The hash arrays, parallel to TABLE: one block of immediates (or NONE) per bucket. */
    public static final int HASHES_FIELD = 3;
    /** OCaml's {@code limit}: the bucket length above which a bucket is oversize. */
    public static final int LIMIT_FIELD = 4;
    /** OCaml's {@code oversize}: the number of buckets longer than LIMIT. */
    public static final int OVERSIZE_FIELD = 5;
    /** OCaml's {@code rover}: the bucket {@code test_shrink_bucket} looks at next. */
    public static final int ROVER_FIELD = 6;
    /** Running iterations ({@link GuardLayout}). */
    public static final int STATE_FIELD = 7;
    /** Modifications and the last modifier ({@link GuardLayout}). */
    public static final int STAMP_FIELD = 8;
    /** Fields of a set block. */
    public static final int SIZE_WORDS = 9;
    /** Tag of a set block (and of its two arrays and of each bucket's hashes). */
    public static final int TAG = 0;
    /** The immediate in field 0 that identifies a weak set: "WkSet". */
    public static final long MARK = StructureMarks.WEAK_SET;

    /** OCaml's initial {@code limit}. */
    public static final int INITIAL_LIMIT = 7;
    /** The fewest buckets a set has. */
    public static final int MIN_BUCKETS = 7;
    /** OCaml's {@code over_limit}: the set grows when more than 1/OVER_LIMIT of its buckets are oversize. */
    public static final int OVER_LIMIT = 2;

    private WeakSetLayout() {}
}
