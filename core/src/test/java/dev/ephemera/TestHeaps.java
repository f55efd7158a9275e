package dev.ephemera;

/** Heap configurations the tests run under. */
public final class TestHeaps {
    private TestHeaps() {}

    /** A tiny nursery (256 words) and a small major heap: collections happen all the time. */
    public static Heap tiny() {
        return Heap.create(HeapConfig.defaults().minorHeapWords(256).initialHeapWords(4096)
                .verifyEveryCollection(true));
    }

    /** Default sizes, verifier on. */
    public static Heap defaults() {
        return Heap.create(HeapConfig.defaults().verifyEveryCollection(true));
    }
}
