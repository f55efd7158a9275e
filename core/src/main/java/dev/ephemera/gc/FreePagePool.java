package dev.ephemera.gc;

import java.util.function.IntPredicate;

/**
 * The mark-sweep space's pool of free pages: page numbers kept as a binary min-heap, so that
 * the lowest free page is taken first whatever order pages came back in.
 *
 * <p>Why lowest first: the lazy sweep returns each page it empties as it reaches it, between
 * allocations, and a stack handed them out last-freed first — promoted data then filled memory
 * backwards and scattered, and walking promoted trees (binary-trees' large ones) was 1.4×
 * slower than after an eager sweep, which had rebuilt the pool in address order
 * (docs/benchmarks.md, fifteenth session). Page numbers grow with the chunks as the space adds
 * them, so lowest first is the order memory was added in — not arena-address order once a
 * released chunk's index has been reused or a compaction has remapped a chunk, but the order in
 * which the JVM allocated the chunks, usually the order they lie in its memory.
 *
 * <p>Kept in a {@link SegmentedInts}, like the other per-page tables, so that growing the pool
 * with the heap never copies it. A page is in the pool at most once; the space keeps that (a
 * page is pushed when it becomes free and popped when a class takes it).
 */
final class FreePagePool {
    private final SegmentedInts heap = new SegmentedInts();
    private int size;

    /** Pages in the pool. */
    int size() {
        return size;
    }

    /**
     * Makes room for {@code n} pages in all, so that pushing up to that many allocates nothing:
     * the space grows every table before it changes any, so that the JVM refusing memory
     * leaves it as it was.
     */
    void ensureCapacity(int n) {
        heap.ensureCapacity(n);
    }

    /** Pages the pool can hold without allocating. */
    int capacity() {
        return heap.capacity();
    }

    /** Adds {@code page} (not already in the pool). */
    void push(int page) {
        heap.ensureCapacity(size + 1);
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            int p = heap.get(parent);
            if (p <= page) {
                break;
            }
            heap.set(i, p);
            i = parent;
        }
        heap.set(i, page);
    }

    /** Takes the lowest page out of the pool, which must not be empty. */
    int popLowest() {
        if (size == 0) {
            throw new IllegalStateException("FreePagePool.popLowest: the pool is empty");
        }
        int lowest = heap.get(0);
        int last = heap.get(--size);
        if (size > 0) {
            siftDown(0, last);
        }
        return lowest;
    }

    /** Keeps only the pages {@code keep} accepts (the others left the space: their chunk was released). */
    void retainIf(IntPredicate keep) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            int page = heap.get(i);
            if (keep.test(page)) {
                heap.set(n++, page);
            }
        }
        if (n == size) {
            return;
        }
        size = n;
        for (int i = n / 2 - 1; i >= 0; i--) { // filtering broke the heap order: rebuild it
            siftDown(i, heap.get(i));
        }
    }

    /** Empties the pool. */
    void clear() {
        size = 0;
    }

    /** Puts {@code page} at heap position {@code i}, or below it, where the heap order holds. */
    private void siftDown(int i, int page) {
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            int c = heap.get(child);
            if (child + 1 < size && heap.get(child + 1) < c) {
                c = heap.get(++child);
            }
            if (page <= c) {
                break;
            }
            heap.set(i, c);
            i = child;
        }
        heap.set(i, page);
    }
}
