package dev.ephemera.tables;

import dev.ephemera.Heap;

/**
 * A hashed type: OCaml's {@code Hashtbl.HashedType}, the argument of the table functors
 * ({@code Ephemeron.K1.Make}, {@code Weak.Make}, ...), as a strategy object over heap values.
 *
 * <p>Contract, as in OCaml: {@code equal a b} implies {@code hash a == hash b}. Both functions
 * receive raw values, valid until the next allocation. They may allocate and run arbitrary code
 * (an interpreter calling back into its own procedures, say), but must not modify the table
 * they are called for: the table operation then raises
 * {@link java.util.ConcurrentModificationException}. A table stores its hashed type in the heap
 * (in a foreign box), so any table value can be operated on without knowing where it came from.
 *
 * <p>Ready-made hashed types are in {@link HashedTypes}; {@link #of} makes one from two lambdas.
 */
public interface HashedType {
    /**
     * {@code H.hash}: a hash of {@code v} consistent with {@link #equal}.
     *
     * @param heap the heap {@code v} lives in
     * @param v the value to hash (raw)
     * @return a hash of {@code v} consistent with {@link #equal}
     */
    int hash(Heap heap, long v);

    /**
     * {@code H.equal}.
     *
     * @param heap the heap the values live in
     * @param a a value (raw)
     * @param b another value (raw)
     * @return true if {@code a} and {@code b} are equal under this type
     */
    boolean equal(Heap heap, long a, long b);

    /** A hash function over heap values. */
    @FunctionalInterface
    interface Hash {
        /**
         * {@return a hash of {@code v}}
         *
         * @param heap the heap {@code v} lives in
         * @param v the value to hash (raw)
         */
        int hash(Heap heap, long v);
    }

    /** An equivalence over heap values. */
    @FunctionalInterface
    interface Equal {
        /**
         * {@return true if {@code a} and {@code b} are equivalent}
         *
         * @param heap the heap the values live in
         * @param a a value (raw)
         * @param b another value (raw)
         */
        boolean equal(Heap heap, long a, long b);
    }

    /**
     * {@return the hashed type with these two functions (e.g. a Scheme {@code (make-hashtable hash
     * equiv)})}
     *
     * @param hash the hash function
     * @param equal the equivalence, consistent with {@code hash}
     */
    static HashedType of(Hash hash, Equal equal) {
        if (hash == null || equal == null) {
            throw new IllegalArgumentException("HashedType.of: the hash and equality functions must not be null");
        }
        return new HashedType() {
            @Override
            public int hash(Heap heap, long v) {
                return hash.hash(heap, v);
            }

            @Override
            public boolean equal(Heap heap, long a, long b) {
                return equal.equal(heap, a, b);
            }

            @Override
            public String toString() {
                return "HashedType.of(" + hash + ", " + equal + ")";
            }
        };
    }
}
