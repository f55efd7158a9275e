package dev.ephemera.gc;

import dev.ephemera.event.HeapCorruptionError;
import dev.ephemera.event.Phase;
import dev.ephemera.memory.Arena;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.Header;
import java.util.ArrayList;
import java.util.List;

/**
 * The generational plan: a {@linkplain Nursery nursery} collected by copying into a
 * non-moving {@linkplain MajorHeap major heap} collected by an incremental mark-sweep
 * {@linkplain MajorCycle cycle}, with weak processing in both. This class composes the parts
 * and is the API layer's one entry to them; the work is theirs.
 *
 * <p>Allocation ({@link BlockAllocator}, reached through {@link #allocator}): blocks of up to
 * {@link #MAX_YOUNG_WORDS} fields are bump-allocated in the nursery; larger ones, and
 * ephemerons, go straight to the major heap. Collections ({@link CollectionDriver}): when the
 * nursery is full a minor collection runs, and after it a slice of the major cycle if one is
 * running or due ({@linkplain CollectionPolicy policy}); direct major allocations drive slices
 * too. Explicit requests follow OCaml: {@link #minor} empties the nursery, {@link #majorSlice}
 * does a slice, {@link #finishCycle} finishes the cycle in progress (starting one if none is).
 * Finalisers and foreign objects are registered here, in the tables the collections process.
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
    private final MajorCycle cycle;
    private final WeakSlots weakSlots;
    private final CollectionPolicy policy;
    private final ActionRegistry actions = new ActionRegistry();
    private final FinalisationQueue[] queues;
    private final FinaliserTable[] finalisers;
    private final ForeignTable foreign = new ForeignTable();
    private final PointerCheck pointers;
    private final MemoryReserve memory;
    private final CollectionDriver collections;
    private final BlockAllocator allocator;
    private long registrationSequence;

    public Collector(GcConfig config) {
        this.config = config.copy();
        this.arena = new Arena();
        this.nursery = new Nursery(arena, config.minorHeapWords);
        this.memory = new MemoryReserve(config.minorHeapWords);
        this.major = new MajorHeap(arena, config.initialHeapWords, config.resolvedMaxHeapWords(),
                config.heapIncrementPercent, memory);
        this.barrier = new WriteBarrier(arena, nursery, remembered);
        this.queues = new FinalisationQueue[] {
            new FinalisationQueue(actions, barrier), new FinalisationQueue(actions, barrier),
            new FinalisationQueue(actions, barrier)
        };
        this.finalisers = new FinaliserTable[] {
            new FinaliserTable(FinaliserTable.Kind.FIRST, queues[QUEUE_FINALISERS], actions),
            new FinaliserTable(FinaliserTable.Kind.LAST, queues[QUEUE_FINALISERS], actions),
            new FinaliserTable(FinaliserTable.Kind.MPS, queues[QUEUE_MESSAGES], actions),
            new FinaliserTable(FinaliserTable.Kind.GUARDIAN, queues[QUEUE_GUARDIANS], actions),
        };
        this.majorEphemerons = EphemeronFixpoint.forMajor(arena);
        Marker marker = new Marker(arena, nursery, majorEphemerons);
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
        MinorCollector minorCollector = new MinorCollector(arena, nursery, major, remembered, minorEphemerons, roots,
                minorClients);
        this.cycle = new MajorCycle(major, marker, majorEphemerons, barrier, roots, majorClients);
        this.weakSlots = new WeakSlots(arena, barrier, cycle, marker);
        this.policy = new CollectionPolicy(config.spaceOverhead,
                Math.max(4L * config.minorHeapWords, 4096));
        Verifier verifier = new Verifier(arena, nursery, major, remembered, roots, finalisers, queues, foreign,
                cycle, marker, majorEphemerons);
        this.pointers = new PointerCheck(arena, nursery, major, cycle);
        Compactor compactor = new Compactor(arena, major.small(), major.large(), roots, majorClients);
        this.collections = new CollectionDriver(this.config, nursery, major, remembered, minorCollector, cycle,
                marker, policy, verifier, compactor, memory, finalisers);
        this.allocator = new BlockAllocator(arena, nursery, major, memory, policy, collections);
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
        collections.setObserver(observer);
    }

    // ------------------------------------------------------------------ allocation

    /**
     * Allocation in this heap: the nursery fast paths, and the paths that collect and retry. The
     * API holds it in a final field and calls it directly, so an allocation's fast path costs
     * what it did when it was this class's.
     */
    public BlockAllocator allocator() {
        return allocator;
    }

    /** True if the last exhaustion came from the JVM refusing memory, not from the maximum heap. */
    public boolean jvmMemoryExhausted() {
        return memory.jvmRefused();
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
        collections.minor(reason);
    }

    /**
     * OCaml's {@code Gc.major_slice n}: a minor collection, then a slice doing about the work
     * the pacing owes for {@code words} words promoted ({@code words} = 0: the work owed now).
     * Starts a cycle if none is running. Returns the units of work the slice did.
     */
    public long majorSlice(long words) {
        return collections.majorSlice(words);
    }

    /**
     * OCaml's {@code Gc.major} (its {@code caml_finish_major_cycle}): a minor collection, then
     * the cycle in progress finished — or, if none was, a whole cycle run. Returns true in the
     * second case (see {@link CollectionDriver#finishCycle}).
     */
    public boolean finishCycle(String reason) {
        return collections.finishCycle(reason);
    }

    /** OCaml's {@code Gc.major}: finishes the current cycle (see {@link #finishCycle}). */
    public void major() {
        finishCycle("explicit major request");
    }

    /**
     * Tells the collector that a compaction follows the collections it runs now ({@code
     * Gc.compact}'s full major collection), so that a cycle ending in between does not compact
     * automatically first: the heap would be compacted twice in one request.
     */
    public void compactionRequested(boolean requested) {
        collections.compactionRequested(requested);
    }

    /**
     * Compacts the major heap (stop the world), finishing the cycle in progress first; {@code
     * Gc.compact} runs a full major collection before, this does not (see {@link
     * CollectionDriver#compact}).
     */
    public void compact(String reason) {
        collections.compact(reason);
    }

    /**
     * A major cycle whose outcome is already known ({@link #lastMajorIsFixedPoint} holds),
     * counted and reported like one but not traced (see {@link CollectionDriver#majorElided}).
     */
    public void majorElided(String reason) {
        collections.majorElided(reason);
    }

    /**
     * True if a major cycle started now would find exactly what the last one found and free
     * nothing (see {@link CollectionDriver#lastMajorIsFixedPoint}).
     */
    public boolean lastMajorIsFixedPoint() {
        return collections.lastMajorIsFixedPoint();
    }

    /** Compactions so far. */
    public long compactions() {
        return collections.compactions();
    }

    /** OCaml's {@code max_overhead}. */
    public int maxOverhead() {
        return collections.maxOverhead();
    }

    /** Sets OCaml's {@code max_overhead} (see {@link CompactionTrigger}). */
    public void setMaxOverhead(int percent) {
        collections.setMaxOverhead(percent);
    }

    /**
     * Runs the verifier now; throws {@link HeapCorruptionError} on the first broken invariant,
     * and the heap then refuses every later collection.
     */
    public void verify(String when) {
        collections.verify(when);
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

    /** True if a registration of {@code kind} not yet selected by a collection watches {@code value}. */
    public boolean watchesFinalisable(int kind, long value) {
        if (value == Value.NONE) {
            return false;
        }
        FinaliserTable t = finalisers[kind];
        for (int i = 0; i < t.size; i++) {
            if (t.values[i] == value) {
                return true;
            }
        }
        return false;
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
        return collections.promotedWords();
    }

    /** Words allocated in the major heap, promoted ones included (OCaml's {@code major_words}). */
    public long majorWords() {
        return collections.promotedWords() + allocator.directMajorWords();
    }

    public long minorCollections() {
        return collections.minorCollections();
    }

    public long majorCollections() {
        return collections.majorCollections();
    }

    /** Slices of major cycles run so far (a stop-the-world cycle is one slice). */
    public long majorSlices() {
        return collections.majorSlices();
    }

    /** Full collections asked for ({@code fullMajor}, {@code compact}): OCaml's {@code forced_major_collections}. */
    public long forcedMajorCollections() {
        return collections.forcedMajorCollections();
    }

    /** Counts a full collection asked for, once its cycles are done ({@link CollectionDriver#fullCollectionForced}). */
    public void fullCollectionForced() {
        collections.fullCollectionForced();
    }

    /** Major cycles finished at once rather than in slices (the API's {@code GcStat} says which). */
    public long majorCyclesFinishedAtOnce() {
        return collections.majorCyclesFinishedAtOnce();
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

    /**
     * Changes the nursery size; empties the nursery first (as OCaml does). False if the JVM
     * refused the new nursery's memory: the old one stays, emptied, and the heap is usable.
     */
    public boolean setMinorHeapWords(int words) {
        if (words < 256 || words > (1 << 28)) {
            throw new IllegalArgumentException("Gc.set minor_heap_size: " + words + " words is out of range [256, 2^28]");
        }
        collections.runMinor("minor heap resized");
        try {
            nursery.resize(words);
        } catch (OutOfMemoryError jvmLimit) { // the nursery allocates before it changes anything
            return false;
        }
        memory.nurseryResized(words);
        return true;
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

    /**
     * {@return whether listeners are being told about a collection} The heap allocates nothing
     * then (see {@code CollectionNotifier}).
     */
    public boolean isNotifying() {
        return collections.isNotifying();
    }

    /** {@return whether a collection is running or being reported: the heap may not close now} */
    public boolean isCollecting() {
        return collections.isBusy();
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
