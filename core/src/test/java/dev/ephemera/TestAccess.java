package dev.ephemera;

import dev.ephemera.gc.PointerCheck;
import dev.ephemera.memory.Arena;

/** What tests outside this package may see of a heap's insides (the arena, the pointer check). */
public final class TestAccess {
    private TestAccess() {}

    public static Arena arena(Heap heap) {
        return heap.collector.arena();
    }

    /** The address of the nursery's next free word (its allocation pointer). */
    public static long nurseryTop(Heap heap) {
        return Arena.address(heap.collector.nurseryChunkIndex(), (int) heap.collector.youngWordsInUse());
    }

    /** True if {@code v} is the start of a live block of {@code heap} (checked mode's pointer check). */
    public static boolean isBlockStart(Heap heap, long v) {
        return heap.collector.pointers().check(v) == PointerCheck.OK;
    }
}
