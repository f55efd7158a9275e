package dev.ephemera.bench;

import dev.ephemera.GcStat;
import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.Rank;
import dev.ephemera.RootArea;
import dev.ephemera.object.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * fragmentation: does the major heap shrink back to its live data once the data changes
 * shape? N two-field blocks {@code (i, i)} are allocated into an array of N slots (one
 * {@code allocArray}); 63 of every 64 are dropped (slot i keeps its block iff
 * {@code i mod 64 = 0}); the heap is collected; then N/4 blocks of 13 fields (every field j)
 * are allocated into the first N/4 dropped slots (block j into slot
 * {@code 64 (j / 63) + 1 + j mod 63}) and kept; the heap is collected again. Without a
 * compaction the pages of the two-field size class stay one sixty-fourth full for ever.
 *
 * <p>"Collected" depends on {@code compaction}: {@code explicit} calls {@code Gc.compact()};
 * {@code auto} calls {@code Gc.fullMajor()} at the default {@code max_overhead} (500), so only
 * the automatic policy compacts; {@code off} calls {@code Gc.fullMajor()} with
 * {@code maxOverhead(1000000)}, which never compacts. Reported: {@code live_words} and
 * {@code heap_words} ({@code Gc.stat()}) after each phase — {@code allocated} (the N pairs
 * held), {@code dropped} (after the first collection), {@code refilled} (the 13-field blocks
 * added), {@code final} (after the second collection) — as arrays in the order of
 * {@code phases}; {@code compact_seconds}, the wall time of each of the two collections, and
 * {@code seconds}, their sum. Same workload as {@code bench/peers/ocaml/fragmentation.ml}.
 * Afterwards (not timed) {@code pairs} and {@code blocks} count the blocks of 2 and 13 fields
 * still held and {@code check} adds their first fields ({@link Fragmentation#expectedCheck}).
 */
public final class Fragmentation {
    /** The modes, as {@code --compaction} names them. */
    public static final List<String> MODES = List.of("explicit", "auto", "off");
    /** The phases at which live and heap words are reported, in order. */
    public static final List<String> PHASES = List.of("allocated", "dropped", "refilled", "final");
    /** Fields of the blocks allocated after the drop. */
    public static final int BIG_FIELDS = 13;
    /** One block in this many is kept. */
    public static final int KEEP_EVERY = 64;
    /** {@code max_overhead} of the {@code off} mode. */
    public static final int NEVER = 1_000_000;

    private Fragmentation() {}

    /** Why these arguments cannot run, or null when they can. */
    public static String invalid(long n, String compaction) {
        if (n < KEEP_EVERY || n > 100_000_000L) {
            return "--n must be in [64, 100000000], got " + n;
        }
        if (!MODES.contains(compaction)) {
            return "--compaction must be explicit, auto or off, got " + compaction;
        }
        return null;
    }

    /** One run in a fresh heap. */
    public static BenchResult once(int n, String compaction) {
        String bad = invalid(n, compaction);
        if (bad != null) {
            throw new IllegalArgumentException("Fragmentation: " + bad);
        }
        HeapConfig config = HeapConfig.defaults();
        if (compaction.equals("off")) {
            config.maxOverhead(NEVER);
        }
        List<Long> live = new ArrayList<>();
        List<Long> heapWords = new ArrayList<>();
        List<Double> collect = new ArrayList<>();
        try (Heap heap = Heap.create(config); RootArea roots = heap.newRootArea(1, Rank.STRONG)) {
            roots.setUsed(1);
            long[] slots = roots.slots();
            long start = System.nanoTime();
            slots[0] = heap.allocArray(n, Value.UNIT);
            for (int i = 0; i < n; i++) {
                long pair = heap.alloc(0, Value.ofInt(i), Value.ofInt(i));
                heap.setField(slots[0], i, pair);
            }
            phase(heap, live, heapWords);
            long a = slots[0];
            for (int i = 0; i < n; i++) {
                if (i % KEEP_EVERY != 0) {
                    heap.setField(a, i, Value.UNIT);
                }
            }
            collect.add(collect(heap, compaction));
            phase(heap, live, heapWords);
            long[] fields = new long[BIG_FIELDS];
            for (int j = 0; j < n / 4; j++) {
                Arrays.fill(fields, Value.ofInt(j));
                long block = heap.allocFields(0, fields);
                heap.setField(slots[0], slot(j), block);
            }
            phase(heap, live, heapWords);
            collect.add(collect(heap, compaction));
            phase(heap, live, heapWords);
            double total = (System.nanoTime() - start) / 1e9;

            long pairs = 0;
            long blocks = 0;
            long check = 0;
            a = slots[0];
            for (int i = 0; i < n; i++) {
                long v = heap.field(a, i);
                if (Value.isBlock(v)) {
                    int size = heap.size(v);
                    if (size == 2) {
                        pairs++;
                    } else if (size == BIG_FIELDS) {
                        blocks++;
                    }
                    check += Value.intOf(heap.field(v, 0));
                }
            }
            GcStat st = heap.gc().stat();
            long lastLive = live.get(live.size() - 1);
            long lastHeap = heapWords.get(heapWords.size() - 1);
            return new BenchResult("fragmentation", "ephemera")
                    .put("n", n)
                    .put("compaction", compaction)
                    .put("seconds", collect.get(0) + collect.get(1))
                    .put("compact_seconds", collect)
                    .put("phases", PHASES)
                    .put("live_words", live)
                    .put("heap_words", heapWords)
                    .put("heap_live_ratio", (double) lastHeap / Math.max(1, lastLive))
                    .put("compactions", st.compactions)
                    .put("total_seconds", total)
                    .put("pairs", pairs)
                    .put("blocks", blocks)
                    .put("check", check)
                    .put("peak_heap_words", st.topHeapWords)
                    .put("jdk", Runtime.version().toString());
        }
    }

    /** The dropped slot that 13-field block {@code j} goes to: the j-th slot not a multiple of 64. */
    static int slot(int j) {
        return KEEP_EVERY * (j / (KEEP_EVERY - 1)) + 1 + j % (KEEP_EVERY - 1);
    }

    /** Pairs still held at the end: one per 64 slots, {@code ceil(n / 64)}. */
    public static long expectedPairs(long n) {
        return (n + KEEP_EVERY - 1) / KEEP_EVERY;
    }

    /** 13-field blocks held at the end: {@code n / 4}. */
    public static long expectedBlocks(long n) {
        return n / 4;
    }

    /** {@code check}: the multiples of 64 below n (the pairs kept) plus 0 + 1 + ... + (n/4 - 1). */
    public static long expectedCheck(long n) {
        long p = expectedPairs(n);
        long m = expectedBlocks(n);
        return KEEP_EVERY * (p * (p - 1) / 2) + m * (m - 1) / 2;
    }

    private static double collect(Heap heap, String compaction) {
        long t0 = System.nanoTime();
        if (compaction.equals("explicit")) {
            heap.gc().compact();
        } else {
            heap.gc().fullMajor();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void phase(Heap heap, List<Long> live, List<Long> heapWords) {
        GcStat st = heap.gc().stat();
        live.add(st.liveWords);
        heapWords.add(st.heapWords);
    }
}
