package dev.ephemera.gc;

import dev.ephemera.memory.Arena;
import dev.ephemera.memory.ChunkSupply;
import dev.ephemera.object.Header;

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
 * reports exhaustion once the collection is complete and the heap is consistent.
 */
final class MajorHeap {
    private final MarkSweepSpace small;
    private final LargeObjectSpace large;
    private long maxHeapWords;
    private int incrementPercent;
    private final long minIncrementWords;
    /** Standard chunks for growth, zeroed in the background. */
    private final ChunkSupply supply = new ChunkSupply();
    /** The words of whole pages in a standard chunk: a growth step this big takes a standard chunk. */
    private static final long STANDARD_CHUNK_PAGES_WORDS =
            (long) (ChunkSupply.STANDARD_WORDS / SizeClasses.PAGE_WORDS) * SizeClasses.PAGE_WORDS;
    private long topHeapWords;
    private long allocationColour = Header.WHITE;

    MajorHeap(Arena arena, long initialWords, long maxHeapWords, int incrementPercent) {
        this.small = new MarkSweepSpace(arena);
        this.large = new LargeObjectSpace(arena);
        this.maxHeapWords = maxHeapWords;
        this.incrementPercent = incrementPercent;
        this.minIncrementWords = 16L * SizeClasses.PAGE_WORDS;
        if (initialWords > 0) {
            small.addChunk(Math.min(initialWords, maxHeapWords));
        }
        noteSize();
    }

    /**
     * Allocates a block of {@code sizeWords} fields and returns its header address (the header
     * is the caller's to write), or 0 if that would take the heap beyond its maximum.
     */
    long allocate(int sizeWords) {
        if (!SizeClasses.isSmall(sizeWords)) {
            if (heapWords() + sizeWords + 1 > maxHeapWords) {
                return 0;
            }
            long a = large.allocate(sizeWords);
            noteSize();
            return a;
        }
        long cell = small.allocate(sizeWords);
        if (cell == 0) {
            long room = maxHeapWords - heapWords();
            if (room < SizeClasses.PAGE_WORDS) {
                return 0;
            }
            grow(room);
            cell = small.allocate(sizeWords);
        }
        return cell;
    }

    /**
     * Adds a chunk of the growth step to the mark-sweep space, at most {@code room} words. A
     * heap big enough to grow by a whole standard chunk takes one from the {@linkplain
     * ChunkSupply supply}, zeroed in the background; a smaller one allocates its (small) chunk.
     */
    private void grow(long room) {
        long words = Math.min(growthWords(), room);
        if (words >= STANDARD_CHUNK_PAGES_WORDS) {
            small.addChunk(supply.take());
        } else {
            small.addChunk(words);
        }
        noteSize();
    }

    /** Like {@link #allocate} but ignores the maximum: for promotion inside a collection. */
    long allocateUnbounded(int sizeWords) {
        long cell = sizeWords < SizeClasses.MAX_CELL_WORDS ? small.allocate(sizeWords) : 0;
        return cell != 0 ? cell : allocateUnboundedSlow(sizeWords);
    }

    private long allocateUnboundedSlow(int sizeWords) {
        if (!SizeClasses.isSmall(sizeWords)) {
            long a = large.allocate(sizeWords);
            noteSize();
            return a;
        }
        long cell = small.allocate(sizeWords);
        if (cell == 0) {
            grow(Long.MAX_VALUE);
            cell = small.allocate(sizeWords);
        }
        return cell;
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
    }

    void setIncrementPercent(int percent) {
        this.incrementPercent = percent;
    }

    int incrementPercent() {
        return incrementPercent;
    }

    MarkSweepSpace small() {
        return small;
    }

    LargeObjectSpace large() {
        return large;
    }
}
