package dev.ephemera.fuzz;

import dev.ephemera.HeapConfig;

/** The heap configurations programs run under (issue 6: tiny nursery, small major heap, default sizes). */
enum FuzzConfig {
    /** A 256-word nursery: a minor collection every few allocations. */
    TINY_NURSERY {
        @Override
        HeapConfig heapConfig() {
            return HeapConfig.defaults().minorHeapWords(256).initialHeapWords(4096).verifyEveryCollection(true);
        }
    },
    /** A small nursery and a small, bounded major heap that has to grow page by page. */
    SMALL_MAJOR_HEAP {
        @Override
        HeapConfig heapConfig() {
            return HeapConfig.defaults().minorHeapWords(1024).initialHeapWords(0).heapIncrementPercent(1)
                    .maxHeapWords(1 << 18).verifyEveryCollection(true);
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
    /** Default sizes: only explicit collections happen. */
    DEFAULT_SIZES {
        @Override
        HeapConfig heapConfig() {
            return HeapConfig.defaults().verifyEveryCollection(true);
        }
    };

    abstract HeapConfig heapConfig();

    /** The configuration of the program with this seed: mostly the small ones, where bugs hide. */
    static FuzzConfig forSeed(long seed) {
        int r = (int) Math.floorMod(seed >>> 7, 10L);
        return r < 4 ? TINY_NURSERY : r < 5 ? FINALISERS_AT_ALLOCATION : r < 8 ? SMALL_MAJOR_HEAP
                : r < 9 || Math.floorMod(seed >>> 17, 2L) == 0 ? DEFAULT_SIZES : FULL_PAGES;
    }
}
