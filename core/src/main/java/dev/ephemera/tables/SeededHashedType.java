package dev.ephemera.tables;

import dev.ephemera.Heap;

/**
 * A seeded hashed type: OCaml's {@code Hashtbl.SeededHashedType} (its function is
 * {@code seeded_hash} in OCaml 5, {@code hash} in 4.14), the argument of the {@code MakeSeeded}
 * functors. The seed is chosen per table at creation (0, or random with {@code ~random:true}).
 * The same contract as {@link HashedType} applies.
 */
public interface SeededHashedType {
    /**
     * {@code H.seeded_hash seed v}.
     *
     * @param heap the heap {@code v} lives in
     * @param seed the table's seed
     * @param v the value to hash (raw)
     * @return a hash of {@code v} consistent with {@link #equal}, the same for the same seed
     */
    int seededHash(Heap heap, int seed, long v);

    /**
     * {@code H.equal}.
     *
     * @param heap the heap the values live in
     * @param a a value (raw)
     * @param b another value (raw)
     * @return true if {@code a} and {@code b} are equal under this type
     */
    boolean equal(Heap heap, long a, long b);

    /**
     * {@return the seeded view of an unseeded hashed type, which ignores the seed: what OCaml's
     * {@code Make} functors do ({@code let hash (_seed: int) x = H.hash x})}
     *
     * @param h the hashed type
     */
    static SeededHashedType ignoringSeed(HashedType h) {
        if (h == null) {
            throw new IllegalArgumentException("SeededHashedType.ignoringSeed: the hashed type must not be null");
        }
        return new Unseeded(h);
    }

    /** The adapter made by {@link #ignoringSeed}; {@link #hashedType()} gives back the original. */
    final class Unseeded implements SeededHashedType {
        private final HashedType h;

        Unseeded(HashedType h) {
            this.h = h;
        }

        /** {@return the unseeded hashed type this adapts} */
        public HashedType hashedType() {
            return h;
        }

        @Override
        public int seededHash(Heap heap, int seed, long v) {
            return h.hash(heap, v);
        }

        @Override
        public boolean equal(Heap heap, long a, long b) {
            return h.equal(heap, a, b);
        }

        @Override
        public String toString() {
            return "ignoringSeed(" + h + ")";
        }
    }
}
