package dev.ephemera.scheme.runtime;

import dev.ephemera.Heap;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.scheme.object.SchemeTag;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * {@code eqv?} and {@code equal?}. Neither allocates in the heap, so raw pointers stay valid;
 * {@code equal?} walks with an explicit work list, so deep or long structures cannot overflow
 * the Java stack.
 */
public final class Equality {
    private final SchemeHeap h;
    private final Heap heap;

    public Equality(SchemeHeap h) {
        this.h = h;
        this.heap = h.heap;
    }

    /** {@code eqv?}: identity, or the same number of the same exactness, or the same character. */
    public boolean eqv(long a, long b) {
        if (a == b) {
            return true;
        }
        if (!Value.isBlock(a) || !Value.isBlock(b)) {
            return false;
        }
        int ta = heap.tag(a);
        if (ta != heap.tag(b)) {
            return false;
        }
        if (ta == Tag.DOUBLE) {
            return Double.doubleToLongBits(heap.doubleValue(a)) == Double.doubleToLongBits(heap.doubleValue(b));
        }
        if (ta == SchemeTag.CHAR) {
            return h.charValue(a) == h.charValue(b);
        }
        return false;
    }

    /** {@code equal?}: structural on pairs, vectors and strings; {@code eqv?} otherwise. */
    public boolean equal(long a, long b) {
        ArrayDeque<long[]> work = new ArrayDeque<>();
        work.push(new long[] {a, b});
        while (!work.isEmpty()) {
            long[] next = work.pop();
            long x = next[0];
            long y = next[1];
            while (true) {
                if (eqv(x, y)) {
                    break;
                }
                if (!Value.isBlock(x) || !Value.isBlock(y)) {
                    return false;
                }
                int tx = heap.tag(x);
                if (tx != heap.tag(y)) {
                    return false;
                }
                if (tx == SchemeTag.PAIR) {
                    work.push(new long[] {h.cdr(x), h.cdr(y)});
                    x = h.car(x);
                    y = h.car(y);
                    continue;
                }
                if (tx == SchemeTag.VECTOR) {
                    int n = heap.size(x);
                    if (n != heap.size(y)) {
                        return false;
                    }
                    for (int i = n - 1; i >= 0; i--) {
                        work.push(new long[] {heap.field(x, i), heap.field(y, i)});
                    }
                    break;
                }
                if (tx == Tag.STRING) {
                    if (!Arrays.equals(heap.bytes(x), heap.bytes(y))) {
                        return false;
                    }
                    break;
                }
                return false;
            }
        }
        return true;
    }
}
