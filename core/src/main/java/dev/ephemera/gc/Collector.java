package dev.ephemera.gc;

import dev.ephemera.event.GcEvent;
import dev.ephemera.event.HeapCorruptionError;
import dev.ephemera.event.Phase;
import dev.ephemera.memory.Arena;
import dev.ephemera.memory.ChunkSupply;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.Header;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The generational plan: a {@linkplain Nursery nursery} collected by copying into a
 * non-moving {@linkplain MajorHeap major heap} collected by an incremental mark-sweep
 * {@linkplain MajorCycle cycle}, with weak processing in both, composed and scheduled here.
 *
 * <p>Allocation: blocks of up to {@link #MAX_YOUNG_WORDS} fields are bump-allocated in the
 * nursery; larger ones, and ephemerons, go straight to the major heap. When the nursery is full
 * a minor collection runs, and after it a slice of the major cycle if one is running or due
 * ({@linkplain CollectionPolicy policy}); direct major allocations drive slices too. Explicit
 * requests follow OCaml: {@link #minor} empties the nursery, {@link #majorSlice} does a slice,
 * {@link #finishCycle} finishes the cycle in progress (starting one if none is). With
 * {@code incremental} off, each cycle runs to its end in one slice (stop the world).
 *
 * <p>Every slice starts on an empty nursery, so the major cycle only ever sees old blocks.
 *
 * <p>This class never runs client code: finalisers are only queued here; the API layer runs
 * them at safe points. It is used by one thread at a time (the heap's owner).
 */
public final class Collector {
    /** The largest block allocated in the nursery (OCaml's {@code Max_young_wosize}). */
    public static final int MAX_YOUNG_WORDS = 256;

    /** Finaliser table: {@code Gc.finalise} (resurrecting), queued on {@link #QUEUE_FINALISERS}. */
    public static final int FINALISE_FIRST = 0;
    /** Finaliser table: {@code Gc.finalise_last}, queued on {@link #QUEUE_FINALISERS}. */
    public static final int FINALISE_LAST = 1;
    /** Finaliser table: MPS {@code mps_finalize} (resurrecting), queued on {@link #QUEUE_MESSAGES}. */
    public static final int FINALISE_MPS = 2;
    /** Finaliser table: guardian registrations (function = the guardian, weak), queued on {@link #QUEUE_GUARDIANS}. */
    public static final int FINALISE_GUARDIAN = 3;

    /** Queue of OCaml-style finalisers, run at safe points. */
    public static final int QUEUE_FINALISERS = 0;
    /** Queue of MPS finalizations, to be posted as messages right after the collection. */
    public static final int QUEUE_MESSAGES = 1;
    /** Queue of objects handed back to their guardians. */
    public static final int QUEUE_GUARDIANS = 2;

    private final GcConfig config;
    private final Arena arena;
    private final Nursery nursery;
    private final MajorHeap major;
    private final RememberedSet remembered = new RememberedSet();
    private final WriteBarrier barrier;
    private final RootSet roots = new RootSet();
    private final EphemeronFixpoint majorEphemerons;
    private final Marker marker;
    private final MajorCycle cycle;
    private final WeakSlots weakSlots;
    private final MinorCollector minorCollector;
    private final CollectionPolicy policy;
    private final ActionRegistry actions = new ActionRegistry();
    /** The last collection was a major cycle that ran whole, from its start, in one request. */
    private boolean lastWasWholeMajor;
    private final FinalisationQueue[] queues = {
        new FinalisationQueue(actions), new FinalisationQueue(actions), new FinalisationQueue(actions)
    };
    private final FinaliserTable[] finalisers = {
        new FinaliserTable(FinaliserTable.Kind.FIRST, queues[QUEUE_FINALISERS], actions),
        new FinaliserTable(FinaliserTable.Kind.LAST, queues[QUEUE_FINALISERS], actions),
        new FinaliserTable(FinaliserTable.Kind.MPS, queues[QUEUE_MESSAGES], actions),
        new FinaliserTable(FinaliserTable.Kind.GUARDIAN, queues[QUEUE_GUARDIANS], actions),
    };
    private final ForeignTable foreign = new ForeignTable();
    private final PhaseTimer sliceTimer = new PhaseTimer();
    private final PhaseTimer cycleTimer = new PhaseTimer();
    private final Verifier verifier;
    private final PointerCheck pointers;
    private final MemoryReserve memory;
    private final Compactor compactor;
    private long compactions;
    private final CompactionTrigger compactionTrigger;
    private final CollectionNotifier notifier = new CollectionNotifier();
    /** A collection is running: a request for another (from a finaliser table, say) is a bug. */
    private boolean collecting;
    private long registrationSequence;

    private long minorCollections;
    private long majorCollections;
    private long majorSlices;
    private long forcedMajorCollections;
    private long promotedWords;
    private long directMajorWords;
    /** The cycle in progress: its reason, slices, longest slice, total pause, sizes at its start. */
    private String cycleReason;
    private long cycleSlices;
    private long cycleMaxPause;
    private long cyclePause;
    private long cycleHeapBefore;
    private long cycleLiveBefore;
    /** The cycle in progress is being finished by an explicit request (counted as forced). */
    private boolean cycleForced;

    public Collector(GcConfig config) {
        this.config = config.copy();
        this.arena = new Arena();
        this.nursery = new Nursery(arena, config.minorHeapWords);
        this.memory = new MemoryReserve(config.minorHeapWords);
        this.major = new MajorHeap(arena, config.initialHeapWords, config.resolvedMaxHeapWords(),
                config.heapIncrementPercent, memory);
        this.barrier = new WriteBarrier(arena, nursery, remembered);
        this.majorEphemerons = EphemeronFixpoint.forMajor(arena);
        this.marker = new Marker(arena, nursery, majorEphemerons);
        // The weak clients, in the order they are called in each band; the ephemerons clear
        // first and the finaliser tables last (a table ends a minor collection by moving its
        // young boundary).
        List<WeakClient> shared = new ArrayList<>();
        shared.add(roots.weakRoots());
        shared.add(foreign);
        shared.addAll(List.of(finalisers));
        shared.addAll(List.of(queues));
        List<WeakClient> minorClients = new ArrayList<>();
        minorClients.add(EphemeronFixpoint.forMinor(arena, remembered));
        minorClients.addAll(shared);
        EphemeronFixpoint minorEphemerons = (EphemeronFixpoint) minorClients.get(0);
        List<WeakClient> majorClients = new ArrayList<>();
        majorClients.add(majorEphemerons);
        majorClients.addAll(shared);
        this.minorCollector = new MinorCollector(arena, nursery, major, remembered, minorEphemerons, roots, minorClients);
        this.cycle = new MajorCycle(major, marker, majorEphemerons, barrier, roots, majorClients);
        this.weakSlots = new WeakSlots(arena, barrier, cycle, marker);
        this.policy = new CollectionPolicy(config.spaceOverhead,
                Math.max(4L * config.minorHeapWords, 4096));
        this.verifier = new Verifier(arena, nursery, major, remembered, roots, finalisers, queues, foreign,
                cycle, marker, majorEphemerons);
        this.pointers = new PointerCheck(arena, nursery, major, cycle);
        this.compactor = new Compactor(arena, major.small(), major.large(), roots, majorClients);
        this.compactionTrigger = new CompactionTrigger(config.maxOverhead);
    }

    /** Checked mode's pointer check: is a value the start of a live block of this heap? */
    public PointerCheck pointers() {
        return pointers;
    }

    public Arena arena() {
        return arena;
    }

    public WriteBarrier barrier() {
        return barrier;
    }

    public RootSet roots() {
        return roots;
    }

    /** The mutator's access to ephemeron slots and weak roots (phase-dependent). */
    public WeakSlots weakSlots() {
        return weakSlots;
    }

    /** One of the finalisation queues ({@link #QUEUE_FINALISERS}, ...). */
    public FinalisationQueue queue(int which) {
        return queues[which];
    }

    public void setObserver(CollectionObserver observer) {
        notifier.setObserver(observer);
    }

    // ------------------------------------------------------------------ allocation

    /**
     * Allocates a block of {@code sizeWords} fields with {@code tag}; its fields are
     * {@link Value#NONE}. May collect: every raw pointer the caller holds outside a root is
     * invalid afterwards. Returns 0 if the heap is exhausted even after a full collection.
     */
    public long allocate(int sizeWords, int tag) {
        if (sizeWords <= MAX_YOUNG_WORDS) {
            long v = tryAllocateYoung(sizeWords, tag);
            return v != 0 ? v : allocateAfterMinor(sizeWords, tag);
        }
        return allocateOld(sizeWords, tag);
    }

    private long allocateAfterMinor(int sizeWords, int tag) {
        collectMinor("minor heap full");
        if ((major.isOverLimit() || memory.isSpent()) && !reclaimForLimit()) {
            return 0;
        }
        long v = tryAllocateYoung(sizeWords, tag);
        // A block larger than the whole (tiny) nursery goes to the major heap.
        return v != 0 ? v : allocateOld(sizeWords, tag);
    }

    /**
     * The nursery fast path alone: allocates a young block of {@code sizeWords} (at most
     * {@link #MAX_YOUNG_WORDS}) fields, all {@code NONE}, if there is room, else returns 0
     * without collecting.
     */
    public long tryAllocateYoung(int sizeWords, int tag) {
        int words = Header.WORDS + (sizeWords == 0 ? 1 : sizeWords);
        long header = reserveYoung(words);
        if (header == 0) {
            return 0;
        }
        long[] s = nursery.storage;
        int o = (int) header;
        s[o] = Header.make(sizeWords, tag);
        Arrays.fill(s, o + Header.WORDS, o + words, Value.NONE);
        return Value.ofAddress(Header.fieldsAddressOf(header));
    }

    /**
     * The nursery fast path for a one-field block, its field included; returns 0 (and allocates
     * nothing) if the nursery is full.
     */
    public long tryAllocateYoung1(int tag, long f0) {
        long header = reserveYoung(Header.WORDS + 1);
        if (header == 0) {
            return 0;
        }
        long[] s = nursery.storage;
        int o = (int) header;
        s[o] = Header.make(1, tag);
        s[o + Header.WORDS] = f0;
        return Value.ofAddress(Header.fieldsAddressOf(header));
    }

    /**
     * The nursery fast path for a two-field block, fields included; returns 0 (and allocates
     * nothing) if the nursery is full. Fresh young blocks need no write barrier.
     */
    public long tryAllocateYoung2(int tag, long f0, long f1) {
        long header = reserveYoung(Header.WORDS + 2);
        if (header == 0) {
            return 0;
        }
        long[] s = nursery.storage;
        int o = (int) header;
        s[o] = Header.make(2, tag);
        s[o + Header.WORDS] = f0;
        s[o + Header.WORDS + 1] = f1;
        return Value.ofAddress(Header.fieldsAddressOf(header));
    }

    /**
     * Bumps the nursery's allocation pointer by {@code words} (header included) if there is room:
     * returns the address of the reserved words, else 0 — never a nursery address, whose chunk
     * index is at least 1.
     */
    private long reserveYoung(int words) {
        Nursery n = nursery;
        long header = n.top;
        long end = header + words;
        if (end > n.limit) {
            return 0;
        }
        n.top = end;
        if (PointerCheck.ENABLED) {
            n.markStart(header);
        }
        return header;
    }

    /**
     * Allocates directly in the major heap (large blocks, ephemerons): fields are {@code NONE},
     * colour the {@linkplain MajorHeap#allocationColour allocation colour}. May run a minor
     * collection and a slice first. Returns 0 if the heap is exhausted after a full collection.
     */
    public long allocateOld(int sizeWords, int tag) {
        policy.addWork(Header.blockWords(sizeWords));
        majorWorkAfterDirectAllocation();
        long cell = major.allocate(sizeWords);
        if (cell == 0) {
            collectAll("heap limit reached");
            cell = major.allocate(sizeWords);
            if (cell == 0) {
                return 0;
            }
        }
        directMajorWords += Header.blockWords(sizeWords);
        arena.write(cell, Header.make(sizeWords, tag, major.allocationColour()));
        if (sizeWords > 0) {
            arena.fill(Header.fieldsAddressOf(cell), sizeWords, Value.NONE);
        }
        return Value.ofAddress(Header.fieldsAddressOf(cell));
    }

    /**
     * After promotion overshot the heap limit (or the JVM's, spending the reserve): a full
     * collection, then is live data within the limit, and the reserve taken back?
     */
    private boolean reclaimForLimit() {
        collectAll("heap limit reached");
        return major.liveWords() <= major.maxHeapWords() && !memory.isSpent();
    }

    /** True if the last exhaustion came from the JVM refusing memory, not from the maximum heap. */
    public boolean jvmMemoryExhausted() {
        return memory.jvmRefused();
    }

    /** After a collection: the reserve asked for again, the nursery capped while it is spent. */
    private void afterCollection() {
        nursery.setCap(memory.nurseryCap(major.small()));
    }

    /**
     * True if {@code v} points to a block of this heap: an allocated nursery address, or the
     * start of an allocated cell or large block. Costs time linear in the number of chunks;
     * for registration checks, not for hot paths.
     */
    public boolean isManagedBlock(long v) {
        if (!Value.isBlock(v)) {
            return false;
        }
        long header = Header.addressOf(Value.addressOf(v));
        if (nursery.isYoung(v)) {
            return nursery.containsAllocated(header);
        }
        if (!arena.isMapped(header) || Header.isBlue(arena.read(header))) {
            return false;
        }
        return major.small().isCellStart(header) || major.large().isBlockStart(header);
    }

    /** True if {@code v} points into the nursery. */
    public boolean isYoung(long v) {
        return nursery.isYoung(v);
    }

    /** The arena chunk index of the nursery now (young test: {@code Value.chunkIndexOf(v) == it}). */
    public int nurseryChunkIndex() {
        return nursery.chunkIndex;
    }

    // ------------------------------------------------------------------ collections

    /** OCaml's {@code Gc.minor}: empties the nursery (a slice of the major cycle may follow). */
    public void minor() {
        minor("explicit minor request");
    }

    /** A minor collection asked for by library code, for {@code reason} (as logged and reported). */
    public void minor(String reason) {
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
            if (policy.cycleDue()) {
                runSlice("major work due", Budget.of(automaticBudget()));
            }
        } else if (policy.cycleOutrun()) {
            cycleForced = true;
            runSlice("the mutator outran the cycle", Budget.unlimited());
        } else {
            long budget = automaticBudget();
            if (budget > 0) {
                runSlice("major slice", Budget.of(budget));
            }
        }
    }

    /** The budget of an automatic slice: what the pacing owes, or the configured fixed size. */
    private long automaticBudget() {
        long owed = policy.sliceBudget();
        return config.fixedSliceWords > 0 ? config.fixedSliceWords : owed;
    }

    /** Direct major allocations drive slices too, once a nursery's worth has accumulated. */
    private void majorWorkAfterDirectAllocation() {
        boolean due = config.incremental
                ? (cycle.state() != MajorCycle.State.IDLE && policy.sliceDueAfterDirectAllocation(nursery.sizeWords()))
                        || (cycle.state() == MajorCycle.State.IDLE && policy.cycleDue())
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
    public long majorSlice(long words) {
        if (words < 0) {
            throw new IllegalArgumentException("Gc.major_slice: " + words + " words is negative");
        }
        runMinor("explicit major slice");
        if (!config.incremental) {
            cycleForced = true;
            return runSlice("explicit major slice", Budget.unlimited());
        }
        long budget = words == 0 ? Math.max(automaticBudget(), 1) : policy.budgetFor(words);
        return runSlice("explicit major slice", Budget.of(budget));
    }

    /**
     * OCaml's {@code Gc.major} (its {@code caml_finish_major_cycle}): a minor collection, then
     * the cycle in progress finished — or, if none was, a whole cycle run. Returns true in the
     * second case: everything unreachable when it was called is then freed or (finalise-first
     * values) queued; a cycle already in progress frees only what was unreachable when it
     * started, and the rest floats to the next one.
     */
    public boolean finishCycle(String reason) {
        emptyNursery(reason);
        boolean whole = cycle.state() == MajorCycle.State.IDLE;
        cycleForced = true;
        runSlice(reason, Budget.unlimited());
        lastWasWholeMajor = whole;
        return whole;
    }

    /** OCaml's {@code Gc.major}: finishes the current cycle (see {@link #finishCycle}). */
    public void major() {
        finishCycle("explicit major request");
    }

    /** A full collection: the cycle in progress finished, then a whole cycle. */
    private void collectAll(String reason) {
        if (!finishCycle(reason)) {
            finishCycle(reason);
        }
    }

    private void emptyNursery(String reason) {
        if (nursery.usedWords() > 0 || !remembered.isEmpty()) {
            runMinor(reason);
        }
    }

    private void runMinor(String reason) {
        checkNotCollecting();
        notifyStarted(GcEvent.Kind.MINOR, reason);
        GcEvent event;
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
            event = new GcEvent(GcEvent.Kind.MINOR, minorCollections, reason, pause,
                    condemned, promoted, heapBefore, heapBefore, major.heapWords(),
                    major.liveWords(), sliceTimer.snapshot());
        } finally {
            collecting = false;
        }
        afterCollection();
        notifyEnded(event);
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
        GcEvent sliceEvent;
        GcEvent cycleEvent = null;
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
            boolean done = cycle.slice(budget, sliceTimer);
            long pause = System.nanoTime() - start;
            majorSlices++;
            cycleSlices++;
            cyclePause += pause;
            cycleMaxPause = Math.max(cycleMaxPause, pause);
            cycleTimer.add(sliceTimer);
            policy.sliceDone(budget.spent());
            if (done) {
                majorCollections++;
                if (cycleForced) {
                    forcedMajorCollections++;
                }
                cycleForced = false;
                lastWasWholeMajor = false;
                policy.cycleEnded(major.liveWords());
            }
            if (config.verify) {
                verifier.verify((done ? "after major collection " + majorCollections : "after major slice " + majorSlices)
                        + " (" + (done ? "cycle ended" : "next phase " + cycle.currentPhase()) + ")");
            }
            sliceEvent = new GcEvent(GcEvent.Kind.MAJOR_SLICE, majorSlices, reason, pause, major.liveWords(),
                    marker.markedWords(), 0, heapBefore, major.heapWords(), major.liveWords(),
                    sliceTimer.snapshot(), budget.spent(), pause);
            if (done) {
                cycleEvent = new GcEvent(GcEvent.Kind.MAJOR, majorCollections, cycleReason, cyclePause,
                        cycleLiveBefore, major.liveWords(), 0, cycleHeapBefore, major.heapWords(),
                        major.liveWords(), cycleTimer.snapshot(), cycleSlices, cycleMaxPause);
            }
        } finally {
            collecting = false;
        }
        afterCollection();
        notifySliced(sliceEvent);
        if (cycleEvent != null) {
            notifyEnded(cycleEvent);
            String why = compactionTrigger.due(majorCollections, major);
            if (why != null) {
                compact(why);
            }
        }
        return budget.spent();
    }

    /**
     * Tells the collector that a compaction follows the collections it runs now ({@code
     * Gc.compact}'s full major collection), so that a cycle ending in between does not compact
     * automatically first: the heap would be compacted twice in one request.
     */
    public void compactionRequested(boolean requested) {
        compactionTrigger.setRequested(requested);
    }

    /**
     * Compacts the major heap (stop the world): finishes the cycle in progress first (the
     * compactor needs one ended, on an empty nursery), then moves live cells out of sparse
     * pages and gives empty chunks back to the JVM. {@code Gc.compact} runs a full major
     * collection first; this does not.
     */
    public void compact(String reason) {
        if (cycle.state() != MajorCycle.State.IDLE) {
            finishCycle(reason);
        }
        emptyNursery(reason);
        checkNotCollecting();
        notifyStarted(GcEvent.Kind.COMPACTION, reason);
        GcEvent event;
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
            event = new GcEvent(GcEvent.Kind.COMPACTION, compactions, reason, pause, major.liveWords(),
                    major.liveWords(), 0, heapBefore, major.heapWords(), major.liveWords(), java.util.Map.of(),
                    r.movedWords, pause);
        } finally {
            collecting = false;
        }
        notifyEnded(event);
    }

    /** Compactions so far. */
    public long compactions() {
        return compactions;
    }

    /** OCaml's {@code max_overhead}. */
    public int maxOverhead() {
        return compactionTrigger.maxOverhead();
    }

    /** Sets OCaml's {@code max_overhead} (see {@link CompactionTrigger}). */
    public void setMaxOverhead(int percent) {
        compactionTrigger.setMaxOverhead(percent);
    }

    /**
     * A major cycle whose outcome is already known ({@link #lastMajorIsFixedPoint} holds): it
     * is counted and reported like one (the event's reason says it was elided, its phases are
     * empty), but nothing is traced — it would mark the graph the last one marked and free
     * nothing.
     */
    public void majorElided(String reason) {
        if (!lastMajorIsFixedPoint()) {
            throw new IllegalStateException("Collector.majorElided: the last major collection is not a fixed point");
        }
        checkNotCollecting();
        notifyStarted(GcEvent.Kind.MAJOR, reason);
        long live = major.liveWords();
        majorCollections++;
        forcedMajorCollections++;
        policy.cycleEnded(live);
        if (config.verify) {
            verifier.verify("after elided major collection " + majorCollections);
        }
        notifyEnded(new GcEvent(GcEvent.Kind.MAJOR, majorCollections, reason, 0, live, live, 0,
                major.heapWords(), major.heapWords(), live, java.util.Map.of(), 0, 0));
    }

    /**
     * True if a major cycle started now would find exactly what the last one found and free
     * nothing: the last collection was a whole major cycle run in one request (nothing
     * allocated, collected or run by the mutator since it started), it resurrected nothing, and
     * — the caller's part — no mutator code (finaliser, guardian delivery) has run since. Then
     * the live graph is the one that cycle marked, and every unreachable block is already freed
     * and every weak reference to it cleared.
     */
    public boolean lastMajorIsFixedPoint() {
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

    private void checkNotCollecting() {
        if (collecting) {
            throw new IllegalStateException("Collector: a collection was requested while one is running");
        }
        if (notifier.isNotifying()) {
            throw new IllegalStateException("Collector: a collection was needed while a GcListener was being"
                    + " told about one (a listener must not allocate in the heap)");
        }
    }

    private void notifyStarted(GcEvent.Kind kind, String reason) {
        notifier.started(kind, reason);
    }

    private void notifySliced(GcEvent event) {
        notifier.sliced(event);
    }

    private void notifyEnded(GcEvent event) {
        notifier.ended(event);
    }

    /** Runs the verifier now; throws {@link HeapCorruptionError} on the first broken invariant. */
    public void verify(String when) {
        verifier.verify(when);
    }

    // ------------------------------------------------------------------ finalisation & foreign

    /** Registers a finaliser of {@code kind}; returns its sequence number. */
    public long registerFinaliser(int kind, long value, long function, Object action) {
        long seq = ++registrationSequence;
        finalisers[kind].add(value, function, action, seq);
        return seq;
    }

    /**
     * Cancels the registration {@code sequence} of {@code kind} if it is still registered (not
     * yet selected by a collection); returns whether it was.
     */
    public boolean cancelFinaliser(int kind, long sequence) {
        FinaliserTable t = finalisers[kind];
        int row = t.rowOf(sequence);
        if (row < 0 || t.values[row] == Value.NONE) {
            return false;
        }
        t.cancel(row);
        return true;
    }

    /** The value currently registered under {@code sequence}, or NONE. */
    public long finaliserValue(int kind, long sequence) {
        FinaliserTable t = finalisers[kind];
        int row = t.rowOf(sequence);
        return row < 0 ? Value.NONE : t.values[row];
    }

    public int registeredFinalisers(int kind) {
        int n = 0;
        FinaliserTable t = finalisers[kind];
        for (int i = 0; i < t.size; i++) {
            if (t.values[i] != Value.NONE) {
                n++;
            }
        }
        return n;
    }

    /** Reserves a foreign slot for {@code object}; bind it with {@link #bindForeign}. */
    public int addForeign(Object object) {
        return foreign.add(object);
    }

    public void bindForeign(int slot, long box) {
        foreign.bind(slot, box, nursery.isYoung(box));
    }

    public Object foreign(int slot) {
        return foreign.get(slot);
    }

    // ------------------------------------------------------------------ statistics & control

    public long minorWords() {
        return nursery.totalWordsAllocated();
    }

    public long promotedWords() {
        return promotedWords;
    }

    /** Words allocated in the major heap, promoted ones included (OCaml's {@code major_words}). */
    public long majorWords() {
        return promotedWords + directMajorWords;
    }

    public long minorCollections() {
        return minorCollections;
    }

    public long majorCollections() {
        return majorCollections;
    }

    /** Slices of major cycles run so far (a stop-the-world cycle is one slice). */
    public long majorSlices() {
        return majorSlices;
    }

    /** Major cycles finished by an explicit request or because the mutator outran them (OCaml's {@code forced_major_collections}). */
    public long forcedMajorCollections() {
        return forcedMajorCollections;
    }

    /** The phase the running major cycle resumes at its next slice, or null when none is running. */
    public Phase majorPhase() {
        return cycle.currentPhase();
    }

    /** True if major cycles run in slices. */
    public boolean isIncremental() {
        return config.incremental;
    }

    /**
     * The identity hash stored in the header at {@code headerAddress}, 0 if none yet; a waited
     * header keeps it in the waiter table.
     */
    public int storedHash(long headerAddress) {
        long h = arena.read(headerAddress);
        if (Header.isWaited(h)) {
            return Header.hash(majorEphemerons.savedHeader(headerAddress, h));
        }
        return Header.hash(h);
    }

    /** Stores identity hash {@code hash} in the header at {@code headerAddress}. */
    public void storeHash(long headerAddress, int hash) {
        long h = arena.read(headerAddress);
        if (Header.isWaited(h)) {
            majorEphemerons.setSavedHash(headerAddress, h, hash);
        } else {
            arena.write(headerAddress, Header.withHash(h, hash));
        }
    }

    public long heapWords() {
        return major.heapWords();
    }

    public long liveWords() {
        return major.liveWords();
    }

    public long freeWords() {
        return major.freeWords();
    }

    public long topHeapWords() {
        return major.topHeapWords();
    }

    public int heapChunks() {
        return major.chunks();
    }

    public int minorHeapWords() {
        return nursery.sizeWords();
    }

    public long youngWordsInUse() {
        return nursery.usedWords();
    }

    /** Changes the nursery size; empties the nursery first (as OCaml does). */
    public void setMinorHeapWords(int words) {
        if (words < 256 || words > (1 << 28)) {
            throw new IllegalArgumentException("Gc.set minor_heap_size: " + words + " words is out of range [256, 2^28]");
        }
        runMinor("minor heap resized");
        nursery.resize(words);
        memory.nurseryResized(words);
    }

    public int spaceOverhead() {
        return policy.spaceOverhead();
    }

    public void setSpaceOverhead(int percent) {
        if (percent < 1 || percent > 1_000_000) {
            throw new IllegalArgumentException("Gc.set space_overhead: " + percent + " is out of range [1, 1000000]");
        }
        policy.setSpaceOverhead(percent);
    }

    public long maxHeapWords() {
        return major.maxHeapWords();
    }

    public void setMaxHeapWords(long words) {
        if (words < SizeClasses.PAGE_WORDS) {
            throw new IllegalArgumentException("Gc.set max_heap_words: " + words + " is below one page ("
                    + SizeClasses.PAGE_WORDS + " words)");
        }
        major.setMaxHeapWords(words);
    }

    /** Releases all memory; the collector is unusable afterwards. */
    public void close() {
        cycle.abandon();
        major.close();
        nursery.release();
        arena.clear();
        for (FinalisationQueue q : queues) {
            q.clear();
        }
    }
}
