package dev.ephemera.scheme.runtime;

import dev.ephemera.Heap;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.scheme.object.SchemeTag;
import dev.ephemera.scheme.object.VectorLayout;
import java.util.Arrays;

/**
 * {@code eqv?} and {@code equal?}. Neither allocates in the heap, so raw pointers stay valid;
 * {@code equal?} walks with an explicit work list, so deep or long structures cannot overflow
 * the Java stack.
 *
 * <p>{@code equal?} terminates on circular structures, as R7RS 6.1 requires, by the method of
 * Adams and Dybvig ("Efficient nondestructive equality checking for trees and graphs", 2008):
 * a plain structural walk with a budget, which decides every small or acyclic comparison at
 * no extra cost; past the budget, the walk starts again recording, with union-find, which
 * pairs and vectors it has already taken to be equal, and does not compare two of the same
 * class again. What that computes is the largest bisimulation — two structures are equal if no
 * finite path through them finds a difference — so {@code #0=(a . #0#)} and
 * {@code #1=(a a . #1#)} are equal, as in Chez and Racket.
 */
public final class Equality {
    /** Compound comparisons made before the walk switches to union-find. */
    static final int FAST_BUDGET = 10_000;

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
        Boolean fast = walk(a, b, null);
        return fast != null ? fast : walk(a, b, new UnionFind());
    }

    /**
     * Compares {@code a} and {@code b}; with {@code classes} null, gives up (returns null) after
     * {@link #FAST_BUDGET} compound comparisons.
     */
    private Boolean walk(long a, long b, UnionFind classes) {
        long[] work = new long[32];
        int top = 0;
        work[top++] = a;
        work[top++] = b;
        int budget = FAST_BUDGET;
        while (top > 0) {
            long y = work[--top];
            long x = work[--top];
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
                if (tx == Tag.STRING) {
                    if (!Arrays.equals(heap.bytes(x), heap.bytes(y))) {
                        return false;
                    }
                    break;
                }
                if (tx != SchemeTag.PAIR && tx != SchemeTag.VECTOR) {
                    return false;
                }
                if (classes == null) {
                    if (--budget < 0) {
                        return null;
                    }
                } else if (!classes.union(x, y)) {
                    break; // already taken to be equal
                }
                if (tx == SchemeTag.PAIR) {
                    if (top + 2 > work.length) {
                        work = Arrays.copyOf(work, work.length * 2);
                    }
                    work[top++] = h.cdr(x);
                    work[top++] = h.cdr(y);
                    x = h.car(x);
                    y = h.car(y);
                    continue;
                }
                int n = heap.size(x);
                if (n != heap.size(y)) {
                    return false;
                }
                if (top + 2 * n > work.length) {
                    work = Arrays.copyOf(work, Math.max(work.length * 2, top + 2 * n));
                }
                for (int i = n - 1; i >= 0; i--) {
                    work[top++] = heap.field(x, VectorLayout.elementField(i));
                    work[top++] = heap.field(y, VectorLayout.elementField(i));
                }
                break;
            }
        }
        return true;
    }

    /** Equivalence classes of heap pointers, with path halving and union by size. */
    private static final class UnionFind {
        private final PointerIndex index = new PointerIndex();
        private int[] parent = new int[64];
        private int[] size = new int[64];

        private int node(long p) {
            int before = index.size();
            int i = index.add(p);
            if (i == before) {
                parent = PointerIndex.ensure(parent, i + 1);
                size = PointerIndex.ensure(size, i + 1);
                parent[i] = i;
                size[i] = 1;
            }
            return i;
        }

        private int find(int i) {
            while (parent[i] != i) {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            return i;
        }

        /** Merges the classes of {@code a} and {@code b}; false if they were already one. */
        boolean union(long a, long b) {
            int ra = find(node(a));
            int rb = find(node(b));
            if (ra == rb) {
                return false;
            }
            if (size[ra] < size[rb]) {
                int t = ra;
                ra = rb;
                rb = t;
            }
            parent[rb] = ra;
            size[ra] += size[rb];
            return true;
        }
    }
}
