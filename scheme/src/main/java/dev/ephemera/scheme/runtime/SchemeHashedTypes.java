package dev.ephemera.scheme.runtime;

import dev.ephemera.Heap;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.scheme.object.SchemeTag;
import dev.ephemera.scheme.object.VectorLayout;
import dev.ephemera.tables.HashedType;
import dev.ephemera.tables.HashedTypes;

/**
 * The Scheme's equivalence predicates as core {@linkplain HashedType hashed types}, for the
 * hashtables of {@code make-eqv-hashtable} and {@code make-equal-hashtable} and for the
 * procedures {@code eqv-hash} and {@code equal-hash}.
 *
 * <p>{@code eq?} and {@code string=?} need nothing of their own: they are core's
 * {@link HashedTypes#eq()} (identity; the hash stored in the block's header) and
 * {@link HashedTypes#string()} (same bytes; a Scheme string is a heap string). {@code eqv?} and
 * {@code equal?} differ from core's meanings on Scheme data, so they are defined here rather
 * than by changing core's:
 * <ul>
 * <li>{@code eqv?} compares characters by code point (a character is a block of
 *     {@link SchemeTag#CHAR}, and two blocks may hold the same one) and flonums by value, where
 *     core's {@code eqv} knows neither Scheme characters nor NaN canonicalisation;</li>
 * <li>{@code equal?} ({@link Equality#equal}) is structural on pairs, vectors and strings only —
 *     records, procedures and hashtables are compared by {@code eqv?} — and terminates on
 *     circular data, where core's {@code equal} is OCaml's structural comparison of every block
 *     and may not terminate on cycles.</li>
 * </ul>
 * Each hash is consistent with its equivalence ({@code equal? a b} implies equal hashes), and
 * none allocates or runs Scheme code. The structural hash looks at a bounded prefix of the
 * structure (64 nodes, 16 levels), so it is cheap on huge data and terminates on circular data:
 * two structures that {@code equal?} finds equal unfold to the same infinite tree, whose
 * prefix the walk sees identically.
 */
public final class SchemeHashedTypes {
    /** {@code eqv?}, hashed by value for flonums and characters, by identity otherwise. */
    public final HashedType eqv;
    /** {@code equal?}, hashed structurally on a bounded prefix. */
    public final HashedType equal;

    private final SchemeHeap h;

    public SchemeHashedTypes(SchemeHeap h, Equality eq) {
        this.h = h;
        // one class each, not lambdas behind a shared wrapper: core's call sites see fewer types
        this.eqv = new HashedType() {
            @Override
            public int hash(Heap heap, long v) {
                return eqvHash(heap, v);
            }

            @Override
            public boolean equal(Heap heap, long a, long b) {
                return eq.eqv(a, b);
            }

            @Override
            public String toString() {
                return "Scheme eqv?";
            }
        };
        this.equal = new HashedType() {
            @Override
            public int hash(Heap heap, long v) {
                return equalHash(heap, v);
            }

            @Override
            public boolean equal(Heap heap, long a, long b) {
                return eq.equal(a, b);
            }

            @Override
            public String toString() {
                return "Scheme equal?";
            }
        };
    }

    /** {@code eq-hash}: core's identity hash, as {@code make-eq-hashtable} tables use it. */
    public int eqHash(long v) {
        return HashedTypes.eq().hash(h.heap, v);
    }

    /** {@code string-hash}: core's string hash, as {@code make-string-hashtable} tables use it. */
    public int stringHash(long v) {
        return HashedTypes.string().hash(h.heap, v);
    }

    /** {@code eqv-hash}. */
    public int eqvHash(Heap heap, long v) {
        if (h.isFlonum(v)) {
            return mix(Double.doubleToLongBits(h.flonumValue(v)));
        }
        if (h.isChar(v)) {
            return mix(h.charValue(v) * 31L + 7);
        }
        return eqHash(v);
    }

    /** {@code equal-hash}: {@code equal?} objects get equal hashes. */
    public int equalHash(Heap heap, long v) {
        long[] budget = {64};
        return mix(equalHash(v, budget, 0));
    }

    private long equalHash(long v, long[] budget, int depth) {
        if (--budget[0] < 0 || depth > 16) {
            return 17;
        }
        if (!Value.isBlock(v)) {
            return eqHash(v);
        }
        int tag = h.heap.tag(v);
        if (tag == Tag.STRING) {
            return stringHash(v);
        }
        if (tag == SchemeTag.PAIR) {
            long x = 0x9E37;
            while (h.isPair(v) && budget[0] > 0) {
                x = x * 31 + equalHash(h.car(v), budget, depth + 1);
                v = h.cdr(v);
                budget[0]--;
            }
            return x * 31 + (h.isPair(v) ? 0 : equalHash(v, budget, depth + 1));
        }
        if (tag == SchemeTag.VECTOR) {
            long x = 0x7EC;
            int n = h.heap.size(v);
            for (int i = 0; i < n && budget[0] > 0; i++) {
                x = x * 31 + equalHash(h.heap.field(v, VectorLayout.elementField(i)), budget, depth + 1);
            }
            return x + n;
        }
        return eqvHash(h.heap, v);
    }

    /** A non-negative 30-bit hash of {@code x} (MurmurHash3's finaliser). */
    private static int mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        return (int) (x & 0x3FFFFFFF);
    }
}
