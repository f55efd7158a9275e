package dev.ephemera.bench;

import dev.ephemera.GcStat;
import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.Rank;
import dev.ephemera.RootArea;
import dev.ephemera.object.Value;
import java.util.Arrays;

/**
 * pauses: how long the mutator stalls while a large heap stays live. A list of N two-field
 * cells (value, next) is built and kept in a root; then M two-field blocks {@code (k, k)} are
 * allocated, every 16th ({@code k mod 16 = 0}) stored into slot {@code (k / 16) mod 10^6} of an
 * array of 10^6 slots (allocated with {@code allocArray}, so in the major heap: each store goes
 * through the write barrier). Every batch of 10,000 allocations is timed with
 * {@code System.nanoTime()} (when M is not a multiple of 10,000, the last, shorter batch is
 * timed and ranked as the others), so a batch's time includes whatever stopped the thread
 * during it — a minor collection, a major slice (or a whole stop-the-world cycle), and the
 * JVM's own collections. Reported: p50, p99 and max of the batch times (nearest rank), the allocation
 * phase's seconds, the major cycles finished during it, and which batch was the longest
 * ({@code max_batch}, from 0: the phase's first minor collection, which promotes what the
 * list's build left in the nursery, falls in batch 2). Same workload as
 * {@code bench/peers/ocaml/pauses.ml}; {@code impl} {@code stw} is ephemera with
 * {@code HeapConfig.incremental(false)}. Everything else is the default configuration.
 *
 * <p>Nothing listens to the heap's collections during the phase: a {@code GcListener} makes the
 * heap build an event for each, garbage on the JVM's heap that would bring one of the JVM's own
 * collections into the phase sooner (see {@code CollectionReport}).
 *
 * <p>{@code phase_uptime_s} is the JVM's uptime (seconds) when the allocation phase started and
 * ended, to find the phase in a log of {@code -Xlog:gc:...:uptime}. Afterwards (not timed) the
 * list is walked ({@code list_length} = N) and the first fields
 * of the pairs in the ring are added ({@code ring_sum}, see {@link #expectedRingSum}), so a
 * run that lost or corrupted a block is reported as wrong, never as fast.
 */
public final class Pauses {
    /** Allocations per timed batch. */
    public static final int BATCH = 10_000;
    /** Slots of the ring. */
    public static final int RING = 1_000_000;
    /** One allocation in this many is stored into the ring. */
    public static final int STORE_EVERY = 16;
    /** The largest list of a warm-up run. */
    public static final long WARM_UP_LIVE_CELLS = 1_000_000;
    /** The most allocations of a warm-up run. */
    public static final long WARM_UP_ALLOCS = 10_000_000;
    /**
     * The nursery (words) of the second warm-up run: some 18,000 minor collections in a fraction
     * of a second for 2×10^8 measured allocations. The code that runs once per collection (the
     * collection's driver, its phases, the events) must have been compiled by the JIT's
     * optimising tier before the measured phase, or the compiler thread compiles it during the
     * phase — measured on 2 processors: some fifty compilations spread over the phase, and
     * with the chunk supply's thread a third runnable thread that costs the heap's thread whole
     * 4-ms scheduler slices. A run with the default nursery makes about 100 collections per
     * 10^7 allocations, far below the optimising tier's thresholds (thousands of calls).
     */
    static final int WARM_UP_MINOR_HEAP_WORDS = 4096;
    /**
     * The most allocations of the small-nursery run (an eighth of the measured ones when fewer:
     * a small run needs less warming, and the tests run it with the verifier after every
     * collection), and the most cells of its list.
     */
    static final long WARM_UP_SMALL_NURSERY_ALLOCS = 30_000_000;
    static final long WARM_UP_SMALL_NURSERY_CELLS = 100_000;

    private Pauses() {}

    /** The {@code "impl"} name: {@code ephemera} (incremental) or {@code stw}. */
    public static String impl(boolean incremental) {
        return incremental ? "ephemera" : "stw";
    }

    /** Why these arguments cannot run, or null when they can. */
    public static String invalid(long liveCells, long allocs) {
        if (liveCells < 0 || liveCells > 1_000_000_000L) {
            return "--live-cells must be in [0, 1000000000], got " + liveCells;
        }
        if (allocs <= 0 || allocs > (long) Integer.MAX_VALUE * BATCH) {
            return "--allocs must be in [1, " + (long) Integer.MAX_VALUE * BATCH + "], got " + allocs;
        }
        return null;
    }

    /**
     * Warm-up runs (at most {@value #WARM_UP_LIVE_CELLS} cells and {@value #WARM_UP_ALLOCS}
     * allocations; skipped with {@code warmUp} false), then {@code repeat} measured runs in
     * fresh heaps; the run with the median seconds is returned.
     */
    public static BenchResult ephemera(long liveCells, long allocs, boolean incremental, int repeat, boolean warmUp) {
        if (!warmUp) {
            return Runs.median(() -> once(liveCells, allocs, incremental), repeat);
        }
        return Runs.medianAfterWarmUp(() -> warmUp(liveCells, allocs, incremental),
                () -> once(liveCells, allocs, incremental), repeat);
    }

    /**
     * The timed batches of a run of {@code allocs} allocations: whole batches of {@value #BATCH},
     * and a last, shorter one for the rest when {@code allocs} is not a multiple of it.
     */
    public static long batches(long allocs) {
        return (allocs - 1) / BATCH + 1; // allocs >= 1: no overflow near Long.MAX_VALUE
    }

    /**
     * One warm-up round for a run of these arguments: the same benchmark scaled down (at most
     * {@value #WARM_UP_LIVE_CELLS} cells and {@value #WARM_UP_ALLOCS} allocations), then one
     * with a small nursery so that the per-collection code is compiled too (see {@link
     * #WARM_UP_MINOR_HEAP_WORDS}; an eighth of the allocations, at most {@value
     * #WARM_UP_SMALL_NURSERY_ALLOCS}). Returns the first run's result.
     */
    public static BenchResult warmUp(long liveCells, long allocs, boolean incremental) {
        long cells = Math.min(liveCells, WARM_UP_LIVE_CELLS);
        BenchResult scaled = once(cells, Math.min(allocs, WARM_UP_ALLOCS), incremental);
        once(HeapConfig.defaults().incremental(incremental).minorHeapWords(WARM_UP_MINOR_HEAP_WORDS), incremental,
                Math.min(liveCells, WARM_UP_SMALL_NURSERY_CELLS), smallNurseryAllocs(allocs), RING);
        return scaled;
    }

    /** The small-nursery warm-up's allocations for a run of {@code allocs}: whole batches, at least one. */
    static long smallNurseryAllocs(long allocs) {
        return Math.max(BATCH, Math.min(allocs / 8, WARM_UP_SMALL_NURSERY_ALLOCS) / BATCH * BATCH);
    }

    /** One run in a fresh heap. */
    public static BenchResult once(long liveCells, long allocs, boolean incremental) {
        return once(liveCells, allocs, incremental, RING);
    }

    /** One run with a ring of {@code ring} slots instead of 10^6 (tests: a ring that wraps soon). */
    static BenchResult once(long liveCells, long allocs, boolean incremental, int ring) {
        return once(HeapConfig.defaults().incremental(incremental), incremental, liveCells, allocs, ring);
    }

    /** One run in a fresh heap of configuration {@code config} (whose {@code incremental} is given). */
    private static BenchResult once(HeapConfig config, boolean incremental, long liveCells, long allocs, int ring) {
        String bad = invalid(liveCells, allocs);
        if (bad != null) {
            throw new IllegalArgumentException("Pauses: " + bad);
        }
        int batches = (int) batches(allocs);
        long[] times = new long[batches];
        try (Heap heap = Heap.create(config);
             RootArea roots = heap.newRootArea(2, Rank.STRONG)) {
            roots.setUsed(2);
            long[] slots = roots.slots();
            long b0 = System.nanoTime();
            long list = Value.UNIT; // the empty list, as OCaml's Nil
            for (long i = 0; i < liveCells; i++) {
                list = heap.alloc(0, Value.ofInt(i), list); // alloc roots its arguments
            }
            slots[0] = list;
            slots[1] = heap.allocArray(ring, Value.UNIT);
            double buildSeconds = (System.nanoTime() - b0) / 1e9;

            GcStat before = heap.gc().stat();
            JvmPauses jvm = JvmPauses.start();
            java.lang.management.RuntimeMXBean runtime = java.lang.management.ManagementFactory.getRuntimeMXBean();
            double uptimeStart = runtime.getUptime() / 1e3;
            long k = 0;
            long t0 = System.nanoTime();
            for (int b = 0; b < batches; b++) {
                long bt = System.nanoTime();
                long end = Math.min(allocs, k + BATCH);
                batch(heap, slots, k, end, ring);
                k = end;
                times[b] = System.nanoTime() - bt;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double uptimeEnd = runtime.getUptime() / 1e3;
            JvmPauses.Summary js = jvm.stop();
            GcStat after = heap.gc().stat();

            long length = 0;
            for (long c = slots[0]; Value.isBlock(c); c = heap.field(c, 1)) {
                length++;
            }
            long ringSum = 0;
            long array = slots[1];
            for (int s = 0; s < ring; s++) {
                long v = heap.field(array, s);
                if (Value.isBlock(v)) {
                    ringSum += Value.intOf(heap.field(v, 0));
                }
            }
            int longest = 0;
            for (int b = 1; b < batches; b++) {
                if (times[b] > times[longest]) {
                    longest = b;
                }
            }
            Arrays.sort(times);
            return new BenchResult("pauses", impl(incremental))
                    .put("live_cells", liveCells)
                    .put("allocs", allocs)
                    .put("seconds", seconds)
                    .put("p50_ms", percentile(times, 50) / 1e6)
                    .put("p99_ms", percentile(times, 99) / 1e6)
                    .put("max_ms", times[batches - 1] / 1e6)
                    .put("major_collections", after.majorCollections - before.majorCollections)
                    .put("major_slices", after.majorSlices - before.majorSlices)
                    .put("major_cycles_finished_at_once", after.majorCyclesFinishedAtOnce - before.majorCyclesFinishedAtOnce)
                    .put("minor_collections", after.minorCollections - before.minorCollections)
                    .put("compactions", after.compactions - before.compactions)
                    .put("jvm_gc", js.collectors)
                    .put("jvm_gc_count", js.count)
                    .put("jvm_gc_ms", js.totalMillis)
                    .put("jvm_gc_pauses_max_ms", js.count == 0 ? 0 : js.maxMillis)
                    .put("incremental", incremental)
                    .put("batches", batches)
                    .put("max_batch", longest)
                    .put("build_seconds", buildSeconds)
                    .put("phase_uptime_s", java.util.List.of(uptimeStart, uptimeEnd))
                    .put("list_length", length)
                    .put("ring_sum", ringSum)
                    .put("heap_words", after.heapWords)
                    .put("peak_heap_words", after.topHeapWords)
                    .put("jdk", Runtime.version().toString());
        }
    }

    /**
     * One batch: allocations {@code from} to {@code end - 1}, every 16th stored into the ring.
     * A method of its own, called once per batch, so that the JIT compiles it as a method: as a
     * loop inside {@link #once}, a long method entered only a few times, it ran as on-stack
     * replacement code, which the JIT compiles from whatever profile the loop had when it
     * became hot — from one JVM to the next the same allocations took 0.035 or 0.06 ms a batch
     * at the median (the OCaml peer's loop is a function of its own too).
     */
    private static void batch(Heap heap, long[] slots, long from, long end, int ring) {
        for (long k = from; k < end; k++) {
            long pair = heap.alloc(0, Value.ofInt(k), Value.ofInt(k));
            if ((k & (STORE_EVERY - 1)) == 0) {
                // the ring is read from its root each time: a compaction may move it
                heap.setField(slots[1], (int) ((k / STORE_EVERY) % ring), pair);
            }
        }
    }

    /**
     * The nearest-rank percentile of sorted values: the smallest value such that at least
     * {@code pct} percent of them are at most it, {@code sorted[ceil(pct n / 100) - 1]}, in
     * integers (as the OCaml peer computes it).
     */
    public static long percentile(long[] sorted, int pct) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("Pauses.percentile: no values");
        }
        long rank = ((long) sorted.length * pct + 99) / 100;
        return sorted[(int) Math.max(0, rank - 1)];
    }

    /**
     * What {@code ring_sum} must be after {@code allocs} allocations: the pair stored last in
     * each slot is {@code (16 j, 16 j)} for the largest store number {@code j} that maps to that
     * slot ({@code j mod 10^6 = slot}, {@code j < ceil(allocs / 16)}); slots never stored add 0.
     */
    public static long expectedRingSum(long allocs) {
        return expectedRingSum(allocs, RING);
    }

    /** {@link #expectedRingSum(long)} for a ring of {@code ring} slots. */
    static long expectedRingSum(long allocs, int ring) {
        long stores = (allocs + STORE_EVERY - 1) / STORE_EVERY;
        long sum = 0;
        for (long slot = 0; slot < Math.min(stores, ring); slot++) {
            long last = slot + (stores - 1 - slot) / ring * ring;
            sum += last * STORE_EVERY;
        }
        return sum;
    }
}
