package dev.ephemera;

import dev.ephemera.event.Phase;
import dev.ephemera.gc.Collector;
import dev.ephemera.object.Value;
import java.util.function.Consumer;

/**
 * Collection control, statistics and finalisation: OCaml's {@code Gc} module, with Jane Street
 * Core's {@code Gc.add_finalizer} family.
 *
 * <h2>Collections</h2>
 * {@link #minor()}, {@link #majorSlice}, {@link #major()} and {@link #fullMajor()} have OCaml
 * 4.14's meanings and are safe points: pending finalisers run after the collection. The major
 * heap is collected by an incremental cycle — mark, clean, sweep — run in slices after minor
 * collections and paced by allocation ({@link HeapConfig#incremental}), so no pause grows with
 * the heap.
 *
 * <h2>Finalisation</h2>
 * {@link #finalise} (first kind): the function is called with the value at some point after
 * the value becomes unreachable; the value is resurrected for that cycle, so weak pointers and
 * ephemeron keys to it are not cleared until a later collection finds it dead again, and they
 * still hold it while the function runs. {@link #finaliseLast}: the function is called without
 * the value, after it is dead for good; every weak pointer and ephemeron slot that held it is
 * already empty. Each registration fires at most once. Anything reachable from a registered
 * heap function is alive, so a function that refers to its own value never fires (use
 * {@link #addFinalizerWithLeakProtection}). See {@link Finalisation} for the delivery model.
 */
public final class Gc {
    /**
     * The GC log as a {@link System.Logger}, named {@value #LOGGER_NAME}: one line per minor
     * collection, major cycle and compaction at level {@code DEBUG} ({@code FINE} in
     * {@code java.util.logging}), and at the verbose level {@code TRACE} ({@code FINER}) one
     * line per major slice too (an incremental cycle's many, a stop-the-world cycle's one), with
     * its work and pause; each line prefixed with the heap's name. Off unless the logging
     * configuration enables those levels.
     */
    public static final String LOGGER_NAME = "dev.ephemera.gc";

    private final Heap heap;
    private final Collector collector;
    private final EntryChecks checks;
    private final Finalisation finalisation;
    private final CoreFinalisers core;
    private final CollectionReporter reporter;
    /** A requested collection is being carried out: requests made meanwhile wait for the next safe point. */
    private boolean servicing;

    Gc(Heap heap, Collector collector, EntryChecks checks, Finalisation finalisation, CoreFinalisers core,
            CollectionReporter reporter) {
        this.heap = heap;
        this.collector = collector;
        this.checks = checks;
        this.finalisation = finalisation;
        this.core = core;
        this.reporter = reporter;
        collector.setObserver(reporter);
    }

    // ================================================================== collections

    /** {@code Gc.minor}: a minor collection, then pending finalisers. */
    public void minor() {
        checks.enter("Gc.minor");
        collector.minor();
        safePoint();
        serviceRequests();
    }

    /**
     * A minor collection that is not a safe point: finalisers it queues stay queued until the
     * next one. For library code that wants the young generation collected in the middle of an
     * operation during which no finaliser may run — the weak hash tables use it before growing
     * (with finalisers run at allocations, see also {@link #beginNoSafePoints}). {@code reason}
     * is the collection's reason in GC events and the log.
     *
     * @param reason the collection's reason, as events and the log report it
     */
    public void minorWithoutFinalisers(String reason) {
        checks.enter("Gc.minorWithoutFinalisers");
        if (reason == null) {
            throw new IllegalArgumentException("Gc.minorWithoutFinalisers: the reason is null");
        }
        collector.minor(reason);
    }

    /**
     * Opens a region in which allocation is not a safe point, even with
     * {@link HeapConfig#runFinalisersOnAllocation(boolean) runFinalisersOnAllocation(true)}:
     * finalisers selected meanwhile stay queued until the first safe point after it. For
     * library code that must not have a finaliser run in the middle of an operation — the weak
     * tables open one around every modification, so a finaliser cannot change a table while it
     * is being changed. Regions nest; close each with {@link #endNoSafePoints} in a
     * {@code finally} block. Explicit collection calls and {@link Heap#poll()} stay safe points.
     */
    public void beginNoSafePoints() {
        checks.enter("Gc.beginNoSafePoints");
        finalisation.beginNoSafePoints();
    }

    /** Closes the innermost region opened by {@link #beginNoSafePoints}. */
    public void endNoSafePoints() {
        checks.enter("Gc.endNoSafePoints");
        finalisation.endNoSafePoints("Gc.endNoSafePoints");
    }

    /** {@return words allocated in the nursery since the last minor collection} */
    public long minorHeapUsedWords() {
        checks.enter("Gc.minorHeapUsedWords");
        return collector.youngWordsInUse();
    }

    /**
     * {@code Gc.major_slice n}: a minor collection, then a slice of the major cycle — enough work
     * to free about {@code words} words, as the pacing reckons it; with {@code words} = 0, the
     * work the pacing owes now — starting a cycle if none is running; then pending finalisers.
     * Returns the units of work the slice did (OCaml returns an unspecified integer). With
     * incremental collection off, a slice is a whole cycle.
     *
     * @param words the words the slice should free, or 0 for the work the pacing owes
     * @return the units of work the slice did
     * @throws IllegalArgumentException if {@code words} is negative
     */
    public long majorSlice(long words) {
        checks.enter("Gc.major_slice");
        long work = collector.majorSlice(words);
        safePoint();
        return work;
    }

    /**
     * {@code Gc.major}: a minor collection, then the current major cycle finished — a whole cycle
     * if none was running — then pending finalisers. A cycle already in progress frees only what
     * was unreachable when it began; what died since floats to the next cycle, as in OCaml
     * (use {@link #fullMajor()} to free everything unreachable now).
     */
    public void major() {
        checks.enter("Gc.major");
        collector.major();
        safePoint();
        serviceRequests();
    }

    /**
     * {@code Gc.full_major} (OCaml 4.14): the current major cycle finished (a whole one if none
     * was running), pending finalisers, then one complete cycle more — which frees everything
     * unreachable when this was called, and what the first one's finalise-first functions did
     * not resurrect — and pending finalisers again. If a finaliser raises after the first
     * cycle, the exception propagates and the second cycle is skipped.
     *
     * <p>The second cycle is elided when it could not change anything: the first was a whole
     * cycle started by this call, it resurrected nothing (no finalise-first value, MPS-finalized
     * block or guarded object was selected), no finaliser ran and nothing was handed to a
     * guardian in between, and GC messages are not enabled. The first cycle then already freed
     * everything unreachable when it started; with no mutator code run since, a second one
     * would mark the same graph and free nothing. (OCaml needs its second cycle also because
     * the first may be the end of a cycle begun long before, which leaves floating garbage;
     * then ours runs it too.) An elided cycle is still counted, as OCaml counts two, and
     * reported to listeners with its reason and a zero pause. (Listeners and the GC log only
     * observe — see {@link GcListener} — so they do not count as code that ran.)
     */
    public void fullMajor() {
        checks.enter("Gc.full_major");
        collector.major();
        long ran = mutatorRuns();
        safePoint();
        checks.enter("Gc.full_major"); // a finaliser may have closed the heap
        if (ran != mutatorRuns()
                || !collector.lastMajorIsFixedPoint()
                || heap.messages().isEnabled(Message.Type.GC_START)
                || heap.messages().isEnabled(Message.Type.GC)) {
            collector.finishCycle("full_major's second cycle");
        } else {
            collector.majorElided("full_major's second cycle, elided: nothing changed since the first");
        }
        collector.fullCollectionForced(); // before the second cycle's finalisers run, as OCaml counts it
        safePoint();
        serviceRequests();
    }

    /**
     * {@code Gc.compact}: a full major collection (two cycles, as {@link #fullMajor()} without
     * its elision), then the major heap compacted — live blocks of sparse pages moved into dense
     * ones, and the chunks left empty given back to the JVM (its own heap use falls at its next
     * collection). Stop the world. Raw pointers held across it are stale: keep values in roots.
     */
    public void compact() {
        checks.enter("Gc.compact");
        // As OCaml 4.14's caml_gc_compaction: the cycle in progress finished, finalisers run,
        // then a whole cycle and the compaction with nothing in between — so nothing has been
        // allocated since that cycle's sweep, whose per-page counts then plan the compaction.
        collector.compactionRequested(true);
        try {
            collector.major();
            safePoint();
            checks.enter("Gc.compact"); // a finaliser may have closed the heap
            collector.finishCycle("Gc.compact's second cycle");
            collector.fullCollectionForced();
        } finally {
            collector.compactionRequested(false);
        }
        collector.compact("explicit compaction");
        safePoint();
        serviceRequests();
    }

    /**
     * {@return OCaml's {@code max_overhead}: when a major cycle ends with free words over this
     * percentage of live words — after the third cycle, in a heap of more than one chunk, as
     * OCaml 4.14 — the heap is compacted; so is it when the free words trapped in sparse pages
     * pass a tenth of this percentage and 16 MiB (ours: pages of one size class cannot hold
     * blocks of another) (default 500; 1000000 or more never compacts; 0 compacts at every
     * cycle's end)}
     */
    public int maxOverhead() {
        checks.enter("Gc.maxOverhead");
        return collector.maxOverhead();
    }

    /**
     * Sets {@code max_overhead} (see {@link #maxOverhead()}).
     *
     * @param percent the free-to-live percentage above which a cycle's end compacts
     */
    public void setMaxOverhead(int percent) {
        checks.enter("Gc.set");
        collector.setMaxOverhead(percent);
    }

    /** Finalisers started plus values handed to guardians: the mutator code a safe point runs. */
    private long mutatorRuns() {
        return finalisation.started() + heap.guardians().delivered();
    }

    /**
     * Runs pending finalisers and delivers guardians' hand-backs. A finaliser may close the heap:
     * then nothing more is done here, and a caller with more collector work to do after this
     * checks the heap again ({@link HeapClosedException} naming its operation).
     */
    private void safePoint() {
        finalisation.runPending();
        if (!checks.isClosed()) {
            heap.guardians().deliver();
        }
    }

    /**
     * Carries out the collection requested through the heap's {@link HeapMXBean}, if any: the
     * strongest of the requests made since the last safe point. Called on the owner thread at
     * the end of {@link Heap#poll()} and of the explicit collection calls.
     */
    void serviceRequests() {
        HeapMonitor monitor = reporter.monitor();
        if (monitor == null || servicing) {
            return;
        }
        int requests = monitor.takeRequests();
        if (requests == 0) {
            return;
        }
        servicing = true;
        try {
            if ((requests & HeapMonitor.COMPACT) != 0) {
                compact();
            } else if ((requests & HeapMonitor.FULL_MAJOR) != 0) {
                fullMajor();
            } else {
                minor();
            }
        } finally {
            servicing = false;
        }
    }

    // ================================================================== statistics

    /**
     * {@code Gc.stat}: statistics, exact as of now.
     *
     * @return the statistics: collections, words allocated, promoted and live, heap size, pauses
     */
    public GcStat stat() {
        checks.enter("Gc.stat");
        return new GcStat(collector.minorWords(), collector.promotedWords(), collector.majorWords(),
                collector.minorCollections(), collector.majorCollections(), collector.heapWords(),
                collector.heapChunks(), collector.liveWords(), collector.freeWords(),
                collector.topHeapWords(), collector.forcedMajorCollections(),
                collector.majorCyclesFinishedAtOnce(), collector.majorSlices(), collector.majorPhase(),
                collector.compactions());
    }

    /**
     * {@code Gc.quick_stat}: the same counters (they are maintained, never recomputed).
     *
     * @return the statistics, as {@link #stat()} returns them
     */
    public GcStat quickStat() {
        return stat();
    }

    /** {@return minor collections so far; cheaper than {@link #stat()} (no allocation)} */
    public long minorCollections() {
        checks.enter("Gc.minorCollections");
        return collector.minorCollections();
    }

    /** {@return major collections so far; cheaper than {@link #stat()} (no allocation)} */
    public long majorCollections() {
        checks.enter("Gc.majorCollections");
        return collector.majorCollections();
    }

    /**
     * {@return slices of major cycles so far (a stop-the-world cycle is one); cheaper than
     * {@link #stat()} (no allocation)}
     */
    public long majorSlices() {
        checks.enter("Gc.majorSlices");
        return collector.majorSlices();
    }

    /**
     * {@code Gc.minor_words}.
     *
     * @return the words allocated in the nursery since the heap was created
     */
    public long minorWords() {
        checks.enter("Gc.minorWords");
        return collector.minorWords();
    }

    // ================================================================== control

    /** {@return the nursery size in words ({@code minor_heap_size})} */
    public int minorHeapWords() {
        checks.enter("Gc.minorHeapWords");
        return collector.minorHeapWords();
    }

    /**
     * Resizes the nursery; empties it first.
     *
     * @param words the new size in words, in [256, 2<sup>28</sup>]
     * @throws HeapExhaustedException if the JVM has no memory for the new nursery: the heap keeps
     *     the old one (emptied) and stays usable
     */
    public void setMinorHeapWords(int words) {
        checks.enter("Gc.set");
        if (!collector.setMinorHeapWords(words)) { // the nursery is as it was (emptied), the heap usable
            throw new HeapExhaustedException("Gc.set minor_heap_size: the JVM has no memory for a nursery of "
                    + words + " words");
        }
    }

    /**
     * {@code space_overhead}.
     *
     * @return the percentage of the live words the major heap may hold as garbage
     */
    public int spaceOverhead() {
        checks.enter("Gc.spaceOverhead");
        return collector.spaceOverhead();
    }

    /**
     * Sets {@code space_overhead}, the percentage of the live words the major heap may hold as
     * garbage; the pacing of major slices follows it.
     *
     * @param percent the new percentage, at least 1
     */
    public void setSpaceOverhead(int percent) {
        checks.enter("Gc.set");
        collector.setSpaceOverhead(percent);
    }

    /** {@return the maximum major heap size in words} */
    public long maxHeapWords() {
        checks.enter("Gc.maxHeapWords");
        return collector.maxHeapWords();
    }

    /**
     * Sets the maximum major heap size; allocation beyond it raises {@link HeapExhaustedException}
     * (see {@link HeapConfig#maxHeapWords}).
     *
     * @param words the new limit in words
     */
    public void setMaxHeapWords(long words) {
        checks.enter("Gc.set");
        collector.setMaxHeapWords(words);
    }

    /**
     * Adds a listener told about every collection.
     *
     * @param listener the listener, called on the heap's owner thread
     */
    public void addListener(GcListener listener) {
        checks.enter("Gc.addListener");
        if (listener == null) {
            throw new IllegalArgumentException("Gc.addListener: listener is null");
        }
        reporter.addListener(listener);
    }

    /**
     * Removes a listener added by {@link #addListener}; does nothing if it is not there.
     *
     * @param listener the listener to remove
     */
    public void removeListener(GcListener listener) {
        checks.enter("Gc.removeListener");
        reporter.removeListener(listener);
    }

    /**
     * Sets (or with null, clears) the one-line-per-collection log.
     *
     * @param log the consumer of the log's lines, or null for no log
     */
    public void setLog(Consumer<String> log) {
        checks.enter("Gc.setLog");
        reporter.setLog(log);
    }

    /**
     * The log's verbose level: with {@code true}, a line for every major slice too (its work and
     * pause).
     *
     * @param on whether the log has a line for every slice
     */
    public void setLogSlices(boolean on) {
        checks.enter("Gc.setLogSlices");
        reporter.setLogSlices(on);
    }

    /**
     * {@return the phase the running major cycle resumes at its next slice, or null when no cycle
     * is running}. {@link Phase#ROOTS} after a cycle's first slice means the cycle is still
     * marking the roots the heap itself holds (queued finalisers, finaliser functions), a
     * budgeted step at a time; marking is on from the first slice.
     */
    public Phase majorPhase() {
        checks.enter("Gc.majorPhase");
        return collector.majorPhase();
    }

    /** {@return true if major cycles run in slices ({@link HeapConfig#incremental})} */
    public boolean isIncremental() {
        checks.enter("Gc.isIncremental");
        return collector.isIncremental();
    }

    // ================================================================== OCaml finalisation

    /**
     * {@code Gc.finalise f v}: {@code f} is called with {@code v} once {@code v} is unreachable.
     *
     * @param f the finalisation function, called with {@code v} in a handle
     * @param v the block to finalise; it is resurrected for {@code f}
     */
    public void finalise(Finaliser f, long v) {
        Finalisation.requireFunction("Gc.finalise", f);
        finalisation.register("Gc.finalise", Collector.FINALISE_FIRST, v, Value.NONE, f);
    }

    /**
     * {@code Gc.finalise_last f v}: {@code f} is called once {@code v} is dead for good.
     *
     * @param f the finalisation function; it gets no value
     * @param v the block to finalise
     */
    public void finaliseLast(Runnable f, long v) {
        Finalisation.requireFunction("Gc.finalise_last", f);
        finalisation.register("Gc.finalise_last", Collector.FINALISE_LAST, v, Value.NONE, f);
    }

    /**
     * {@code Gc.finalise} with a heap function (a closure of the embedding language), called
     * through the {@linkplain #setFinaliserApplier applier}. The function is a root while the
     * registration lives: a function whose closure refers to {@code v} keeps {@code v} alive
     * for ever, exactly as in OCaml.
     *
     * @param function the heap function to call with {@code v}
     * @param v the block to finalise
     * @throws IllegalStateException if no {@linkplain #setFinaliserApplier applier} is set
     */
    public void finaliseWith(long function, long v) {
        finalisation.registerHeapFunction("Gc.finalise", Collector.FINALISE_FIRST, v, function, finalisation.applyFirst);
    }

    /**
     * {@code Gc.finalise_last} with a heap function, called with no value.
     *
     * @param function the heap function to call
     * @param v the block to finalise
     * @throws IllegalStateException if no {@linkplain #setFinaliserApplier applier} is set
     */
    public void finaliseLastWith(long function, long v) {
        finalisation.registerHeapFunction("Gc.finalise_last", Collector.FINALISE_LAST, v, function,
                finalisation.applyLast);
    }

    /**
     * Sets how heap functions registered with {@code finaliseWith} and friends are called; it
     * must be set before the first such registration, and cannot be unset.
     *
     * @param applier what calls a heap function with its value, at safe points on the owner thread
     */
    public void setFinaliserApplier(FinaliserApplier applier) {
        checks.enter("Gc.setFinaliserApplier");
        finalisation.setApplier(applier);
    }

    /** {@code Gc.finalise_release}: lets the next finaliser start without waiting for this one. */
    public void finaliseRelease() {
        checks.enter("Gc.finalise_release");
        finalisation.release();
    }

    /** {@return number of finalise-first and finalise-last registrations not yet selected} */
    public int registeredFinalisers() {
        checks.enter("Gc.registeredFinalisers");
        return collector.registeredFinalisers(Collector.FINALISE_FIRST)
                + collector.registeredFinalisers(Collector.FINALISE_LAST);
    }

    /** {@return number of finalisers queued and waiting for a safe point} */
    public int pendingFinalisers() {
        checks.enter("Gc.pendingFinalisers");
        return collector.queue(Collector.QUEUE_FINALISERS).size();
    }

    // ================================================================== Core's Gc.Expert (CoreFinalisers)

    /**
     * Core's {@code add_finalizer b f}: {@code f b} runs after {@code b} becomes unreachable.
     * An exception from {@code f} goes to the configured {@link FinaliserErrorHandler} (Core
     * exits the program; ours defaults to propagating). A value OCaml would refuse (a boxed
     * float, a lazy) is silently ignored, as Core ignores {@code Invalid_argument}; an immediate
     * is a programming error here (Core's type {@code Heap_block.t} excludes it).
     *
     * @param block the block to finalise
     * @param f the finalisation function, called with {@code block} in a handle
     */
    public void addFinalizer(long block, Finaliser f) {
        core.addFinalizer(block, f);
    }

    /**
     * Core's {@code add_finalizer_exn}: like {@link #addFinalizer} for any value, raising
     * {@link IllegalArgumentException} (Core: {@code Failure "Heap_block.create_exn called with
     * non heap block"}) when OCaml's {@code Gc.finalise} refuses the value and
     * {@code Heap_block.is_ok} is false for it: an immediate, a boxed float, a lazy or forward
     * block. (Core silently drops only static data, which this heap does not have.)
     *
     * @param v the value to finalise
     * @param f the finalisation function, called with {@code v} in a handle
     */
    public void addFinalizerExn(long v, Finaliser f) {
        core.addFinalizerExn(v, f);
    }

    /**
     * Core's {@code add_finalizer_ignore}: like {@link #addFinalizerExn} but never raises.
     *
     * @param v the value to finalise
     * @param f the finalisation function, called with {@code v} in a handle
     */
    public void addFinalizerIgnore(long v, Finaliser f) {
        core.addFinalizerIgnore(v, f);
    }

    /**
     * Core's {@code add_finalizer_last b f}.
     *
     * @param block the block to finalise
     * @param f the finalisation function, run once {@code block} is dead for good
     */
    public void addFinalizerLast(long block, Runnable f) {
        core.addFinalizerLast(block, f);
    }

    /**
     * Core's {@code add_finalizer_last_exn}: raises as {@link #addFinalizerExn} does.
     *
     * @param v the value to finalise
     * @param f the finalisation function, run once {@code v} is dead for good
     */
    public void addFinalizerLastExn(long v, Runnable f) {
        core.addFinalizerLastExn(v, f);
    }

    /**
     * Core's {@code add_finalizer_last_ignore}.
     *
     * @param v the value to finalise
     * @param f the finalisation function, run once {@code v} is dead for good
     */
    public void addFinalizerLastIgnore(long v, Runnable f) {
        core.addFinalizerLastIgnore(v, f);
    }

    /**
     * Core's {@code With_leak_protection.add_finalizer}, for a heap function: the function is
     * held only as the data of an ephemeron keyed by {@code block} ({@code K1.make block f}), and
     * the registered finaliser looks it up with {@code K1.query}. A function whose closure
     * refers to {@code block} therefore no longer keeps it alive for ever.
     *
     * @param block the block to finalise
     * @param function the heap function to call with {@code block}: not {@link Value#NONE}
     */
    public void addFinalizerWithLeakProtection(long block, long function) {
        core.addFinalizerWithLeakProtection(block, function);
    }

    /**
     * The leak-protected registration for a Java finaliser: {@code f} is boxed into the heap
     * ({@link Heap#allocForeign}) and held as the data of an ephemeron keyed by {@code block}.
     *
     * @param block the block to finalise
     * @param f the finalisation function, called with {@code block} in a handle
     */
    public void addFinalizerWithLeakProtection(long block, Finaliser f) {
        core.addFinalizerWithLeakProtection(block, f);
    }

    /** Core's {@code finalize_release}. */
    public void finalizeRelease() {
        finaliseRelease();
    }
}
