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
    /**
     * The major heap never grows beyond this many words; 0 (the default) means
     * {@link #defaultMaxHeapWords} of the JVM's maximum memory, {@code Long.MAX_VALUE} no limit
     * but the JVM's.
     */
    public long maxHeapWords = 0;
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

    /** The smallest default maximum heap: 16 pages (512 KiB). */
    public static final long MIN_DEFAULT_MAX_HEAP_WORDS = 16L * SizeClasses.PAGE_WORDS;
    /** What the default maximum leaves for the JVM itself and the client's Java objects: 32 MiB. */
    public static final long JVM_RESERVE_BYTES = 32L << 20;

    /**
     * The default maximum heap for a JVM whose maximum memory is {@code jvmMaxBytes}
     * ({@code Runtime.maxMemory()}) and a nursery of {@code minorHeapWords}: half of what is left
     * once the nursery and the collector's emergency reserve (a nursery's worth each, see
     * {@link MemoryReserve}) and 32 MiB for the JVM and the client are set aside. The other half
     * is headroom: the collector's own tables grow with the heap (the mark stack can hold an
     * entry per reachable block, the remembered set one per old slot pointing young), promotion
     * may overshoot the maximum by a nursery's worth before exhaustion is reported, and the JVM's
     * collector needs free space to place the large arrays the heap's chunks are. So the heap
     * reports {@code HeapExhaustedException} (after a last full collection) well before the JVM
     * would throw {@code OutOfMemoryError}. At least {@link #MIN_DEFAULT_MAX_HEAP_WORDS}; no
     * limit if the JVM has none. Every heap of a JVM gets the same default: several heaps that
     * each fill it together exceed the JVM, and the reserve then turns the JVM's refusal into
     * exhaustion.
     */
    public static long defaultMaxHeapWords(long jvmMaxBytes, int minorHeapWords) {
        if (jvmMaxBytes == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        long words = jvmMaxBytes / 8;
        long setAside = 2L * minorHeapWords + (long) MemoryReserve.RESERVE_PAGES * SizeClasses.PAGE_WORDS
                + MemoryReserve.CUSHION_WORDS + JVM_RESERVE_BYTES / 8;
        return Math.max(MIN_DEFAULT_MAX_HEAP_WORDS, (words - setAside) / 2);
    }

    /** {@link #maxHeapWords}, with 0 resolved to {@link #defaultMaxHeapWords} of this JVM. */
    public long resolvedMaxHeapWords() {
        return maxHeapWords > 0 ? maxHeapWords : defaultMaxHeapWords(Runtime.getRuntime().maxMemory(), minorHeapWords);
    }

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
