package dev.ephemera;

import dev.ephemera.gc.GcConfig;
import java.util.function.Consumer;

/**
 * Parameters of a new {@link Heap}. All sizes are in words (8 bytes). Defaults follow OCaml
 * 4.14: a 256k-word minor heap, space overhead 120, heap increment 15%.
 *
 * <pre>{@code
 * Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(32 * 1024).maxHeapWords(1 << 24));
 * }</pre>
 */
public final class HeapConfig {
    private final GcConfig gc = new GcConfig();
    private Consumer<String> gcLog;
    private boolean gcLogSlices;
    private boolean runFinalisersOnAllocation;
    private FinaliserErrorHandler finaliserErrorHandler = FinaliserErrorHandler.PROPAGATE;
    private String name;
    private boolean mbean = true;

    private HeapConfig() {
        gc.verify = CheckedMode.ON;
    }

    /** {@return a configuration with every default} */
    public static HeapConfig defaults() {
        return new HeapConfig();
    }

    /**
     * Nursery size (OCaml {@code minor_heap_size}); at least 256 words.
     *
     * @param words the nursery's size in words
     * @return this configuration
     */
    public HeapConfig minorHeapWords(int words) {
        if (words < 256 || words > (1 << 28)) {
            throw new IllegalArgumentException("HeapConfig.minorHeapWords: " + words
                    + " words is out of range [256, 2^28]");
        }
        gc.minorHeapWords = words;
        return this;
    }

    /**
     * OCaml's {@code space_overhead}, a percentage, in [1, 1000000] (as {@code Gc.setSpaceOverhead}).
     *
     * @param percent how much garbage the major heap may hold, as a percentage of the live words
     * @return this configuration
     */
    public HeapConfig spaceOverhead(int percent) {
        if (percent < 1 || percent > 1_000_000) {
            throw new IllegalArgumentException("HeapConfig.spaceOverhead: " + percent
                    + " is out of range [1, 1000000]");
        }
        gc.spaceOverhead = percent;
        return this;
    }

    /**
     * The maximum size of the major heap; allocation beyond it raises
     * {@link HeapExhaustedException} (after a last full collection). At least 4096 words (a page);
     * {@code Long.MAX_VALUE} for no limit but the JVM's.
     *
     * <p><b>Default:</b> derived from the JVM's maximum memory ({@code Runtime.maxMemory()}, set
     * by {@code -Xmx}): half of what remains once twice the nursery (the nursery itself and the
     * collector's emergency reserve) and 32 MiB for the JVM and the client are set aside, and at
     * least 16 pages ({@link dev.ephemera.gc.GcConfig#defaultMaxHeapWords}). With a 4 GiB JVM
     * and the default nursery that is about 2 GiB (266 million words). The other half is
     * headroom for the collector's own tables (the mark stack, the remembered set), a
     * promotion's overshoot and the JVM's collector, so a growing heap ends in
     * {@code HeapExhaustedException}, not in the JVM's {@code OutOfMemoryError}. Should the JVM
     * refuse memory anyway (an unlimited heap, several heaps, a client that fills the JVM), the
     * collector reports that as exhaustion too and the heap stays consistent. The value in force
     * is {@link Gc#maxHeapWords()}.
     *
     * @param words the limit in words, or {@code Long.MAX_VALUE}
     * @return this configuration
     */
    public HeapConfig maxHeapWords(long words) {
        if (words < 4096) {
            throw new IllegalArgumentException("HeapConfig.maxHeapWords: " + words
                    + " words is below the minimum of 4096");
        }
        gc.maxHeapWords = words;
        return this;
    }

    /**
     * OCaml's {@code h} ({@code OCAMLRUNPARAM=h=...}): the initial size of the major heap, in
     * words, at most the {@linkplain #maxHeapWords maximum}. It is all allocated when the heap is
     * created (and zeroed by the JVM then: for a gigabyte, from a fraction of a second to a few
     * seconds where the system must first map the memory) and never given back: a compaction or
     * a sweep that empties chunks keeps this much, as OCaml never frees its first chunk, which
     * holds {@code h}. Only the JVM's own shortage of memory, or a large block that needs the
     * room at the maximum, takes it below, and a maximum lowered below it
     * ({@link Gc#setMaxHeapWords}) lowers it. An embedder that sizes the heap for its working set
     * this way has no growth while it runs, and so none of the memory the JVM must fault in for
     * growth (docs/design.md, "The JVM under the heap").
     *
     * <p><b>Default:</b> 2<sup>20</sup> words (8 MiB).
     *
     * @param words the initial heap in words (0 for none: the first allocation grows the heap)
     * @return this configuration
     */
    public HeapConfig initialHeapWords(long words) {
        if (words < 0) {
            throw new IllegalArgumentException("HeapConfig.initialHeapWords: " + words + " is negative");
        }
        gc.initialHeapWords = words;
        return this;
    }

    /**
     * OCaml's {@code major_heap_increment} as a percentage of the heap (1..1000).
     *
     * @param percent by how much the major heap grows when it must, as a percentage of its size
     * @return this configuration
     */
    public HeapConfig heapIncrementPercent(int percent) {
        if (percent < 1 || percent > 1000) {
            throw new IllegalArgumentException("HeapConfig.heapIncrementPercent: " + percent
                    + " is out of range [1, 1000]");
        }
        gc.heapIncrementPercent = percent;
        return this;
    }

    /**
     * Run the heap verifier after every collection (on by default in checked mode).
     *
     * @param on whether to verify after every collection
     * @return this configuration
     */
    public HeapConfig verifyEveryCollection(boolean on) {
        gc.verify = on;
        return this;
    }

    /**
     * Where to write one line per collection (kind, reason, pause, sizes); null for none.
     *
     * @param log the consumer of the log's lines, or null
     * @return this configuration
     */
    public HeapConfig gcLog(Consumer<String> log) {
        this.gcLog = log;
        return this;
    }

    /**
     * The GC log's verbose level: with {@code true}, a line for every major slice too.
     *
     * @param on whether the log has a line for every slice
     * @return this configuration
     */
    public HeapConfig gcLogSlices(boolean on) {
        this.gcLogSlices = on;
        return this;
    }

    /**
     * Collect the major heap incrementally (default {@code true}): a major cycle runs in slices
     * after minor collections, paced by allocation, as OCaml 4.14's does, so pauses stay short
     * whatever the heap's size. With {@code false} every major cycle stops the world until it
     * ends — for comparison and debugging.
     *
     * @param on whether major cycles run in slices
     * @return this configuration
     */
    public HeapConfig incremental(boolean on) {
        gc.incremental = on;
        return this;
    }

    /**
     * OCaml's {@code max_overhead}: when a major cycle ends with free words over this percentage
     * of live words — after the third cycle, in a heap of more than one chunk, as OCaml 4.14 —
     * the major heap is compacted; so is it when the free words trapped in sparse pages pass a
     * tenth of this percentage and 16 MiB (ours: pages of one size class cannot hold blocks of
     * another) (default 500; 1000000 or more: never; 0: at every cycle's end).
     *
     * @param percent the free-to-live percentage above which a cycle's end compacts
     * @return this configuration
     */
    public HeapConfig maxOverhead(int percent) {
        if (percent < 0) {
            throw new IllegalArgumentException("HeapConfig.maxOverhead: " + percent + " is negative");
        }
        gc.maxOverhead = percent;
        return this;
    }

    /**
     * A fixed size for automatic major slices, in units of work (about a word marked or
     * cleared, or four words swept), instead of the amount the pacing computes; 0 (the default)
     * paces. For testing and for studying the collector: small slices make a cycle span many
     * mutator operations. {@link Gc#majorSlice Gc.majorSlice(0)} uses it too.
     *
     * @param words the work of every automatic slice, or 0 to pace
     * @return this configuration
     */
    public HeapConfig sliceWords(long words) {
        if (words < 0) {
            throw new IllegalArgumentException("HeapConfig.sliceWords: " + words + " is negative");
        }
        gc.fixedSliceWords = words;
        return this;
    }

    /**
     * Make allocation a safe point too (OCaml runs finalisers at allocation points): pending
     * finalisers run at the start of an allocation that leaves the nursery fast path — one that
     * finds the nursery full, allocates a large block or an ephemeron, or allocates through a
     * call other than the one- and two-field {@code Heap.alloc}. Off by default: finalisers then
     * run only at explicit safe points — {@link Heap#poll()} and the explicit collection calls —
     * so allocation never runs client code.
     *
     * @param on whether allocations that leave the fast path run pending finalisers
     * @return this configuration
     */
    public HeapConfig runFinalisersOnAllocation(boolean on) {
        this.runFinalisersOnAllocation = on;
        return this;
    }

    /**
     * What happens when a finaliser throws; see {@link FinaliserErrorHandler}.
     *
     * @param handler the handler, called on the heap's owner thread
     * @return this configuration
     */
    public HeapConfig finaliserErrorHandler(FinaliserErrorHandler handler) {
        if (handler == null) {
            throw new IllegalArgumentException("HeapConfig.finaliserErrorHandler: handler is null");
        }
        this.finaliserErrorHandler = handler;
        return this;
    }

    /**
     * The heap's name: its JMX MBean is {@code dev.ephemera:type=Heap,name=NAME}, and its JFR
     * events and {@link System.Logger} lines carry it. By default {@code heap-N}, N counting the
     * heaps created in this JVM. Names need not be unique: a heap with an MBean whose name another
     * open heap with an MBean has is named {@code NAME-N} instead (see {@link Heap#name()}).
     *
     * @param name a non-empty name
     * @return this configuration
     */
    public HeapConfig name(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("HeapConfig.name: the name is null or empty");
        }
        this.name = name;
        return this;
    }

    /**
     * Whether the heap registers its {@link HeapMXBean} with the platform MBean server (on by
     * default). Registration happens on a background thread, so creating a heap never waits
     * for JMX; the MBean is unregistered when the heap is closed, or when the heap is garbage
     * collected without having been closed.
     *
     * @param on false to register no MBean
     * @return this configuration
     */
    public HeapConfig mbean(boolean on) {
        this.mbean = on;
        return this;
    }

    String name() {
        return name;
    }

    boolean mbean() {
        return mbean;
    }

    GcConfig gcConfig() {
        return gc.copy();
    }

    Consumer<String> gcLog() {
        return gcLog;
    }

    boolean gcLogSlices() {
        return gcLogSlices;
    }

    boolean runFinalisersOnAllocation() {
        return runFinalisersOnAllocation;
    }

    FinaliserErrorHandler finaliserErrorHandler() {
        return finaliserErrorHandler;
    }
}
