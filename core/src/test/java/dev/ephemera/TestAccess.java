package dev.ephemera;

import dev.ephemera.gc.PointerCheck;
import dev.ephemera.memory.Arena;
import dev.ephemera.object.layout.EphemeronLayout;

/**
 * What tests outside this package may see of a heap's insides — the arena, the pointer check —
 * and reads for tests that must look at the heap without taking part in it: a weak root's or an
 * ephemeron slot's value without the read barrier that, while a cycle marks, keeps what a
 * mutator reads alive (the differential fuzzer's observers would otherwise keep every object
 * alive for every cycle, and hide what the collector does). While a cycle cleans, the slot reads
 * still clean what they touch first, as every accessor does: that is what the heap means.
 */
public final class TestAccess {
    private TestAccess() {}

    /** The heap's word arena (the module does not export {@code memory}: only tests see it here). */
    @SuppressWarnings("exports")
    public static Arena arena(Heap heap) {
        return heap.collector().arena();
    }

    /** The address of the nursery's next free word (its allocation pointer). */
    public static long nurseryTop(Heap heap) {
        return Arena.address(heap.collector().nurseryChunkIndex(), (int) heap.collector().youngWordsInUse());
    }

    /** True if {@code v} is the start of a live block of {@code heap} (checked mode's pointer check). */
    public static boolean isBlockStart(Heap heap, long v) {
        return heap.collector().pointers().check(v) == PointerCheck.OK;
    }

    /** The value of {@code root}, not darkened. */
    public static long peek(GlobalRoot root) {
        return root.peek();
    }

    /** Key {@code i} of the ephemeron {@code e}, not darkened. */
    public static long peekKey(Heap heap, long e, int i) {
        return heap.collector().weakSlots().peekKey(e, EphemeronLayout.keyField(i));
    }

    /** The data of the ephemeron {@code e}, not darkened. */
    public static long peekData(Heap heap, long e) {
        return heap.collector().weakSlots().peekData(e);
    }

    /** Finalization messages selected and not yet taken: posted, or waiting to be posted. */
    public static int pendingFinalizationMessages(Heap heap) {
        return heap.messages().queued(Message.Type.FINALIZATION)
                + heap.collector().queue(dev.ephemera.gc.Collector.QUEUE_MESSAGES).size();
    }

    /** Objects handed back to their guardians by collections and not yet in the guardians' queues. */
    public static int pendingHandBacks(Heap heap) {
        return heap.collector().queue(dev.ephemera.gc.Collector.QUEUE_GUARDIANS).size();
    }

    /** True if a finalise-last registration the heap has not selected yet watches {@code value}. */
    public static boolean watchesFinaliseLast(Heap heap, long value) {
        return heap.collector().watchesFinalisable(dev.ephemera.gc.Collector.FINALISE_LAST, value);
    }

    /** Slot {@code i} of the weak root area {@code area}, not darkened. */
    public static long peek(RootArea area, int i) {
        return area.slots()[i];
    }
}
