package dev.ephemera.gc;

/**
 * The collector's parameters, fixed at heap creation except where a setter exists. Two defaults
 * can be changed by system properties, to run a whole test suite under collector stress: every
 * heap compacting at each cycle's end ({@value #STRESS_MAX_OVERHEAD}=0) — which makes any raw
 * pointer held across an allocation into an old block a stale pointer — and every slice tiny
 * ({@value #STRESS_SLICE_WORDS}=64), so cycles span many mutator operations.
 */
public final class GcConfig {
    /** System property: the default {@code max_overhead}. */
    public static final String STRESS_MAX_OVERHEAD = "ephemera.gc.maxOverhead";
    /** System property: the default fixed slice size (0: paced). */
    public static final String STRESS_SLICE_WORDS = "ephemera.gc.sliceWords";

    /** Nursery size in words (OCaml's {@code minor_heap_size}, default 256k words). */
    public int minorHeapWords = 256 * 1024;
    /** Percentage of live data the heap may add as garbage before a major collection (OCaml 4.14 default 120). */
    public int spaceOverhead = 120;
    /** The heap never grows beyond this many words (unlimited by default). */
    public long maxHeapWords = Long.MAX_VALUE;
    /** Initial major heap, in words. */
    public long initialHeapWords = 1L << 20;
    /** Growth step as a percentage of the heap (OCaml's {@code major_heap_increment} = 15). */
    public int heapIncrementPercent = 15;
    /** Run the verifier after every collection. */
    public boolean verify;
    /** Collect the major heap incrementally (in slices); false: stop the world for each cycle. */
    public boolean incremental = true;
    /** OCaml's {@code max_overhead}: compact when free words exceed this percentage of live words (1000000: never). */
    public int maxOverhead = Integer.getInteger(STRESS_MAX_OVERHEAD, 500);
    /** If positive, every automatic slice does this much work instead of what the pacing owes (testing, study). */
    public long fixedSliceWords = Long.getLong(STRESS_SLICE_WORDS, 0L);

    public GcConfig copy() {
        GcConfig c = new GcConfig();
        c.minorHeapWords = minorHeapWords;
        c.spaceOverhead = spaceOverhead;
        c.maxHeapWords = maxHeapWords;
        c.initialHeapWords = initialHeapWords;
        c.heapIncrementPercent = heapIncrementPercent;
        c.verify = verify;
        c.incremental = incremental;
        c.fixedSliceWords = fixedSliceWords;
        c.maxOverhead = maxOverhead;
        return c;
    }
}
