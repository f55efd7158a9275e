package dev.ephemera;

/**
 * A snapshot of the collector's statistics, with OCaml's {@code Gc.stat} names (in camelCase).
 * Words are 8 bytes; word counts include block headers.
 */
public final class GcStat {
    /** Words allocated in the minor heap since the heap was created. */
    public final long minorWords;
    /** Words promoted from the minor heap to the major heap. */
    public final long promotedWords;
    /** Words allocated in the major heap, promoted words included. */
    public final long majorWords;
    /** Minor collections so far. */
    public final long minorCollections;
    /** Major cycles finished so far. */
    public final long majorCollections;
    /** Size of the major heap in words. */
    public final long heapWords;
    /** Arena chunks of the major heap: the mark-sweep space's, plus one per large block. */
    public final int heapChunks;
    /**
     * Words of allocated blocks in the major heap: exact when a major cycle ends, then growing
     * with promotion and major allocation (blocks that died since are counted until a sweep
     * frees them, as in OCaml).
     */
    public final long liveWords;
    /** Words of the major heap not held by allocated blocks. */
    public final long freeWords;
    /** The largest {@code heapWords} ever reached. */
    public final long topHeapWords;
    /** Compactions of the major heap so far ({@code Gc.compact} and automatic ones). */
    public final long compactions;
    /**
     * Full collections asked for: one per {@code Gc.fullMajor} and per {@code Gc.compact} that
     * ran its cycles (OCaml's {@code forced_major_collections}, counted as OCaml 4.14 counts it:
     * not {@code Gc.major}, nor a call whose first finalisers raised). Unlike OCaml's, not an
     * automatic compaction: OCaml finishes an extra cycle before one and counts that, ours
     * compacts at the end of the cycle that found the heap sparse.
     */
    public final long forcedMajorCollections;
    /**
     * Major cycles finished at once, on a request or when forced: by {@code major}, the cycles of
     * {@code fullMajor} (an elided second one included) and {@code compact}, {@code majorSlice}
     * with incremental collection off, at the heap's limit, or because allocation outran the
     * cycle. Not the stop-the-world collector's automatic cycles. Ours (OCaml has no such
     * count): with {@code majorSlices} it tells whether the pacing keeps the cycles incremental.
     */
    public final long majorCyclesFinishedAtOnce;
    /** Slices of major cycles so far (a stop-the-world cycle is one slice). */
    public final long majorSlices;
    /** The phase the running major cycle resumes at its next slice, or null when none is running. */
    public final dev.ephemera.event.Phase majorPhase;

    GcStat(long minorWords, long promotedWords, long majorWords, long minorCollections,
           long majorCollections, long heapWords, int heapChunks, long liveWords, long freeWords,
           long topHeapWords, long forcedMajorCollections, long majorCyclesFinishedAtOnce, long majorSlices,
           dev.ephemera.event.Phase majorPhase, long compactions) {
        this.forcedMajorCollections = forcedMajorCollections;
        this.majorCyclesFinishedAtOnce = majorCyclesFinishedAtOnce;
        this.majorSlices = majorSlices;
        this.majorPhase = majorPhase;
        this.minorWords = minorWords;
        this.promotedWords = promotedWords;
        this.majorWords = majorWords;
        this.minorCollections = minorCollections;
        this.majorCollections = majorCollections;
        this.heapWords = heapWords;
        this.heapChunks = heapChunks;
        this.liveWords = liveWords;
        this.freeWords = freeWords;
        this.topHeapWords = topHeapWords;
        this.compactions = compactions;
    }

    @Override
    public String toString() {
        return "minor_words: " + minorWords + "\npromoted_words: " + promotedWords
                + "\nmajor_words: " + majorWords + "\nminor_collections: " + minorCollections
                + "\nmajor_collections: " + majorCollections + "\nheap_words: " + heapWords
                + "\nheap_chunks: " + heapChunks + "\nlive_words: " + liveWords
                + "\nfree_words: " + freeWords + "\ntop_heap_words: " + topHeapWords
                + "\ncompactions: " + compactions + "\nforced_major_collections: " + forcedMajorCollections
                + "\nmajor_cycles_finished_at_once: " + majorCyclesFinishedAtOnce
                + "\nmajor_slices: " + majorSlices + "\nmajor_phase: " + (majorPhase == null ? "idle" : majorPhase);
    }
}
