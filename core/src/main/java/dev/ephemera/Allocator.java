package dev.ephemera;

import dev.ephemera.gc.BlockAllocator;
import dev.ephemera.gc.Collector;
import dev.ephemera.gc.WriteBarrier;
import dev.ephemera.memory.Arena;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.DoubleLayout;
import dev.ephemera.object.layout.ForeignLayout;
import dev.ephemera.object.layout.StructureMarks;
import dev.ephemera.object.layout.Header;

/**
 * Allocation with rooting: every way the API makes a block, except the nursery fast paths of
 * {@link Heap#alloc}, which come here when they cannot finish.
 *
 * <p>The rule it keeps: an allocation may collect, which moves young blocks and frees dead ones,
 * so every value an allocation is given to store in the new block is pushed on the heap's
 * {@link RootStack}
 * before {@link #allocate} and read back from it afterwards. Callers therefore pass raw values,
 * and {@code heap.alloc(0, a.get(), b.get())} is correct. The new block's fields are written
 * through the write barrier's initialising stores.
 */
final class Allocator {
    private final Collector collector;
    private final BlockAllocator blocks;
    private final Arena arena;
    private final WriteBarrier barrier;
    /** The heap's root stack, where arguments wait out an allocation. */
    private final RootStack roots;
    private final EntryChecks checks;
    private final Finalisation finalisation;

    Allocator(Collector collector, RootStack roots, EntryChecks checks, Finalisation finalisation) {
        this.collector = collector;
        this.blocks = collector.allocator();
        this.arena = collector.arena();
        this.barrier = collector.barrier();
        this.roots = roots;
        this.checks = checks;
        this.finalisation = finalisation;
    }

    /**
     * Allocates, collecting if needed; throws if exhausted. Every raw pointer not in a root is
     * invalid afterwards. When configured, pending finalisers run first (a safe point).
     */
    long allocate(String op, int sizeWords, int tag) {
        refuseWhileNotifying(op);
        safePoint(op);
        long v = blocks.allocate(sizeWords, tag);
        if (v == 0) {
            throw exhausted(op, sizeWords);
        }
        return v;
    }

    /**
     * No allocation while {@link GcListener}s are told about a collection: it runs inside the
     * collector's work (see {@code CollectionNotifier}). The nursery is then full to the fast
     * paths, so every allocation comes here.
     */
    private void refuseWhileNotifying(String op) {
        if (collector.isNotifying()) {
            throw new IllegalStateException(op + ": a GcListener must not allocate in the heap"
                    + " (called while listeners are told about a collection)");
        }
    }

    /**
     * The allocation's safe point, when so configured: pending finalisers run, and as one of them
     * may have closed the heap, the heap is checked again then.
     */
    private void safePoint(String op) {
        if (finalisation.atAllocation()) {
            checks.enter(op);
        }
    }

    /** Allocates directly in the major heap (ephemerons); otherwise like {@link #allocate}. */
    long allocateOld(String op, int sizeWords, int tag) {
        refuseWhileNotifying(op);
        safePoint(op);
        long v = blocks.allocateOld(sizeWords, tag);
        if (v == 0) {
            throw exhausted(op, sizeWords);
        }
        return v;
    }

    private HeapExhaustedException exhausted(String op, int sizeWords) {
        return new HeapExhaustedException(op + ": heap exhausted allocating " + sizeWords
                + " words (max heap " + collector.maxHeapWords() + " words, live "
                + collector.liveWords() + " words after a full major collection"
                + (collector.jvmMemoryExhausted() ? "; the JVM is out of memory: its maximum is "
                        + (Runtime.getRuntime().maxMemory() >> 20) + " MiB" : "") + ")");
    }

    // ================================================================== scanned blocks

    /** {@link Heap#allocBlock}. */
    long allocBlock(int tag, int sizeWords) {
        EntryChecks.checkScannedTag("Heap.allocBlock", tag);
        EntryChecks.checkSize("Heap.allocBlock", sizeWords);
        EntryChecks.checkShape("Heap.allocBlock", tag, sizeWords);
        checks.enter("Heap.allocBlock");
        return allocate("Heap.allocBlock", sizeWords, tag);
    }

    /**
     * {@link Heap#alloc(int, long)} when its fast path could not finish: every check, then the
     * nursery again, then a rooted allocation that may collect.
     */
    long alloc(int tag, long f0) {
        checks.enter("Heap.alloc");
        EntryChecks.checkScannedTag("Heap.alloc", tag);
        EntryChecks.checkShape("Heap.alloc", tag, 1);
        checks.checkValue("Heap.alloc", f0);
        long v = blocks.tryAllocateYoung1(tag, f0);
        if (v != 0) {
            return v;
        }
        int mark = roots.top;
        roots.pushUnchecked(f0);
        try {
            v = allocate("Heap.alloc", 1, tag);
            f0 = roots.getUnchecked(mark);
        } finally {
            roots.popToUnchecked(mark);
        }
        barrier.initField(v, 0, f0);
        return v;
    }

    /** {@link Heap#alloc(int, long, long)} when its fast path could not finish. */
    long alloc(int tag, long f0, long f1) {
        checks.enter("Heap.alloc");
        EntryChecks.checkScannedTag("Heap.alloc", tag);
        checks.checkValue("Heap.alloc", f0);
        checks.checkValue("Heap.alloc", f1);
        long v = blocks.tryAllocateYoung2(tag, f0, f1);
        if (v != 0) {
            return v;
        }
        int mark = roots.top;
        roots.pushUnchecked(f0);
        roots.pushUnchecked(f1);
        try {
            v = allocate("Heap.alloc", 2, tag);
            f0 = roots.getUnchecked(mark);
            f1 = roots.getUnchecked(mark + 1);
        } finally {
            roots.popToUnchecked(mark);
        }
        barrier.initField(v, 0, f0);
        barrier.initField(v, 1, f1);
        return v;
    }

    /** {@link Heap#allocFields}. */
    long allocFields(int tag, long... fields) {
        checks.enter("Heap.allocFields");
        EntryChecks.requireNonNull("Heap.allocFields", "fields", fields);
        EntryChecks.checkScannedTag("Heap.allocFields", tag);
        EntryChecks.checkSize("Heap.allocFields", fields.length);
        EntryChecks.checkShape("Heap.allocFields", tag, fields.length);
        for (long f : fields) {
            checks.checkValue("Heap.allocFields", f);
        }
        int mark = roots.top;
        for (long f : fields) {
            roots.pushUnchecked(f);
        }
        long v;
        try {
            v = allocate("Heap.allocFields", fields.length, tag);
            for (int i = 0; i < fields.length; i++) {
                barrier.initField(v, i, roots.getUnchecked(mark + i));
            }
        } finally {
            roots.popToUnchecked(mark);
        }
        return v;
    }

    /** {@link Heap#allocArray}. */
    long allocArray(int length, long init) {
        checks.enter("Heap.allocArray");
        EntryChecks.checkSize("Heap.allocArray", length);
        checks.checkValue("Heap.allocArray", init);
        int mark = roots.top;
        roots.pushUnchecked(init);
        long v;
        try {
            v = allocate("Heap.allocArray", length, 0);
            init = roots.getUnchecked(mark);
        } finally {
            roots.popToUnchecked(mark);
        }
        if (init != Value.NONE) {
            barrier.initFill(v, 0, length, init);
        }
        return v;
    }

    /**
     * True if the block at address {@code a} (header {@code h}) is one that {@link #shallowCopy}
     * and {@code get_copy} hand out as it is: a custom block (OCaml: "don't copy custom blocks",
     * its foreign boxes included), an ephemeron, or a block of one of the library's structures
     * ({@link StructureMarks}: a guardian, a table, a weak set, an ephemeron bucket). A copy of
     * such a block would be a second structure sharing the first one's parts: a second guardian
     * polling the same queue would hand an object back again, a second table would unlink and
     * refill the cells of the first one's buckets behind its size and free list.
     */
    boolean isHandedOutUncopied(long a, long h) {
        int tag = Header.tag(h);
        return tag == Tag.CUSTOM || tag == Tag.EPHEMERON || StructureMarks.isStructure(arena, a, h);
    }

    /** {@link Heap#shallowCopy}. */
    long shallowCopy(long v) {
        checks.enter("Heap.shallowCopy");
        if (!Value.isBlock(v)) {
            return v;
        }
        long a = checks.block("Heap.shallowCopy", v);
        long h = checks.header(a);
        if (isHandedOutUncopied(a, h)) {
            return v;
        }
        int tag = Header.tag(h);
        int size = Header.sizeWords(h);
        int mark = roots.top;
        roots.pushUnchecked(v);
        long copy;
        try {
            copy = allocate("Heap.shallowCopy", size, tag);
            v = roots.getUnchecked(mark);
        } finally {
            roots.popToUnchecked(mark);
        }
        barrier.initCopy(v, copy, size, Tag.isScanned(tag));
        return copy;
    }

    // ================================================================== raw blocks

    /** {@link Heap#allocDouble}. */
    long allocDouble(double d) {
        checks.enter("Heap.allocDouble");
        long v = allocate("Heap.allocDouble", DoubleLayout.SIZE_WORDS, Tag.DOUBLE);
        arena.write(Value.addressOf(v) + DoubleLayout.BITS_FIELD, Double.doubleToRawLongBits(d));
        return v;
    }

    /** {@link Heap#allocDoubleArray}. */
    long allocDoubleArray(double[] values) {
        checks.enter("Heap.allocDoubleArray");
        EntryChecks.requireNonNull("Heap.allocDoubleArray", "values", values);
        EntryChecks.checkSize("Heap.allocDoubleArray", values.length);
        long v = allocate("Heap.allocDoubleArray", values.length, Tag.DOUBLE_ARRAY);
        long a = Value.addressOf(v);
        for (int i = 0; i < values.length; i++) {
            arena.write(a + i, Double.doubleToRawLongBits(values[i]));
        }
        return v;
    }

    /** {@link Heap#allocCustom}. */
    long allocCustom(long kind, int payloadWords) {
        checks.enter("Heap.allocCustom");
        if (payloadWords < 0) {
            throw new IllegalArgumentException("Heap.allocCustom: payload size " + payloadWords + " is negative");
        }
        if (kind == ForeignLayout.FOREIGN_KIND) {
            throw new IllegalArgumentException("Heap.allocCustom: kind " + kind
                    + " is reserved for foreign boxes; use allocForeign");
        }
        if (payloadWords >= Header.MAX_SIZE_WORDS) { // the kind's word would take the size past it
            throw new IllegalArgumentException("Heap.allocCustom: payload size " + payloadWords
                    + " words out of range [0, " + (Header.MAX_SIZE_WORDS - 1) + "]");
        }
        int sizeWords = payloadWords + 1; // the kind, then the payload
        long v = allocate("Heap.allocCustom", sizeWords, Tag.CUSTOM);
        arena.write(Value.addressOf(v) + ForeignLayout.KIND_FIELD, kind);
        return v;
    }

    /** {@link Heap#allocForeign}. */
    long allocForeign(Object object) {
        checks.enter("Heap.allocForeign");
        // The box first: its allocation may collect (or run finalisers that throw), and the
        // foreign table must never hold a slot without its box.
        long v = allocate("Heap.allocForeign", ForeignLayout.SIZE_WORDS, Tag.CUSTOM);
        int slot = collector.addForeign(object);
        long a = Value.addressOf(v);
        arena.write(a + ForeignLayout.KIND_FIELD, ForeignLayout.FOREIGN_KIND);
        arena.write(a + ForeignLayout.SLOT_FIELD, slot);
        collector.bindForeign(slot, v);
        return v;
    }
}
