package dev.ephemera.fuzz;

import dev.ephemera.HeapConfig;

/**
 * The heap configurations programs run under: stop-the-world ones (tiny nursery, small major
 * heap, default sizes...), where the model follows every collection exactly, and incremental
 * ones ({@link #relaxed()}), where cycles span acts and the run checks what the model allows.
 */
enum FuzzConfig {
    /** A 256-word nursery: a minor collection every few allocations. */
    TINY_NURSERY {
        @Override
        HeapConfig heapConfig() {
            return HeapConfig.defaults().minorHeapWords(256).initialHeapWords(4096).incremental(false)
                    .verifyEveryCollection(true);
        }
    },
    /** A small nursery and a small, bounded major heap that has to grow page by page. */
    SMALL_MAJOR_HEAP {
        @Override
        HeapConfig heapConfig() {
            return HeapConfig.defaults().minorHeapWords(1024).initialHeapWords(0).heapIncrementPercent(1)
                    .maxHeapWords(1 << 18).incremental(false).verifyEveryCollection(true);
        }
    },
    /**
     * A tiny nursery, and pending finalisers run at allocations too
     * ({@link HeapConfig#runFinalisersOnAllocation}): finaliser bodies then run in the middle
     * of allocation paths (make, get_copy, guardian delivery, foreign boxes, ...).
     */
    FINALISERS_AT_ALLOCATION {
        @Override
        HeapConfig heapConfig() {
            return TINY_NURSERY.heapConfig().runFinalisersOnAllocation(true);
        }
    },
    /**
     * A tiny nursery and stop-the-world major cycles, for programs that fill whole pages of one
     * size class ({@code Generator.fillPages}). Those allocate enough in the major heap for the
     * pacing to start cycles that span several acts; the model's major collection is
     * stop-the-world, and the run's observers read weak roots (which keeps their values alive
     * while a cycle marks), so an incremental cycle in flight across acts would leave floating
     * garbage the model does not know of.
     */
    FULL_PAGES {
        @Override
        HeapConfig heapConfig() {
            return TINY_NURSERY.heapConfig().incremental(false);
        }
    },
    /**
     * Incremental major cycles that span many acts: a tiny nursery and tiny slices (16 units of
     * work), so that marking, cleaning and sweeping are interleaved with every kind of act. What
     * floats to the next cycle cannot be foreseen, so the run checks what the model allows
     * ({@link #relaxed()}) and is exact after every whole cycle.
     */
    INCREMENTAL {
        @Override
        HeapConfig heapConfig() {
            return TINY_NURSERY.heapConfig().incremental(true).sliceWords(16).maxOverhead(1_000_000);
        }
    },
    /**
     * Incremental cycles as above, each ending with a compaction (max_overhead 0), in a heap
     * whose initial four pages are kept: a compaction of a heap with less live than that must
     * keep chunks it could empty.
     */
    COMPACTING {
        @Override
        HeapConfig heapConfig() {
            return INCREMENTAL.heapConfig().initialHeapWords(4 * 4096).maxOverhead(0);
        }
    },
    /** Incremental cycles as above, and pending finalisers run at allocations. */
    INCREMENTAL_FINALISERS_AT_ALLOCATION {
        @Override
        HeapConfig heapConfig() {
            return INCREMENTAL.heapConfig().runFinalisersOnAllocation(true);
        }
    },
    /** Default sizes: only explicit collections happen. */
    DEFAULT_SIZES {
        @Override
        HeapConfig heapConfig() {
            return HeapConfig.defaults().incremental(false).verifyEveryCollection(true);
        }
    };

    abstract HeapConfig heapConfig();

    /** True for the configurations whose cycles span acts: the run checks what the model allows. */
    boolean relaxed() {
        return this == INCREMENTAL || this == COMPACTING || this == INCREMENTAL_FINALISERS_AT_ALLOCATION;
    }

    /** True if pending finalisers run at allocations. */
    boolean finalisersAtAllocation() {
        return this == FINALISERS_AT_ALLOCATION || this == INCREMENTAL_FINALISERS_AT_ALLOCATION;
    }

    /** The configuration of an incremental program with this seed. */
    static FuzzConfig forIncrementalSeed(long seed) {
        int r = (int) Math.floorMod(seed >>> 7, 10L);
        return r < 5 ? INCREMENTAL : r < 8 ? COMPACTING : INCREMENTAL_FINALISERS_AT_ALLOCATION;
    }

    /** The configuration of the program with this seed: mostly the small ones, where bugs hide. */
    static FuzzConfig forSeed(long seed) {
        int r = (int) Math.floorMod(seed >>> 7, 10L);
        return r < 4 ? TINY_NURSERY : r < 5 ? FINALISERS_AT_ALLOCATION : r < 8 ? SMALL_MAJOR_HEAP
                : r < 9 || Math.floorMod(seed >>> 17, 2L) == 0 ? DEFAULT_SIZES : FULL_PAGES;
    }
}
