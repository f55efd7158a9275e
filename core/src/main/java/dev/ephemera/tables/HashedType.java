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
    /** {@code H.hash}: a hash of {@code v} consistent with {@link #equal}. */
    int hash(Heap heap, long v);

    /** {@code H.equal}. */
    boolean equal(Heap heap, long a, long b);

    /** A hash function over heap values. */
    @FunctionalInterface
    interface Hash {
        /** A hash of {@code v}. */
        int hash(Heap heap, long v);
    }

    /** An equivalence over heap values. */
    @FunctionalInterface
    interface Equal {
        /** True if {@code a} and {@code b} are equivalent. */
        boolean equal(Heap heap, long a, long b);
    }

    /** The hashed type with these two functions (e.g. a Scheme {@code (make-hashtable hash equiv)}). */
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
