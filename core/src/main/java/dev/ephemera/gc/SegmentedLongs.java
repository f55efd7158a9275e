package dev.ephemera.gc;

import java.util.Arrays;

/**
 * A growable array of longs kept in segments of {@value #SEGMENT} entries, so that growing it
 * allocates one small array (8 KiB) and copies none: {@link SegmentedInts} for longs, and why.
 *
 * <p>Indices are from 0 to {@link #capacity()} (exclusive); a new segment reads 0.
 */
final class SegmentedLongs {
    private static final int SHIFT = 10;
    static final int SEGMENT = 1 << SHIFT;
    private static final int MASK = SEGMENT - 1;

    private long[][] segments = new long[4][];
    private int capacity;

    long get(int index) {
        return segments[index >>> SHIFT][index & MASK];
    }

    void set(int index, long value) {
        segments[index >>> SHIFT][index & MASK] = value;
    }

    /** Entries that may be read and written. */
    int capacity() {
        return capacity;
    }

    /**
     * Makes entries up to {@code n} (exclusive) usable. An {@code OutOfMemoryError} leaves the
     * array as it was, or grown by whole segments short of {@code n}.
     */
    void ensureCapacity(int n) {
        while (capacity < n) {
            int segment = capacity >>> SHIFT;
            if (segment == segments.length) {
                segments = Arrays.copyOf(segments, segments.length * 2);
            }
            segments[segment] = new long[SEGMENT];
            capacity += SEGMENT;
        }
    }
}
