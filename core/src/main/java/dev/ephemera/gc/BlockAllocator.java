package dev.ephemera.gc;

import dev.ephemera.memory.Arena;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.Header;
import java.util.Arrays;

/**
 * Allocates blocks: bump allocation in the {@linkplain Nursery nursery} for blocks of up to
 * {@link Collector#MAX_YOUNG_WORDS} fields, allocation in the {@linkplain MajorHeap major heap}
 * for larger ones and ephemerons, and, when either is full, the collections that make room and
 * the retry after them.
 *
 * <p>The {@code tryAllocateYoung} paths are the heap's allocation fast paths: the API calls
 * them directly (this class is {@code final} and they are small, so they inline at the call
 * site as they did on the collector), and they never collect. The other paths may collect
 * (through the {@linkplain CollectionDriver driver}), so every raw pointer a caller holds
 * outside a root is invalid after them.
 *
 * <p>Invariant: a block handed out has its header written (white in the nursery, the
 * {@linkplain MajorHeap#allocationColour allocation colour} in the major heap) and every field
 * {@link Value#NONE} or the value given; 0 means no room — the nursery full, for the try paths;
 * the heap exhausted even after a full collection, for the others.
 */
public final class BlockAllocator {
    private final Arena arena;
    private final Nursery nursery;
    private final MajorHeap major;
    private final MemoryReserve memory;
    private final CollectionPolicy policy;
    private final CollectionDriver collections;
    /** Words (headers included) allocated directly in the major heap. */
    private long directMajorWords;

    BlockAllocator(Arena arena, Nursery nursery, MajorHeap major, MemoryReserve memory, CollectionPolicy policy,
            CollectionDriver collections) {
        this.arena = arena;
        this.nursery = nursery;
        this.major = major;
        this.memory = memory;
        this.policy = policy;
        this.collections = collections;
    }

    /**
     * Allocates a block of {@code sizeWords} fields with {@code tag}; its fields are
     * {@link Value#NONE}. May collect: every raw pointer the caller holds outside a root is
     * invalid afterwards. Returns 0 if the heap is exhausted even after a full collection.
     */
    public long allocate(int sizeWords, int tag) {
        if (sizeWords <= Collector.MAX_YOUNG_WORDS) {
            long v = tryAllocateYoung(sizeWords, tag);
            return v != 0 ? v : allocateAfterMinor(sizeWords, tag);
        }
        return allocateOld(sizeWords, tag);
    }

    private long allocateAfterMinor(int sizeWords, int tag) {
        collections.minor("minor heap full");
        if ((major.isOverLimit() || memory.isSpent()) && !reclaimForLimit()) {
            return 0;
        }
        long v = tryAllocateYoung(sizeWords, tag);
        // A block larger than the whole (tiny) nursery goes to the major heap.
        return v != 0 ? v : allocateOld(sizeWords, tag);
    }

    /**
     * The nursery fast path alone: allocates a young block of {@code sizeWords} (at most
     * {@link Collector#MAX_YOUNG_WORDS}) fields, all {@code NONE}, if there is room, else returns 0
     * without collecting.
     */
    public long tryAllocateYoung(int sizeWords, int tag) {
        int words = Header.WORDS + (sizeWords == 0 ? 1 : sizeWords);
        long header = reserveYoung(words);
        if (header == 0) {
            return 0;
        }
        long[] s = nursery.storage;
        int o = (int) header;
        s[o] = Header.make(sizeWords, tag);
        Arrays.fill(s, o + Header.WORDS, o + words, Value.NONE);
        return Value.ofAddress(Header.fieldsAddressOf(header));
    }

    /**
     * The nursery fast path for a one-field block, its field included; returns 0 (and allocates
     * nothing) if the nursery is full.
     */
    public long tryAllocateYoung1(int tag, long f0) {
        long header = reserveYoung(Header.WORDS + 1);
        if (header == 0) {
            return 0;
        }
        long[] s = nursery.storage;
        int o = (int) header;
        s[o] = Header.make(1, tag);
        s[o + Header.WORDS] = f0;
        return Value.ofAddress(Header.fieldsAddressOf(header));
    }

    /**
     * The nursery fast path for a two-field block, fields included; returns 0 (and allocates
     * nothing) if the nursery is full. Fresh young blocks need no write barrier.
     */
    public long tryAllocateYoung2(int tag, long f0, long f1) {
        long header = reserveYoung(Header.WORDS + 2);
        if (header == 0) {
            return 0;
        }
        long[] s = nursery.storage;
        int o = (int) header;
        s[o] = Header.make(2, tag);
        s[o + Header.WORDS] = f0;
        s[o + Header.WORDS + 1] = f1;
        return Value.ofAddress(Header.fieldsAddressOf(header));
    }

    /**
     * Bumps the nursery's allocation pointer by {@code words} (header included) if there is room:
     * returns the address of the reserved words, else 0 — never a nursery address, whose chunk
     * index is at least 1.
     */
    private long reserveYoung(int words) {
        Nursery n = nursery;
        long header = n.top;
        long end = header + words;
        if (end > n.limit) {
            return 0;
        }
        n.top = end;
        if (PointerCheck.ENABLED) {
            n.markStart(header);
        }
        return header;
    }

    /**
     * Allocates directly in the major heap (large blocks, ephemerons): fields are {@code NONE},
     * colour the {@linkplain MajorHeap#allocationColour allocation colour}. May run a minor
     * collection and a slice first. Returns 0 if the heap is exhausted after a full collection.
     */
    public long allocateOld(int sizeWords, int tag) {
        policy.addWork(Header.blockWords(sizeWords));
        collections.majorWorkAfterDirectAllocation();
        long cell = major.allocate(sizeWords);
        if (cell == 0) {
            collections.collectAll("heap limit reached");
            cell = major.allocate(sizeWords);
            if (cell == 0) {
                return 0;
            }
        }
        directMajorWords += Header.blockWords(sizeWords);
        arena.write(cell, Header.make(sizeWords, tag, major.allocationColour()));
        if (sizeWords > 0) {
            arena.fill(Header.fieldsAddressOf(cell), sizeWords, Value.NONE);
        }
        return Value.ofAddress(Header.fieldsAddressOf(cell));
    }

    /**
     * After promotion overshot the heap limit (or the JVM's, spending the reserve): a full
     * collection, then is live data within the limit, and the reserve taken back?
     */
    private boolean reclaimForLimit() {
        collections.collectAll("heap limit reached");
        return major.liveWords() <= major.maxHeapWords() && !memory.isSpent();
    }

    /** Words, headers included, allocated directly in the major heap so far. */
    long directMajorWords() {
        return directMajorWords;
    }
}
