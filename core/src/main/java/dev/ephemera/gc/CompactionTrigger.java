package dev.ephemera.gc;

/**
 * When a major cycle ends in a compaction: OCaml 4.14's {@code max_overhead} policy
 * ({@code caml_compact_heap_maybe}) and a second test of ours for the fragmentation a
 * size-segregated heap has.
 *
 * <p>OCaml's test: free words over {@code max_overhead} percent of live words, after at least
 * three cycles, in a heap of more than one chunk (a compaction gives memory back by emptying
 * chunks: with one, it could only shuffle cells). Unlike OCaml, no extra cycle is run first to
 * measure without floating garbage: what floats is counted as live, which only makes the test
 * more conservative, and the pause stays one compaction long.
 *
 * <p>Ours: free words trapped in sparse pages ({@link PageSweeper#sparseFreeWords}) over a
 * tenth of {@code max_overhead} percent of live words (50 % by default), and at least
 * {@link #MIN_TRAPPED_WORDS} (16 MiB): below that a compaction's pause buys back too little. OCaml's free list reuses a hole for a block of any size, so its
 * overhead only measures garbage not yet reused; our pages of one size class cannot hold blocks
 * of another, so a heap whose data changed shape (many small blocks dropped, larger ones
 * allocated) keeps the small class's pages nearly empty for ever while the total overhead stays
 * far under 500 %.
 *
 * <p>{@code max_overhead} 1000000 or more disables both; 0 compacts at every cycle's end (the
 * collector stress mode), even in a one-chunk heap.
 */
final class CompactionTrigger {
    /** {@code max_overhead} at or above this never compacts (OCaml's convention). */
    static final int NEVER = 1_000_000;
    /** The fewest words trapped in sparse pages that our own test compacts for (16 MiB). */
    static final long MIN_TRAPPED_WORDS = 1L << 21;

    private int maxOverhead;
    /** {@code Gc.compact} is running its own full major collection: no automatic compaction. */
    private boolean requested;

    CompactionTrigger(int maxOverhead) {
        this.maxOverhead = maxOverhead;
    }

    /**
     * Why the cycle that just ended (the {@code majorCollections}-th) should end in a
     * compaction, or null if it should not.
     */
    String due(long majorCollections, MajorHeap major) {
        if (requested || maxOverhead >= NEVER || majorCollections < 3
                || (maxOverhead > 0 && major.small().chunkCount() < 2)) {
            return null;
        }
        long live = Math.max(1, major.liveWords());
        if (100.0 * major.freeWords() / live >= maxOverhead) {
            return "free words over max_overhead";
        }
        long trapped = major.sparseFreeWords();
        if (trapped >= MIN_TRAPPED_WORDS && 1000.0 * trapped / live >= maxOverhead) {
            return "free words trapped in sparse pages over max_overhead / 10";
        }
        return null;
    }

    /** {@code Gc.compact} starts ({@code true}) or ends its full major collection. */
    void setRequested(boolean requested) {
        this.requested = requested;
    }

    int maxOverhead() {
        return maxOverhead;
    }

    void setMaxOverhead(int percent) {
        if (percent < 0) {
            throw new IllegalArgumentException("Gc.set max_overhead: " + percent + " is negative");
        }
        this.maxOverhead = percent;
    }
}
