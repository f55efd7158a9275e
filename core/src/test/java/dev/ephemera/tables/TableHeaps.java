package dev.ephemera.tables;

import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;

/** Heaps for the table tests. */
final class TableHeaps {
    private TableHeaps() {}

    /**
     * A small nursery (1024 words: collections every few dozen insertions, so every raw pointer
     * kept across an allocation by mistake shows up in checked mode) and a small major heap,
     * verifier on.
     */
    static Heap small() {
        return Heap.create(HeapConfig.defaults().minorHeapWords(1024).initialHeapWords(4096)
                .verifyEveryCollection(true));
    }
}
