package dev.ephemera.tables;

import dev.ephemera.object.Value;

/**
 * Layout of a weak hash set ({@link WeakHashSet}, OCaml's {@code Weak.Make}) in the heap: the
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
 *  | ITERATING | immediate: depth << 16 | op code
 *  | STAMP     | immediate: modifications << 16 | op code
 *  +-----------+
 * </pre>
 * An empty bucket is {@link Value#NONE} in both arrays (OCaml's shared {@code emptybucket} and
 * {@code [||]}). LIMIT, OVERSIZE and ROVER are OCaml's: the bucket size above which a bucket is
 * "oversize", the number of such buckets, and the bucket {@code test_shrink_bucket} looks at next.
 * The index of hash {@code h} is {@code (h land max_int) mod n}, not a power of two.
 */
final class WeakSetLayout {
    static final int MARK_FIELD = 0;
    static final int HASHED_FIELD = 1;
    static final int TABLE_FIELD = 2;
    static final int HASHES_FIELD = 3;
    static final int LIMIT_FIELD = 4;
    static final int OVERSIZE_FIELD = 5;
    static final int ROVER_FIELD = 6;
    static final int ITERATING_FIELD = 7;
    static final int STAMP_FIELD = 8;
    static final int SIZE_WORDS = 9;
    static final int TAG = 0;
    /** The immediate in field 0 that identifies a weak set: "WkSet". */
    static final long MARK = Value.ofInt(0x576B536574L);

    private WeakSetLayout() {}
}
