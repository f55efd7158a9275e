package dev.ephemera.gc;

import java.util.Arrays;

/**
 * A growable array of ints kept in segments of {@value #SEGMENT} entries, so that growing it
 * allocates one small array and copies none: for the tables the collector keeps per page of the
 * major heap, which grow with the heap.
 *
 * <p>Why not one array doubled: the doubling happens inside the minor collection that grows the
 * heap, and at a gigabyte of heap the page tables were a megabyte — allocated (faulted in at
 * 3 ms per MiB where fresh memory is slow to map), copied, and then copied again by the JVM's
 * next young collection, whose pause that made longer. A segment is 4 KiB.
 *
 * <p>Indices are from 0 to {@link #capacity()} (exclusive); a new segment reads 0.
 */
final class SegmentedInts {
    private static final int SHIFT = 10;
    static final int SEGMENT = 1 << SHIFT;
    private static final int MASK = SEGMENT - 1;

    private int[][] segments = new int[4][];
    private int capacity;

    int get(int index) {
        return segments[index >>> SHIFT][index & MASK];
    }

    void set(int index, int value) {
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
            segments[segment] = new int[SEGMENT];
            capacity += SEGMENT;
        }
    }
}
