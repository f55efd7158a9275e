package dev.ephemera.tables;

import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Heaps for the table tests. A heap made here belongs to the running test, which must not close
 * it: {@link TableValidation} validates every table, weak set and bucket left in it once the test
 * has passed, then closes it (a heap the test closed itself is not validated).
 */
final class TableHeaps {
    /** The heaps made by the test running on this thread; null outside a validated test. */
    private static final ThreadLocal<List<Heap>> CURRENT = new ThreadLocal<>();

    private TableHeaps() {}

    /**
     * A small nursery (1024 words: collections every few dozen insertions, so every raw pointer
     * kept across an allocation by mistake shows up in checked mode) and a small major heap,
     * verifier on.
     */
    static Heap small() {
        return create(HeapConfig.defaults().minorHeapWords(1024).initialHeapWords(4096)
                .verifyEveryCollection(true));
    }

    /** A heap of this configuration, for the running test. */
    static Heap create(HeapConfig config) {
        List<Heap> heaps = CURRENT.get();
        if (heaps == null) {
            throw new IllegalStateException("TableHeaps: no table test is running on this thread"
                    + " (is the test class annotated @ExtendWith(TableValidation.class)?)");
        }
        Heap heap = Heap.create(config);
        heaps.add(heap);
        return heap;
    }

    /** A test starts on this thread: the heaps it makes are collected from now on. */
    static List<Heap> beginTest() {
        List<Heap> heaps = new ArrayList<>();
        CURRENT.set(heaps);
        return heaps;
    }

    /** The test has ended: its heaps are closed (those still open). */
    static void endTest(List<Heap> heaps) {
        CURRENT.remove();
        for (Heap heap : heaps) {
            heap.close();
        }
    }
}
