package dev.ephemera.tables;

import dev.ephemera.Heap;
import dev.ephemera.WrongTagException;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.DoubleLayout;
import dev.ephemera.tables.engine.Failures;
import dev.ephemera.tables.hash.HashMix;
import dev.ephemera.tables.hash.StructuralEquality;

/**
 * Ready-made hashed types, one per classic equivalence (Scheme's names; SRFI 126's
 * {@code make-eq-hashtable}, {@code make-eqv-hashtable}, {@code make-equal-hashtable},
 * {@code make-string-hashtable}). Each is both a {@link HashedType} and a
 * {@link SeededHashedType}; with seed 0 the seeded hash equals the unseeded one. None allocates.
 *
 * <table>
 * <caption>The built-in hashed types</caption>
 * <tr><th>method</th><th>equality</th><th>hash</th></tr>
 * <tr><td>{@link #eq()}</td><td>{@code ==}: same immediate, same block</td>
 *     <td>the block's stored {@linkplain Heap#identityHash identity hash}; {@code Hashtbl.hash}
 *     for immediates</td></tr>
 * <tr><td>{@link #eqv()}</td><td>{@code ==}, and boxed doubles with the same bits, custom
 *     blocks (not foreign boxes) with the same kind and payload</td>
 *     <td>as {@code eq}; doubles and custom blocks by content</td></tr>
 * <tr><td>{@link #equal()}</td><td>structural, as OCaml's {@code compare a b = 0}
 *     ({@code StructuralEquality})</td><td>{@link OcamlHash} ({@code Hashtbl.hash})</td></tr>
 * <tr><td>{@link #string()}</td><td>same bytes (strings only)</td>
 *     <td>{@code Hashtbl.hash} of the string</td></tr>
 * </table>
 *
 * <p>No identity hash is ever derived from an address: it is stored in the block's header when
 * first asked for and moves with the block, so tables keyed by identity never need rehashing
 * after a collection (MPS needs location dependencies for this; we do not).
 */
public final class HashedTypes {
    private static final Builtin EQ = new Builtin("HashedTypes.eq") {
        @Override
        public int hash(Heap heap, long v) {
            return Value.isBlock(v) ? heap.identityHash(v) : OcamlHash.hashImmediate(v);
        }

        @Override
        public boolean equal(Heap heap, long a, long b) {
            return a == b;
        }
    };

    private static final Builtin EQV = new Builtin("HashedTypes.eqv") {
        @Override
        public int hash(Heap heap, long v) {
            if (!Value.isBlock(v)) {
                return OcamlHash.hashImmediate(v);
            }
            int tag = heap.tag(v);
            if (tag == Tag.DOUBLE) {
                return HashMix.finish(HashMix.mixDouble(0, heap.rawField(v, DoubleLayout.BITS_FIELD)));
            }
            if (tag == Tag.CUSTOM && !heap.isForeign(v)) {
                int h = 0;
                for (int i = 0, n = heap.size(v); i < n; i++) {
                    h = HashMix.mixIntnat(h, heap.rawField(v, i));
                }
                return HashMix.finish(h);
            }
            return heap.identityHash(v);
        }

        @Override
        public boolean equal(Heap heap, long a, long b) {
            if (a == b) {
                return true;
            }
            if (!Value.isBlock(a) || !Value.isBlock(b)) {
                return false;
            }
            int tag = heap.tag(a);
            if (tag != heap.tag(b)) {
                return false;
            }
            if (tag == Tag.DOUBLE) {
                return heap.rawField(a, DoubleLayout.BITS_FIELD) == heap.rawField(b, DoubleLayout.BITS_FIELD);
            }
            return tag == Tag.CUSTOM && !heap.isForeign(a) && !heap.isForeign(b)
                    && StructuralEquality.sameRawWords(heap, a, b);
        }
    };

    private static final Builtin EQUAL = new Builtin("HashedTypes.equal") {
        @Override
        public int hash(Heap heap, long v) {
            return OcamlHash.hash(heap, v);
        }

        @Override
        public int seededHash(Heap heap, int seed, long v) {
            return OcamlHash.seededHash(heap, seed, v);
        }

        @Override
        public boolean equal(Heap heap, long a, long b) {
            return StructuralEquality.equal(heap, a, b);
        }
    };

    private static final Builtin STRING = new Builtin("HashedTypes.string") {
        @Override
        public int hash(Heap heap, long v) {
            checkString(heap, v);
            return OcamlHash.hash(heap, v);
        }

        @Override
        public int seededHash(Heap heap, int seed, long v) {
            checkString(heap, v);
            return OcamlHash.seededHash(heap, seed, v);
        }

        @Override
        public boolean equal(Heap heap, long a, long b) {
            checkString(heap, a);
            checkString(heap, b);
            return a == b || StructuralEquality.sameBytes(heap, a, b);
        }

        private void checkString(Heap heap, long v) {
            if (!Value.isBlock(v) || heap.tag(v) != Tag.STRING) {
                throw new WrongTagException(name + ": expected a string, got " + Failures.describe(heap, v));
            }
        }
    };

    private HashedTypes() {}

    /**
     * Identity ({@code eq?}; OCaml's {@code (==)} with an identity hash).
     *
     * @return the hashed type of {@code eq?}
     */
    public static Builtin eq() {
        return EQ;
    }

    /**
     * Identity, numbers by value ({@code eqv?}).
     *
     * @return the hashed type of {@code eqv?}
     */
    public static Builtin eqv() {
        return EQV;
    }

    /**
     * Structural ({@code equal?}; OCaml's {@code Hashtbl.hash} and {@code compare = 0}).
     *
     * @return the hashed type of {@code equal?}
     */
    public static Builtin equal() {
        return EQUAL;
    }

    /**
     * Strings by content ({@code string=?}, {@code string-hash}); other values are rejected.
     *
     * @return the hashed type of {@code string=?}
     */
    public static Builtin string() {
        return STRING;
    }

    /** A built-in hashed type: both seeded and unseeded. */
    public abstract static class Builtin implements HashedType, SeededHashedType {
        final String name;

        Builtin(String name) {
            this.name = name;
        }

        /** Mixes a non-zero seed into {@link #hash}; seed 0 leaves it unchanged. */
        @Override
        public int seededHash(Heap heap, int seed, long v) {
            int h = hash(heap, v);
            return seed == 0 ? h : HashMix.finish(HashMix.mix(seed, h));
        }

        @Override
        public String toString() {
            return name + "()";
        }
    }
}
