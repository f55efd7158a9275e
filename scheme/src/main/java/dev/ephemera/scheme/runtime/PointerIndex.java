package dev.ephemera.scheme.runtime;

import java.util.Arrays;

/**
 * Dense indices for heap pointers: an open-addressing hash table from a raw pointer to 0, 1, 2...
 * in order of first {@link #add}. For graph walks that do not allocate in the heap (printing,
 * {@code equal?}), during which raw pointers are stable; it holds no roots and must not outlive
 * the walk. Primitive arrays, so a walk over a million nodes costs tens of megabytes, not
 * hundreds.
 */
public final class PointerIndex {
    private static final long EMPTY = 0; // never a block pointer
    private long[] keys = new long[64];
    private int[] values = new int[64];
    private int size;

    /** The index of {@code p}, or -1 if it was never added. */
    public int indexOf(long p) {
        int mask = keys.length - 1;
        for (int i = slot(p, mask); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == p) {
                return values[i];
            }
            if (k == EMPTY) {
                return -1;
            }
        }
    }

    /** The index of {@code p}, a new one ({@link #size()} before the call) if it was absent. */
    public int add(long p) {
        if (p == EMPTY) {
            throw new IllegalArgumentException("PointerIndex.add: 0 is not a pointer");
        }
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        for (int i = slot(p, mask); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == p) {
                return values[i];
            }
            if (k == EMPTY) {
                keys[i] = p;
                values[i] = size;
                return size++;
            }
        }
    }

    /** How many pointers have been added. */
    public int size() {
        return size;
    }

    private static int slot(long p, int mask) {
        long h = p * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            long k = oldKeys[j];
            if (k != EMPTY) {
                int i = slot(k, mask);
                while (keys[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                keys[i] = k;
                values[i] = oldValues[j];
            }
        }
    }

    /** An int array that grows, for per-index data of a walk. */
    public static int[] ensure(int[] a, int length) {
        return length <= a.length ? a : Arrays.copyOf(a, Math.max(length, a.length * 2));
    }
}
