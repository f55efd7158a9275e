package dev.ephemera.gc;

import dev.ephemera.event.GcEvent;
import dev.ephemera.event.HeapCorruptionError;

/**
 * Runs the collections and decides when: minor collections, slices of the major cycle as the
 * {@linkplain CollectionPolicy policy} paces them (after each minor collection, and after a
 * nursery's worth of direct major allocation), OCaml's explicit requests ({@code Gc.minor},
 * {@code Gc.major_slice}, {@code Gc.major}) and compactions. Each collection is counted, the
 * heap {@linkplain Verifier verified} after it when configured, and reported to the
 * {@linkplain CollectionNotifier observer}: started, sliced, ended.
 *
 * <p>Invariants: one collection runs at a time — {@code collecting} is set while one does, and
 * a request for another then (from a weak client, or a listener that collects) throws; and
 * every major slice starts on an empty nursery, so the major cycle only ever sees old blocks.
 * With {@code incremental} off, each cycle runs to its end in one slice (stop the world).
 */
final class CollectionDriver {
    private final GcConfig config;
    private final Nursery nursery;
    private final MajorHeap major;
    private final RememberedSet remembered;
    private final MinorCollector minorCollector;
    private final MajorCycle cycle;
    private final Marker marker;
    private final CollectionPolicy policy;
    private final Verifier verifier;
    private final Compactor compactor;
    private final CompactionTrigger compactionTrigger;
    private final MemoryReserve memory;
    private final FinaliserTable[] finalisers;
    private final CollectionNotifier notifier;
    private final PhaseTimer sliceTimer = new PhaseTimer();
    private final PhaseTimer cycleTimer = new PhaseTimer();
    /**
     * The reports of the collection just run, filled in place (a slice that ends a cycle needs
     * two at once): a collection allocates no event nobody reads (see {@link CollectionReport}).
     */
    private final CollectionReport report = new CollectionReport();
    private final CollectionReport cycleReport = new CollectionReport();
    /** The budget of paced and explicit slices, reset for each (one slice runs at a time). */
    private final Budget sliceBudget = Budget.of(0);
    /** A collection is running: a request for another (from a finaliser table, say) is a bug. */
    private boolean collecting;
    /**
     * Set when a collection failed half-way ({@link #corrupt}) or the verifier found the heap
     * corrupt ({@link #brokenBy}): the heap's state is then unknown, and every later collection
     * is refused with this error's message.
     */
    private HeapCorruptionError broken;
    /** The last collection was a major cycle that ran whole, from its start, in one request. */
    private boolean lastWasWholeMajor;

    private long minorCollections;
    private long majorCollections;
    private long majorSlices;
    /** Cycles finished at once (see {@link #majorCyclesFinishedAtOnce}). */
    private long majorCyclesFinishedAtOnce;
    /** OCaml's {@code forced_major_collections}: full collections asked for (see {@link #fullCollectionForced}). */
    private long forcedMajorCollections;
    private long compactions;
    private long promotedWords;
    /** The cycle in progress: its reason, slices, longest slice, total pause, sizes at its start. */
    private String cycleReason;
    private long cycleSlices;
    private long cycleMaxPause;
    private long cyclePause;
    private long cycleHeapBefore;
    private long cycleLiveBefore;
    /** The cycle in progress is being finished by an explicit request (counted as forced). */
    private boolean cycleForced;

    CollectionDriver(GcConfig config, Nursery nursery, MajorHeap major, RememberedSet remembered,
            MinorCollector minorCollector, MajorCycle cycle, Marker marker, CollectionPolicy policy,
            Verifier verifier, Compactor compactor, MemoryReserve memory, FinaliserTable[] finalisers) {
        this.config = config;
        this.nursery = nursery;
        this.major = major;
        this.remembered = remembered;
        this.minorCollector = minorCollector;
        this.cycle = cycle;
        this.marker = marker;
        this.policy = policy;
        this.verifier = verifier;
        this.compactor = compactor;
        this.memory = memory;
        this.finalisers = finalisers;
        this.notifier = new CollectionNotifier(nursery);
        this.compactionTrigger = new CompactionTrigger(config.maxOverhead);
    }

    void setObserver(CollectionObserver observer) {
        notifier.setObserver(observer);
    }

    /** A minor collection asked for by library code, for {@code reason} (as logged and reported). */
    void minor(String reason) {
        collectMinor(reason);
    }

    /** A minor collection, then the major work the policy asks for. */
    private void collectMinor(String reason) {
        runMinor(reason);
        majorWorkAfterMinor();
    }

    /**
     * After a minor collection: a slice of the running cycle (finishing it if the mutator has
     * outrun it), or the start of a cycle if one is due; with incremental collection off, a
     * whole cycle when one is due.
     */
    private void majorWorkAfterMinor() {
        if (!config.incremental) {
            if (policy.majorDue()) {
                runSlice("major work due", Budget.unlimited());
            }
            return;
        }
        if (cycle.state() == MajorCycle.State.IDLE) {
            if (policy.cycleDue(major.liveWords(), major.heapWords())) {
                runSlice("major work due", sliceBudget.reset(automaticBudget()));
            }
        } else if (policy.cycleOutrun()) {
            cycleForced = true;
            runSlice("the mutator outran the cycle", Budget.unlimited());
        } else {
            long budget = automaticBudget();
            if (budget > 0) {
                runSlice("major slice", sliceBudget.reset(budget));
            }
        }
    }

    /** The budget of an automatic slice: what the pacing owes, or the configured fixed size. */
    private long automaticBudget() {
        long owed = policy.sliceBudget();
        return config.fixedSliceWords > 0 ? config.fixedSliceWords : owed;
    }

    /** Direct major allocations drive slices too, once a nursery's worth has accumulated. */
    void majorWorkAfterDirectAllocation() {
        boolean due = config.incremental
                ? (cycle.state() != MajorCycle.State.IDLE && policy.sliceDueAfterDirectAllocation(nursery.sizeWords()))
                        || (cycle.state() == MajorCycle.State.IDLE && policy.cycleDue(major.liveWords(), major.heapWords()))
                : policy.majorDue();
        if (due) {
            collectMinor("major work due");
        }
    }

    /**
     * OCaml's {@code Gc.major_slice n}: a minor collection, then a slice doing about the work
     * the pacing owes for {@code words} words promoted ({@code words} = 0: the work owed now).
     * Starts a cycle if none is running. Returns the units of work the slice did.
     */
    long majorSlice(long words) {
        if (words < 0) {
            throw new IllegalArgumentException("Gc.major_slice: " + words + " words is negative");
        }
        runMinor("explicit major slice");
        if (!config.incremental) {
            cycleForced = true;
            return runSlice("explicit major slice", Budget.unlimited());
        }
        long budget = words == 0 ? Math.max(automaticBudget(), 1) : policy.budgetFor(words);
        return runSlice("explicit major slice", sliceBudget.reset(budget));
    }

    /**
     * OCaml's {@code Gc.major} (its {@code caml_finish_major_cycle}): a minor collection, then
     * the cycle in progress finished — or, if none was, a whole cycle run. Returns true in the
     * second case: everything unreachable when it was called is then freed or (finalise-first
     * values) queued; a cycle already in progress frees only what was unreachable when it
     * started, and the rest floats to the next one.
     */
    boolean finishCycle(String reason) {
        emptyNursery(reason);
        boolean whole = cycle.state() == MajorCycle.State.IDLE;
        cycleForced = true;
        runSlice(reason, Budget.unlimited());
        lastWasWholeMajor = whole;
        return whole;
    }

    /** A full collection: the cycle in progress finished, then a whole cycle. */
    void collectAll(String reason) {
        if (!finishCycle(reason)) {
            finishCycle(reason);
        }
    }

    private void emptyNursery(String reason) {
        if (nursery.usedWords() > 0 || !remembered.isEmpty()) {
            runMinor(reason);
        }
    }

    /**
     * A minor collection alone, with no major work after it: for explicit slices and cycles,
     * which run their own, and for a nursery resize.
     */
    void runMinor(String reason) {
        checkNotCollecting();
        notifyStarted(GcEvent.Kind.MINOR, reason);
        collecting = true;
        try {
            long start = System.nanoTime();
            long condemned = nursery.usedWords();
            long heapBefore = major.heapWords();
            sliceTimer.start();
            long promoted = minorCollector.collect(sliceTimer);
            minorCollections++;
            lastWasWholeMajor = false;
            promotedWords += promoted;
            policy.addWork(promoted);
            long pause = System.nanoTime() - start;
            if (config.verify) {
                verifier.verify("after minor collection " + minorCollections);
            }
            report.set(GcEvent.Kind.MINOR, minorCollections, reason, pause, condemned, promoted, heapBefore,
                    heapBefore, major.heapWords(), major.liveWords(), sliceTimer, 0, pause);
        } catch (NullPointerException | ArrayIndexOutOfBoundsException e) {
            throw corrupt(reason, e);
        } catch (HeapCorruptionError e) {
            throw brokenBy(e);
        } finally {
            collecting = false;
        }
        afterCollection();
        notifier.ended(report);
    }

    /** After a collection: the reserve asked for again, the nursery capped while it is spent. */
    private void afterCollection() {
        nursery.setCap(memory.nurseryCap(major.small()));
    }

    /**
     * Runs one slice of the major cycle with {@code budget}, starting a cycle if none is running
     * (the nursery must be empty); reports the slice, and the cycle if it ends. Returns the work
     * done.
     */
    private long runSlice(String reason, Budget budget) {
        checkNotCollecting();
        boolean starting = cycle.state() == MajorCycle.State.IDLE;
        if (starting) {
            notifyStarted(GcEvent.Kind.MAJOR, reason);
        }
        notifier.sliceStarting();
        boolean done;
        long spent;
        collecting = true;
        try {
            long start = System.nanoTime();
            long heapBefore = major.heapWords();
            if (starting) {
                cycleReason = reason;
                cycleSlices = 0;
                cycleMaxPause = 0;
                cyclePause = 0;
                cycleHeapBefore = heapBefore;
                cycleLiveBefore = major.liveWords();
                cycleTimer.start();
                policy.cycleStarted(major.liveWords(), major.heapWords());
                cycle.start(policy.keepFreeWords());
            }
            sliceTimer.start();
            done = cycle.slice(budget, sliceTimer);
            long pause = System.nanoTime() - start;
            majorSlices++;
            cycleSlices++;
            cyclePause += pause;
            cycleMaxPause = Math.max(cycleMaxPause, pause);
            cycleTimer.add(sliceTimer);
            spent = budget.spent();
            policy.sliceDone(spent);
            if (done) {
                majorCollections++;
                if (cycleForced) {
                    majorCyclesFinishedAtOnce++;
                }
                cycleForced = false;
                lastWasWholeMajor = false;
                policy.cycleEnded(major.liveWords());
            }
            if (config.verify) {
                verifier.verify((done ? "after major collection " + majorCollections : "after major slice " + majorSlices)
                        + " (" + (done ? "cycle ended" : "next phase " + cycle.currentPhase()) + ")");
            }
            report.set(GcEvent.Kind.MAJOR_SLICE, majorSlices, reason, pause, major.liveWords(),
                    marker.markedWords(), 0, heapBefore, major.heapWords(), major.liveWords(),
                    sliceTimer, budget.spent(), pause);
            if (done) {
                cycleReport.set(GcEvent.Kind.MAJOR, majorCollections, cycleReason, cyclePause,
                        cycleLiveBefore, major.liveWords(), 0, cycleHeapBefore, major.heapWords(),
                        major.liveWords(), cycleTimer, cycleSlices, cycleMaxPause);
            }
        } catch (NullPointerException | ArrayIndexOutOfBoundsException e) {
            throw corrupt(reason, e);
        } catch (HeapCorruptionError e) {
            throw brokenBy(e);
        } finally {
            collecting = false;
        }
        afterCollection();
        notifier.sliced(report);
        if (done) {
            notifier.ended(cycleReport);
            String why = compactionTrigger.due(majorCollections, major);
            if (why != null) {
                compact(why);
            }
        }
        return spent;
    }

    /**
     * Tells the collector that a compaction follows the collections it runs now ({@code
     * Gc.compact}'s full major collection), so that a cycle ending in between does not compact
     * automatically first: the heap would be compacted twice in one request.
     */
    void compactionRequested(boolean requested) {
        compactionTrigger.setRequested(requested);
    }

    /**
     * Compacts the major heap (stop the world): finishes the cycle in progress first (the
     * compactor needs one ended, on an empty nursery), then moves live cells out of sparse
     * pages and gives empty chunks back to the JVM. {@code Gc.compact} runs a full major
     * collection first; this does not.
     */
    void compact(String reason) {
        if (cycle.state() != MajorCycle.State.IDLE) {
            finishCycle(reason);
        }
        emptyNursery(reason);
        checkNotCollecting();
        notifyStarted(GcEvent.Kind.COMPACTION, reason);
        collecting = true;
        try {
            long start = System.nanoTime();
            long heapBefore = major.heapWords();
            Compactor.Result r = compactor.compact();
            compactions++;
            lastWasWholeMajor = false;
            policy.cycleEnded(major.liveWords());
            long pause = System.nanoTime() - start;
            if (config.verify) {
                verifier.verify("after compaction " + compactions);
            }
            report.set(GcEvent.Kind.COMPACTION, compactions, reason, pause, major.liveWords(),
                    major.liveWords(), 0, heapBefore, major.heapWords(), major.liveWords(), null,
                    r.movedWords, pause);
        } catch (NullPointerException | ArrayIndexOutOfBoundsException e) {
            throw corrupt(reason, e);
        } catch (HeapCorruptionError e) {
            throw brokenBy(e);
        } finally {
            collecting = false;
        }
        notifier.ended(report);
    }

    /**
     * A major cycle whose outcome is already known ({@link #lastMajorIsFixedPoint} holds): it
     * is counted and reported like one (the event's reason says it was elided, its phases are
     * empty), but nothing is traced — it would mark the graph the last one marked and free
     * nothing.
     */
    void majorElided(String reason) {
        if (!lastMajorIsFixedPoint()) {
            throw new IllegalStateException("Collector.majorElided: the last major collection is not a fixed point");
        }
        checkNotCollecting();
        notifyStarted(GcEvent.Kind.MAJOR, reason);
        long live = major.liveWords();
        majorCollections++;
        majorCyclesFinishedAtOnce++;
        policy.cycleEnded(live);
        if (config.verify) {
            verify("after elided major collection " + majorCollections);
        }
        report.set(GcEvent.Kind.MAJOR, majorCollections, reason, 0, live, live, 0,
                major.heapWords(), major.heapWords(), live, null, 0, 0);
        notifier.ended(report);
    }

    /**
     * True if a major cycle started now would find exactly what the last one found and free
     * nothing: the last collection was a whole major cycle run in one request (nothing
     * allocated, collected or run by the mutator since it started), it resurrected nothing, and
     * — the caller's part — no mutator code (finaliser, guardian delivery) has run since. Then
     * the live graph is the one that cycle marked, and every unreachable block is already freed
     * and every weak reference to it cleared.
     */
    boolean lastMajorIsFixedPoint() {
        if (!lastWasWholeMajor || nursery.usedWords() != 0 || !remembered.isEmpty()) {
            return false;
        }
        for (FinaliserTable t : finalisers) {
            if (t.resurrectedInCycle != 0) {
                return false;
            }
        }
        return true;
    }

    /** Listeners are being told about a collection: the heap allocates nothing now. */
    boolean isNotifying() {
        return notifier.isNotifying();
    }

    /** A collection is running, or its listeners are being told about one. */
    boolean isBusy() {
        return collecting || isNotifying();
    }

    /**
     * The error for a collection that met a pointer it could not follow — a chunk that is not
     * mapped, an offset past a chunk's end: what a made-up or stale pointer stored with checked
     * mode off leads to (outside checked mode only the block an operation reads or writes
     * through is checked, not the values it stores). The JVM's exception must not reach the
     * client as such, and the collection stopped half-way, so the heap is marked broken.
     */
    private HeapCorruptionError corrupt(String reason, RuntimeException e) {
        broken = PointerCheck.unfollowable("collection (" + reason + "), which stopped half-way: the heap is unusable;"
                + " it", e);
        return broken;
    }

    /**
     * Runs the verifier on request ({@code Heap.verify}) or outside a collection (after an elided
     * one); a corrupt heap is marked broken as when the verifier runs after a collection.
     */
    void verify(String when) {
        try {
            verifier.verify(when);
        } catch (HeapCorruptionError e) {
            throw brokenBy(e);
        }
    }

    /**
     * The verifier found the heap corrupt: the collector's own invariants no longer hold, so a
     * later collection could free a live block or follow a freed one, and is refused as after a
     * collection that failed.
     */
    private HeapCorruptionError brokenBy(HeapCorruptionError e) {
        broken = e;
        return e;
    }

    private void checkNotCollecting() {
        if (broken != null) {
            throw new HeapCorruptionError("Collector: refused, an earlier collection failed or left the heap corrupt: "
                    + broken.getMessage(), broken);
        }
        if (collecting) {
            throw new IllegalStateException("Collector: a collection was requested while one is running");
        }
        if (notifier.isNotifying()) {
            throw new IllegalStateException("Collector: a collection was requested while a GcListener was being"
                    + " told about one (a listener must not collect or allocate in the heap)");
        }
    }

    private void notifyStarted(GcEvent.Kind kind, String reason) {
        notifier.started(kind, reason);
    }


    // ------------------------------------------------------------------ counts

    long minorCollections() {
        return minorCollections;
    }

    long majorCollections() {
        return majorCollections;
    }

    /** Slices of major cycles run so far (a stop-the-world cycle is one slice). */
    long majorSlices() {
        return majorSlices;
    }

    /** Major cycles finished at once, counted where {@code cycleForced} is set (the API's {@code GcStat} says which). */
    long majorCyclesFinishedAtOnce() {
        return majorCyclesFinishedAtOnce;
    }

    /** Full collections asked for so far, counted as OCaml counts {@code forced_major_collections}. */
    long forcedMajorCollections() {
        return forcedMajorCollections;
    }

    /**
     * A full collection asked for ({@code Gc.fullMajor}, {@code Gc.compact}) has run its cycles:
     * counted where OCaml 4.14's {@code caml_gc_full_major} and {@code caml_gc_compaction} count
     * it, once both cycles are done and before the finalisers they queued run. A call whose
     * first finalisers raised skips its second cycle and is not counted, as there.
     */
    void fullCollectionForced() {
        forcedMajorCollections++;
    }

    /** Compactions so far. */
    long compactions() {
        return compactions;
    }

    /** Words promoted by minor collections so far. */
    long promotedWords() {
        return promotedWords;
    }

    /** OCaml's {@code max_overhead}. */
    int maxOverhead() {
        return compactionTrigger.maxOverhead();
    }

    /** Sets OCaml's {@code max_overhead} (see {@link CompactionTrigger}). */
    void setMaxOverhead(int percent) {
        compactionTrigger.setMaxOverhead(percent);
    }
}
