package dev.ephemera.tables.hash;

import dev.ephemera.Heap;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.tables.layout.OcamlFormats;
import java.util.Arrays;

/**
 * Structural equality over heap values, as OCaml's {@code compare a b = 0}: the equivalence
 * that {@code OcamlHash} is consistent with, used by {@code HashedTypes.equal()}.
 *
 * <ul>
 * <li>immediates and {@link Value#NONE} are equal when they are the same word;</li>
 * <li>blocks that are the same pointer are equal (OCaml's {@code compare} short-cut);
 *     {@link Tag#FORWARD} blocks are followed on both sides;</li>
 * <li>strings: same bytes; boxed doubles and double arrays: element-wise with {@code compare}'s
 *     rule for floats ({@code -0.0 = 0.0}, and a NaN equals a NaN);</li>
 * <li>{@link Tag#OBJECT} blocks: same object id (field 1);</li>
 * <li>custom blocks: foreign boxes by identity, other custom blocks by kind and payload words
 *     (a boxed int64 or bignum); ephemerons by identity (OCaml raises on abstract values);</li>
 * <li>other blocks: same tag, same size, fields equal.</li>
 * </ul>
 * The walk is iterative (long lists do not overflow the Java stack) and allocates nothing on
 * the heap. As in OCaml, comparing cyclic structures that are not physically equal may not
 * terminate; where the comparisons still to make pile up instead — values nested more than
 * {@value #MAX_PENDING} deep through fields other than the last, as two distinct cycles through
 * blocks of two or more fields are — the walk stops at {@value #MAX_PENDING} pairs of blocks
 * with fields still to compare, with an {@link IllegalArgumentException}, where OCaml's {@code
 * compare} stops at as many with {@code Out_of_memory}, rather than filling the JVM's memory.
 * Like OCaml's, the pending work grows with nesting, not with a block's width or a list's
 * length.
 */
public final class StructuralEquality {
    /** The most pairs of blocks with fields waiting to be compared (24 MiB of stack). */
    public static final int MAX_PENDING = 1 << 20;

    private StructuralEquality() {}

    /** True if {@code a} and {@code b} are structurally equal (OCaml's {@code compare a b = 0}). */
    public static boolean equal(Heap heap, long a, long b) {
        // Pending work, as in OCaml's compare: a triple (block of a, block of b, next field)
        // per pair of blocks whose later fields are still to compare; the last field of a pair
        // is compared in place of its parent (no entry), so a list's spine takes none.
        long[] stack = null;
        int top = 0;
        while (true) {
            a = skipForwards(heap, a);
            b = skipForwards(heap, b);
            if (!same(heap, a, b)) {
                if (!Value.isBlock(a) || !Value.isBlock(b)) {
                    return false;
                }
                int tag = heap.tag(a);
                if (tag != heap.tag(b) || !Tag.isScanned(tag) || tag == Tag.OBJECT) {
                    return false;
                }
                int size = heap.size(a);
                if (size != heap.size(b)) {
                    return false;
                }
                if (size > 0) {
                    if (size > 1) {
                        if (stack == null) {
                            stack = new long[3 * 16];
                        } else if (top == stack.length) {
                            if (top / 3 >= MAX_PENDING) {
                                throw new IllegalArgumentException("HashedTypes.equal: more than " + MAX_PENDING
                                        + " pairs of blocks waiting to be compared (values nested that deep through"
                                        + " fields other than the last, or two distinct cycles), comparing "
                                        + Value.describe(a) + " with " + Value.describe(b));
                            }
                            stack = Arrays.copyOf(stack, Math.min(stack.length * 2, 3 * MAX_PENDING));
                        }
                        stack[top++] = a;
                        stack[top++] = b;
                        stack[top++] = 1;
                    }
                    a = heap.field(a, 0); // the first fields first
                    b = heap.field(b, 0);
                    continue;
                }
            }
            if (top == 0) {
                return true;
            }
            long pa = stack[top - 3];
            long pb = stack[top - 2];
            int i = (int) stack[top - 1];
            a = heap.field(pa, i);
            b = heap.field(pb, i);
            if (i + 1 < heap.size(pa)) {
                stack[top - 1] = i + 1;
            } else {
                top -= 3; // the last field: compared in the pair's place
            }
        }
    }

    /**
     * Decides every case that needs no recursion ({@code a} and {@code b} are not forwards):
     * true if they are equal without looking at fields, false if they are different or are two
     * scanned blocks whose fields the caller must compare (it then checks their shape).
     */
    private static boolean same(Heap heap, long a, long b) {
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
        switch (tag) {
            case Tag.STRING:
                return sameBytes(heap, a, b);
            case Tag.DOUBLE:
                return sameDouble(heap.doubleValue(a), heap.doubleValue(b));
            case Tag.DOUBLE_ARRAY: {
                int n = heap.size(a);
                if (n != heap.size(b)) {
                    return false;
                }
                for (int i = 0; i < n; i++) {
                    if (!sameDouble(heap.doubleField(a, i), heap.doubleField(b, i))) {
                        return false;
                    }
                }
                return true;
            }
            case Tag.CUSTOM:
                return !heap.isForeign(a) && !heap.isForeign(b) && sameRawWords(heap, a, b);
            case Tag.EPHEMERON:
                return false;
            case Tag.OBJECT:
                return heap.field(a, OcamlFormats.OBJECT_ID_FIELD) == heap.field(b, OcamlFormats.OBJECT_ID_FIELD);
            default:
                return false; // a scanned block: the caller compares the fields
        }
    }

    private static long skipForwards(Heap heap, long v) {
        while (Value.isBlock(v) && heap.tag(v) == Tag.FORWARD) {
            v = heap.field(v, OcamlFormats.FORWARD_VALUE_FIELD);
        }
        return v;
    }

    private static boolean sameDouble(double x, double y) {
        return x == y || (Double.isNaN(x) && Double.isNaN(y));
    }

    /** True if the strings (or other raw blocks) {@code a} and {@code b} have the same words. */
    public static boolean sameBytes(Heap heap, long a, long b) {
        int n = heap.size(a);
        if (n != heap.size(b)) {
            return false;
        }
        for (int i = 0; i < n; i++) { // the padding byte is part of the last word, so lengths match too
            if (heap.rawField(a, i) != heap.rawField(b, i)) {
                return false;
            }
        }
        return true;
    }

    /** True if the custom blocks {@code a} and {@code b} have the same kind and payload words. */
    public static boolean sameRawWords(Heap heap, long a, long b) {
        return sameBytes(heap, a, b);
    }
}
