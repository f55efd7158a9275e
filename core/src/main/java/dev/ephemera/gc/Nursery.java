package dev.ephemera.gc;

import dev.ephemera.memory.Arena;
import dev.ephemera.object.Value;

/**
 * The minor heap: one {@code long[]} where young blocks are bump-allocated upwards from
 * {@code base} to {@code limit}. A minor collection copies the survivors out and empties it.
 *
 * <p>Each time it is emptied the nursery is re-mapped at the next of a ring of reserved arena
 * chunk indices, and its previous index is unmapped. A raw pointer kept across a minor
 * collection therefore points into an unmapped chunk and fails loudly (in checked mode, as a
 * {@code StalePointerException}) instead of reading a new object that happens to sit at the same
 * offset. Being young is a chunk-index test: {@code chunkIndexOf(v) == chunkIndex}.
 *
 * <p>The nursery is not cleared when emptied: the allocator writes every word of a new block
 * (header and fields), which costs nothing extra on the lines it is about to touch anyway,
 * where clearing the whole nursery at each minor collection would stream it through the cache
 * once more.
 */
final class Nursery {
    static final byte CHUNK_KIND = 1;
    private static final int RING = 256;

    private final Arena arena;
    private final int[] ring = new int[RING];
    private int ringPos;
    /** The nursery's words; block at offset o has its header at storage[o]. */
    long[] storage;

    /** Arena chunk index the nursery is mapped at now. */
    int chunkIndex;
    /** Address of the first word. */
    long base;
    /** Address of the next free word; the next block's header goes here. */
    long top;
    /** Address one past the last word the allocator may use: the end, or the cap. */
    long limit;
    /** The most words the nursery may hold now ({@link MemoryReserve#nurseryCap}); normally unlimited. */
    private long cap = Long.MAX_VALUE;
    /** Words allocated in earlier epochs (OCaml's minor_words is this plus the current fill). */
    private long wordsAllocatedBefore;
    /**
     * Checked mode only ({@link PointerCheck#ENABLED}; null otherwise): bit {@code o} is set if a
     * block's header is at offset {@code o}, so that a pointer into the middle of a young block,
     * or at a header-looking word inside one, is told from a pointer to a block.
     */
    private long[] starts;

    Nursery(Arena arena, int sizeWords) {
        this.arena = arena;
        for (int i = 0; i < RING; i++) {
            ring[i] = arena.reserveIndex();
        }
        this.storage = new long[sizeWords];
        this.starts = PointerCheck.ENABLED ? new long[(sizeWords + 63) >>> 6] : null;
        mapAt(ring[0]);
    }

    /** Checked mode: records that a block's header is at {@code header} (called by allocation). */
    void markStart(long header) {
        int o = (int) header;
        starts[o >>> 6] |= 1L << o;
    }

    /**
     * Checked mode: true if {@code header} is the header of a block allocated in the nursery's
     * current epoch. False when checked mode is off (nothing is recorded then).
     */
    boolean isBlockStart(long header) {
        if (starts == null || !containsAllocated(header)) {
            return false;
        }
        int o = (int) header;
        return (starts[o >>> 6] & (1L << o)) != 0;
    }

    private void clearStarts() {
        if (starts != null) {
            java.util.Arrays.fill(starts, 0, (int) ((usedWords() + 63) >>> 6), 0L);
        }
    }

    private void mapAt(int index) {
        arena.map(index, storage, CHUNK_KIND);
        chunkIndex = index;
        base = Arena.address(index, 0);
        top = base;
        limit = base + Math.min(storage.length, cap);
    }

    /** True if {@code v} points into the nursery. */
    boolean isYoung(long v) {
        return (v & 1L) == 0 && Value.chunkIndexOf(v) == chunkIndex;
    }

    /**
     * Caps the words the nursery may hold (while the JVM is short of memory, so that promotion
     * never needs a new chunk); {@code Long.MAX_VALUE} lifts the cap. Takes effect at once.
     */
    void setCap(long words) {
        cap = Math.max(0, words);
        limit = Math.max(top, base + Math.min(storage.length, cap));
    }

    /**
     * Makes the nursery look full to the allocation fast paths, which then take the slow path
     * (where the heap refuses to allocate while listeners are told about a collection), until
     * {@link #resumeAllocation}.
     */
    void suspendAllocation() {
        limit = top;
    }

    /** Ends {@link #suspendAllocation}: the limit the cap sets, as before. */
    void resumeAllocation() {
        setCap(cap);
    }

    /** Words currently allocated. */
    long usedWords() {
        return top - base;
    }

    int sizeWords() {
        return storage.length;
    }

    /** Words allocated in the nursery since the heap was created. */
    long totalWordsAllocated() {
        return wordsAllocatedBefore + usedWords();
    }

    /**
     * Empties the nursery after a minor collection and moves it to the next ring index, so that
     * pointers into the old epoch become stale.
     */
    void reset() {
        clearStarts();
        wordsAllocatedBefore += usedWords();
        arena.unmap(chunkIndex);
        ringPos = (ringPos + 1) % RING;
        mapAt(ring[ringPos]);
    }

    /**
     * Replaces the storage by one of {@code sizeWords} words; the nursery must be empty. The new
     * arrays are allocated before anything changes: if the JVM refuses them (its {@code
     * OutOfMemoryError} propagates), the nursery is as it was and still mapped.
     */
    void resize(int sizeWords) {
        if (top != base) {
            throw new IllegalStateException("Nursery.resize: the nursery is not empty");
        }
        long[] fresh = new long[sizeWords];
        long[] freshStarts = starts != null ? new long[(sizeWords + 63) >>> 6] : null;
        arena.unmap(chunkIndex);
        storage = fresh;
        starts = freshStarts;
        mapAt(chunkIndex);
    }

    /** Unmaps the nursery and returns its indices; the heap is being closed. */
    void release() {
        if (arena.chunk(chunkIndex) != null) {
            arena.unmap(chunkIndex);
        }
        top = limit; // full: a closed heap's allocation fast path fails by construction, at no cost
    }

    /** True if {@code address} lies in the allocated part of the nursery. */
    boolean containsAllocated(long address) {
        return Arena.indexOf(address) == chunkIndex && address >= base && address < top;
    }
}
