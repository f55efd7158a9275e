package dev.ephemera.gc;

import dev.ephemera.memory.Arena;
import dev.ephemera.memory.ChunkSupply;
import dev.ephemera.object.layout.Header;

/**
 * The old generation: the {@linkplain MarkSweepSpace mark-sweep space} for small blocks and the
 * {@linkplain LargeObjectSpace large-object space}, and the one place that decides whether the
 * heap may grow. Blocks here move only when the {@linkplain Compactor compactor} moves them.
 *
 * <p>Blocks are allocated with {@link #allocationColour()}; the caller writes the header.
 *
 * <p>The heap grows by a fraction of its size ({@code increment}, OCaml's
 * {@code major_heap_increment}) and never beyond {@code maxHeapWords}, except while a collection
 * promotes survivors: promotion must not fail half-way, so it may overshoot, and the collector
 * reports exhaustion once the collection is complete and the heap is consistent. The JVM's own
 * limit is handled the same way ({@link MemoryReserve}): a chunk the JVM refuses outside a
 * collection is the limit; promotion spends the reserve instead of failing.
 */
final class MajorHeap {
    private final MarkSweepSpace small;
    private final LargeObjectSpace large;
    private long maxHeapWords;
    private final int incrementPercent;
    private final long minIncrementWords;
    /** Standard chunks for growth, zeroed in the background. */
    private final ChunkSupply supply = new ChunkSupply();
    /** The words of whole pages in a standard chunk: a growth step this big takes a standard chunk. */
    private static final long STANDARD_CHUNK_PAGES_WORDS =
            (long) (ChunkSupply.STANDARD_WORDS / SizeClasses.PAGE_WORDS) * SizeClasses.PAGE_WORDS;
    private long topHeapWords;
    private long allocationColour = Header.WHITE;
    private final MemoryReserve memory;

    MajorHeap(Arena arena, long initialWords, long maxHeapWords, int incrementPercent, MemoryReserve memory) {
        this.memory = memory;
        this.small = new MarkSweepSpace(arena);
        this.large = new LargeObjectSpace(arena);
        this.maxHeapWords = maxHeapWords;
        this.incrementPercent = incrementPercent;
        this.minIncrementWords = 16L * SizeClasses.PAGE_WORDS;
        // OCaml's h: the whole initial heap is allocated now, in whole pages (rounded up, but
        // never past the maximum), in chunks of at most an eighth of the maximum and of the
        // largest Java array, and kept: an embedder that sizes the heap for its working set has
        // no growth (and no memory faulted in by the chunk supply's thread) while it runs. (Not
        // in standard chunks: four 2-MiB chunks for the default 8-MiB heap in place of one moved
        // a JVM young collection into bench pauses' timed phase in every run measured.)
        long page = SizeClasses.PAGE_WORDS;
        long words = Math.min(initialWords, maxHeapWords);
        long pages = Math.min(words / page + (words % page == 0 ? 0 : 1), maxHeapWords / page);
        long chunkPages = Math.max(1, Math.min(maxChunkWords() / page, (Integer.MAX_VALUE - 16) / page));
        for (long left = pages; left > 0; ) {
            long n = Math.min(left, chunkPages);
            small.addChunk(n * page);
            left -= n;
        }
        small.keepChunksAsFloor();
        noteSize();
    }

    /**
     * The largest chunk the mark-sweep space takes at a time: an eighth of the maximum (at least
     * a page). A chunk is given back only when all its pages are empty, so a heap made of one
     * chunk as large as the maximum — the initial chunk once was — could never make room for a
     * large block again as soon as one small block lived in it.
     */
    private long maxChunkWords() {
        return Math.max(SizeClasses.PAGE_WORDS, maxHeapWords / 8);
    }

    /**
     * Allocates a block of {@code sizeWords} fields and returns its header address (the header
     * is the caller's to write), or 0 if that would take the heap beyond its maximum.
     */
    long allocate(int sizeWords) {
        if (!SizeClasses.isSmall(sizeWords)) {
            if (heapWords() + sizeWords + 1 > maxHeapWords) {
                // empty small chunks are room a large block can use
                small.releaseEmptyChunksBelowFloor();
                if (heapWords() + sizeWords + 1 > maxHeapWords) {
                    return 0;
                }
            }
            if (memory.isSpent()) {
                return 0; // the JVM is short of memory: no new chunk outside a collection
            }
            long a;
            try {
                a = large.allocate(sizeWords);
            } catch (OutOfMemoryError jvmLimit) {
                spend(); // the JVM's limit: what the reserve frees is for the collection
                return 0;
            }
            if (!memory.hasHeadroom()) {
                large.undoAllocate(a); // the JVM would be left without room for anything else
                spend();
                return 0;
            }
            noteSize();
            return a;
        }
        long cell = small.allocate(sizeWords);
        if (cell != 0) {
            return cell;
        }
        // No free cell in the pages at hand: grow, and sweep every unswept page first only
        // where the heap may not grow (see MarkSweepSpace.allocateSlow for why).
        return growOutsideCollection() ? small.allocate(sizeWords) : small.allocateSweepingAll(sizeWords);
    }

    /**
     * Grows the mark-sweep space for an allocation outside a collection, if it may: room below
     * the maximum for a page, the JVM not short of memory, a chunk the JVM gives and still has
     * room beside. False (having let go of the reserve if the JVM refused) if it may not.
     */
    private boolean growOutsideCollection() {
        long room = maxHeapWords - heapWords();
        if (room < SizeClasses.PAGE_WORDS || memory.isSpent()) {
            return false; // at the maximum, or the JVM short of memory: no new chunk outside a collection
        }
        try {
            grow(Math.min(maxChunkWords(), room));
        } catch (OutOfMemoryError jvmLimit) {
            spend(); // the JVM's limit: what the reserve frees is for the collection
            return false;
        }
        if (!memory.hasHeadroom()) {
            small.releaseEmptyChunksBelowFloor(); // the new chunk, empty: the JVM needs the room
            spend();
            return false;
        }
        return true;
    }

    /**
     * Adds a chunk of the growth step to the mark-sweep space, at most {@code room} words. A
     * heap big enough to grow by a whole standard chunk takes one from the {@linkplain
     * ChunkSupply supply}, zeroed in the background; a smaller one allocates its (small) chunk.
     */
    private void grow(long room) {
        long words = Math.min(growthWords(), room);
        if (words >= STANDARD_CHUNK_PAGES_WORDS) {
            supply.keepReady(readyChunks());
            small.addChunk(supply.take());
        } else {
            small.addChunk(words);
        }
        noteSize();
    }

    /**
     * Standard chunks to keep ready: one per 16 chunks of heap, 1 to {@link ChunkSupply#MAX_READY}
     * — at most a sixteenth of the heap held in reserve, enough for the bursts in which a large
     * heap grows (promotion during a long major cycle: a chunk every few minor collections).
     */
    private int readyChunks() {
        return (int) Math.max(1, Math.min(ChunkSupply.MAX_READY, heapWords() / (16L * ChunkSupply.STANDARD_WORDS)));
    }

    /**
     * The JVM refused memory, or has too little left: lets go of the shared reserve and of the
     * chunks the supply holds ready — both are memory the collection and the client need now.
     */
    private void spend() {
        memory.spend();
        supply.drop();
    }

    /** {@link MarkSweepSpace#leaseBumpRegion}: for promotion inside a collection. */
    long leaseBumpRegion(int sizeClass) {
        return small.leaseBumpRegion(sizeClass);
    }

    /** {@link MarkSweepSpace#bumpLimit}. */
    long bumpLimit(int sizeClass) {
        return small.bumpLimit(sizeClass);
    }

    /** {@link MarkSweepSpace#endLease}. */
    void endLease(int sizeClass, long cursor, long words) {
        small.endLease(sizeClass, cursor, words);
    }

    /** Like {@link #allocate} but ignores the maximum: for promotion inside a collection. */
    long allocateUnbounded(int sizeWords) {
        long cell = sizeWords < SizeClasses.MAX_CELL_WORDS ? small.allocate(sizeWords) : 0;
        return cell != 0 ? cell : allocateUnboundedSlow(sizeWords);
    }

    private long allocateUnboundedSlow(int sizeWords) {
        if (!SizeClasses.isSmall(sizeWords)) {
            long a;
            try {
                a = large.allocate(sizeWords);
            } catch (OutOfMemoryError jvmLimit) {
                spend();
                a = large.allocate(sizeWords);
            }
            noteSize();
            return a;
        }
        long cell = small.allocate(sizeWords);
        if (cell == 0 && (memory.isSpent() || heapWords() + growthWords() > maxHeapWords)) {
            // growing now would take the JVM's last memory or pass the maximum: the free cells
            // of unswept pages first
            cell = small.allocateSweepingAll(sizeWords);
        }
        if (cell == 0) {
            growForPromotion();
            cell = small.allocate(sizeWords);
        }
        return cell;
    }

    /**
     * Grows the mark-sweep space for promotion, which must not fail half-way: by the usual
     * step while the JVM gives it. Once it refuses, the reserve is let go and the space grows
     * by one chunk of the nursery's size and a few pages, in the memory just freed — enough for
     * any promotion of a full nursery — then, if that is refused too, a page at a time. An
     * {@code OutOfMemoryError} escapes only if even a page is refused: the nursery cap applied
     * while the reserve is spent ({@link MemoryReserve#nurseryCap}) is there to prevent it.
     */
    private void growForPromotion() {
        if (!memory.isSpent()) {
            try {
                grow(Long.MAX_VALUE);
                if (!memory.hasHeadroom()) {
                    spend(); // keep the chunk, but let the JVM have the reserve's room
                }
                return;
            } catch (OutOfMemoryError jvmLimit) {
                spend();
                try {
                    small.addChunk(memory.promotionWords());
                    noteSize();
                    return;
                } catch (OutOfMemoryError stillRefused) {
                    // a page at a time, below
                }
            }
        }
        small.addChunk(SizeClasses.PAGE_WORDS);
        noteSize();
    }

    /**
     * The growth step: {@code incrementPercent} of the heap, at least sixteen pages and at most
     * a standard chunk — a big heap grows a chunk at a time, as it needs, never by hundreds of
     * megabytes at once for the JVM to zero.
     */
    private long growthWords() {
        long step = Math.max(minIncrementWords, heapWords() / 100 * incrementPercent);
        return Math.min(step, STANDARD_CHUNK_PAGES_WORDS);
    }

    /** Releases the chunks prepared in the background (the heap is being closed). */
    void close() {
        supply.close();
    }

    /** Starts the sweep of both spaces (after marking); blocks allocated from now on are white. */
    void startSweep() {
        allocationColour = Header.WHITE;
        small.startSweep();
        large.startSweep();
    }

    /** Sweeps until {@code budget} is spent; returns true when both spaces are swept. */
    boolean sweepSlice(Budget budget) {
        return small.sweepSlice(budget) && large.sweepSlice(budget);
    }

    /**
     * After a sweep: gives back whole empty chunks when the free space is more than twice
     * {@code keepFreeWords}, down to one and a half times it. The hysteresis keeps a heap that
     * breathes (big structures built and dropped in turn) from releasing chunks only to
     * allocate — and have the JVM zero — them again at the next cycle.
     */
    void finishSweep(long keepFreeWords) {
        if (small.freeWords() > 2 * keepFreeWords) {
            small.releaseEmptyChunks(keepFreeWords + keepFreeWords / 2);
        }
    }

    /**
     * The colour of blocks allocated in (or promoted to) the major heap now: {@link
     * Header#BLACK} while a major cycle marks or cleans — they are alive in this cycle, and
     * the marker need not scan them (the snapshot protects what they point to) — else white.
     */
    long allocationColour() {
        return allocationColour;
    }

    void setAllocationColour(long colour) {
        this.allocationColour = colour;
    }

    private void noteSize() {
        topHeapWords = Math.max(topHeapWords, heapWords());
    }

    /** Words of the major heap: all chunks of both spaces (OCaml's {@code heap_words}). */
    long heapWords() {
        return small.chunkWords() + large.words();
    }

    /** Words of allocated blocks, headers included (OCaml's {@code live_words}). */
    long liveWords() {
        return small.allocatedWords() + large.words();
    }

    long freeWords() {
        return small.freeWords();
    }

    /** Free words trapped in sparse pages of the small-object space, as its last sweep found them. */
    long sparseFreeWords() {
        return small.sweeper().sparseFreeWords();
    }

    long topHeapWords() {
        return topHeapWords;
    }

    int chunks() {
        return small.chunkCount() + large.count();
    }

    boolean isOverLimit() {
        return heapWords() > maxHeapWords;
    }

    long maxHeapWords() {
        return maxHeapWords;
    }

    void setMaxHeapWords(long words) {
        this.maxHeapWords = words;
        small.lowerFloorTo(words); // the initial heap is kept only within the maximum
    }

    MarkSweepSpace small() {
        return small;
    }

    LargeObjectSpace large() {
        return large;
    }
}
