package dev.ephemera;

import dev.ephemera.gc.BlockAllocator;
import dev.ephemera.gc.Collector;
import dev.ephemera.gc.WriteBarrier;
import dev.ephemera.memory.Arena;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.Header;

/**
 * A garbage-collected heap of blocks, with exact ephemerons, weak pointers and finalisation.
 *
 * <h2>Values and raw pointers</h2>
 * Every value is a {@code long} (see {@link Value}): an immediate integer, a pointer to a block,
 * or {@link Value#NONE}. <b>A raw pointer held in a Java variable is valid only until the next
 * allocation or collection</b>: a minor collection moves young blocks, a major one frees
 * unreachable blocks. To keep a value across an allocation, hold it in a root:
 * <ul>
 * <li>a {@link Handle} in a {@link Scope} (try-with-resources), for locals;</li>
 * <li>a {@link GlobalRoot}, for long-lived references from Java objects;</li>
 * <li>a {@link RootStack}, slots pushed and popped in frames, for code built on the heap;</li>
 * <li>a {@link RootArea}, an array of slots scanned in place, for an interpreter's globals.</li>
 * </ul>
 * Allocation functions that take initial field values root those values themselves before
 * they can collect, so {@code heap.alloc(0, a.get(), b.get())} is correct: the obvious code is
 * the correct code. One rule remains, because Java evaluates arguments left to right: an
 * argument that itself allocates must not follow a raw read in the same argument list —
 * {@code heap.alloc(0, h.get(), heap.allocString("x"))} reads {@code h} before
 * {@code allocString} may move its block; allocate first, into a local or a handle. In checked
 * mode ({@link CheckedMode}) such a stale pointer is reported as a
 * {@link StalePointerException} instead of reading another block.
 *
 * <h2>Threads and closing</h2>
 * A heap is used by one thread at a time, its owner (initially its creator); hand it to another
 * thread with {@link #transferTo}. Several heaps may live in one JVM. Every operation refuses a
 * closed heap ({@link HeapClosedException}) and another thread ({@link WrongThreadException}),
 * with one exception, for speed: the owner-thread check of the hottest paths — {@link #field},
 * {@link #setField}, {@link #tag}, {@link #size}, the one- and two-field {@link #alloc},
 * {@link Handle#get}, {@link Scope#handle}, {@link GlobalRoot#get}, {@link RootStack}'s operations and
 * {@link RootArea}'s {@code get}, {@code pop}, {@code setUsed} and {@code ensureCapacity} — is made only in {@linkplain CheckedMode checked
 * mode}. (Their closed-heap check is always made.)
 *
 * <h2>Observing</h2>
 * Each heap has a {@linkplain #name() name} and, unless {@link HeapConfig#mbean} turns it off,
 * a JMX MBean ({@link HeapMXBean}, {@code dev.ephemera:type=Heap,name=NAME}) that is
 * unregistered when the heap is closed. Every collection is reported to the JDK Flight
 * Recorder (events {@code dev.ephemera.Collection} and {@code dev.ephemera.CollectionPhase}),
 * to the {@link System.Logger} {@value Gc#LOGGER_NAME} at level {@code DEBUG}, to the GC log
 * ({@link HeapConfig#gcLog}) and to {@link GcListener}s.
 *
 * <h2>Errors</h2>
 * Bad arguments raise an exception naming the operation and the argument
 * ({@link NotABlockException}, {@link WrongTagException}, {@link IndexOutOfBoundsException},
 * {@link IllegalArgumentException}); exhaustion raises {@link HeapExhaustedException}. The heap
 * is left consistent and usable after any of them.
 */
public final class Heap extends RawBlocks implements AutoCloseable {
    // Heap is the façade: each public method checks and delegates to the class of its concern
    // (EntryChecks, Allocator, ByteStrings, BlockAccess, IdentityHashes, Roots), except the
    // fast paths of alloc, field and setField, which are kept here, small enough to inline.
    // The API of raw blocks (strings, doubles, custom blocks, foreign boxes) is in RawBlocks.
    private final Collector collector;
    /** The collector's allocator, held here so that the fast paths reach the nursery in as few loads. */
    private final BlockAllocator blocks;
    private final Arena arena;
    private final WriteBarrier barrier;
    private final EntryChecks checks;
    private final Roots roots;
    private final Allocator allocator;
    private final ByteStrings strings;
    private final BlockAccess access;
    private final IdentityHashes hashes;
    private final Finalisation finalisation;
    private final Gc gc;
    private final Ephemerons ephemerons;
    private final Weak weak;
    private final Guardians guardians;
    private final Messages messages;
    private final String name;
    /** The heap's MBean, or null when it has none. */
    private final HeapMonitor monitor;

    private Heap(HeapConfig config) {
        this.collector = new Collector(config.gcConfig());
        this.blocks = collector.allocator();
        this.arena = collector.arena();
        this.barrier = collector.barrier();
        this.checks = new EntryChecks(arena, collector.pointers());
        this.roots = new Roots(collector.roots(), collector.weakSlots(), checks);
        String configured = config.name() != null ? config.name() : HeapMonitor.defaultName();
        this.monitor = config.mbean() ? HeapMonitor.create(this, configured) : null;
        this.name = monitor != null ? monitor.getName() : configured;
        if (monitor != null) {
            monitor.created(collector.heapWords(), collector.liveWords(), collector.freeWords(), collector.topHeapWords());
        }
        this.finalisation = new Finalisation(this, collector, checks, config);
        this.allocator = new Allocator(collector, roots.stack(), checks, finalisation);
        this.strings = new ByteStrings(arena, checks, allocator);
        this.access = new BlockAccess(collector, checks);
        this.hashes = new IdentityHashes(collector, checks, 0x2545F491 ^ System.identityHashCode(this));
        CollectionReporter reporter = new CollectionReporter(this, collector, monitor, config.gcLog(),
                config.gcLogSlices());
        this.gc = new Gc(this, collector, checks, finalisation,
                new CoreFinalisers(this, checks, finalisation, roots.stack()), reporter);
        this.ephemerons = new Ephemerons(collector, roots.stack(), checks, allocator);
        this.weak = new Weak(ephemerons, checks, collector.weakSlots());
        this.guardians = new Guardians(this, collector, roots.stack(), checks);
        this.messages = new Messages(this, collector, checks);
        reporter.setMessages(messages);
    }

    /** {@return a heap with the default configuration} */
    public static Heap create() {
        return create(HeapConfig.defaults());
    }

    /**
     * {@return a heap with the given configuration}
     *
     * @param config the configuration; it is read once, at creation
     * @throws HeapExhaustedException if the JVM has no memory for the nursery or the initial heap
     */
    public static Heap create(HeapConfig config) {
        EntryChecks.requireNonNull("Heap.create", "config", config);
        try {
            return new Heap(config);
        } catch (OutOfMemoryError jvmLimit) {
            // The nursery and the initial chunk are allocated first, so a refusal there leaves
            // nothing behind; one later (a rarer case) leaves only what the JVM reclaims, and an
            // MBean name its cleaner releases once the unfinished heap is collected.
            throw new HeapExhaustedException("Heap.create: the JVM has no memory for a nursery of "
                    + config.gcConfig().minorHeapWords + " words and an initial heap of "
                    + config.gcConfig().initialHeapWords + " words", jvmLimit);
        }
    }

    // ================================================================== facades

    /** {@return collection control and statistics, finalisation (OCaml's {@code Gc})} */
    public Gc gc() {
        return gc;
    }

    /** {@return ephemerons: {@code Obj.Ephemeron} and {@code Ephemeron.K1/K2/Kn}} */
    public Ephemerons ephemerons() {
        return ephemerons;
    }

    /** {@return weak arrays (OCaml's {@code Weak})} */
    public Weak weak() {
        return weak;
    }

    /** {@return guardians (Dybvig; Chez's {@code make-guardian})} */
    public Guardians guardians() {
        return guardians;
    }

    /** {@return MPS-style finalization and collector messages} */
    public Messages messages() {
        return messages;
    }

    /**
     * The heap's name: {@link HeapConfig#name}, or {@code heap-N} by default; for a heap with an
     * MBean ({@code dev.ephemera:type=Heap,name=NAME}, see {@link HeapMXBean}), {@code NAME-N}
     * when another open heap with an MBean has that name already. JFR events and
     * {@link System.Logger} lines carry it. May be read from any thread.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The collector, for the tests' {@code TestAccess} only: the classes of this package are
     * given what they need when the heap is made, and do not reach in through here.
     */
    Collector collector() {
        return collector;
    }

    @Override
    Allocator allocator() {
        return allocator;
    }

    @Override
    ByteStrings strings() {
        return strings;
    }

    @Override
    BlockAccess access() {
        return access;
    }

    // ================================================================== allocation

    /**
     * Allocates a scanned block of {@code sizeWords} fields, all {@link Value#NONE}.
     *
     * @param tag 0..250 except {@link Tag#INFIX}
     * @param sizeWords the number of fields, 0 to the largest block size ({@link Tag#FORWARD}: one at
     *     least; {@link Tag#OBJECT}: two)
     * @return a pointer to the new block (raw: valid until the next allocation)
     */
    public long allocBlock(int tag, int sizeWords) {
        return allocator.allocBlock(tag, sizeWords);
    }

    /**
     * Allocates a block with one field. {@code f0} is rooted across the allocation.
     *
     * @param tag the block's tag, 0..250 except {@link Tag#INFIX} ({@link Tag#OBJECT}: two fields at least)
     * @param f0 field 0
     * @return a pointer to the new block (raw: valid until the next allocation)
     */
    public long alloc(int tag, long f0) {
        // closed heap: fails by construction (close() leaves the nursery full); owner: checked mode;
        // an object needs two fields: refused on the slow path
        long v = tag >= 0 && tag < Tag.OBJECT && !CheckedMode.ON ? blocks.tryAllocateYoung1(tag, f0) : 0;
        return v != 0 ? v : allocator.alloc(tag, f0);
    }

    /**
     * Allocates a block with two fields. The arguments are rooted across the allocation.
     *
     * @param tag the block's tag, 0..250 except {@link Tag#INFIX} ({@link Tag#OBJECT}: two fields at least)
     * @param f0 field 0
     * @param f1 field 1
     * @return a pointer to the new block (raw: valid until the next allocation)
     */
    public long alloc(int tag, long f0, long f1) {
        long v = tag >= 0 && tag < Tag.INFIX && !CheckedMode.ON ? blocks.tryAllocateYoung2(tag, f0, f1) : 0;
        return v != 0 ? v : allocator.alloc(tag, f0, f1);
    }

    /**
     * Allocates a block with three fields. The arguments are rooted across the allocation.
     *
     * @param tag the block's tag, 0..250 except {@link Tag#INFIX} ({@link Tag#OBJECT}: two fields at least)
     * @param f0 field 0
     * @param f1 field 1
     * @param f2 field 2
     * @return a pointer to the new block (raw: valid until the next allocation)
     */
    public long alloc(int tag, long f0, long f1, long f2) {
        return allocator.allocFields(tag, f0, f1, f2);
    }

    /**
     * Allocates a block with the given fields. The fields are rooted across the allocation.
     *
     * @param tag the block's tag, 0..250 except {@link Tag#INFIX} ({@link Tag#OBJECT}: two fields at least)
     * @param fields the fields, in order
     * @return a pointer to the new block (raw: valid until the next allocation)
     */
    public long allocFields(int tag, long... fields) {
        return allocator.allocFields(tag, fields);
    }

    /**
     * Allocates an array block (tag 0) of {@code length} fields, each {@code init} (rooted).
     *
     * @param length the number of fields
     * @param init the value of every field
     * @return a pointer to the new block (raw: valid until the next allocation)
     */
    public long allocArray(int length, long init) {
        return allocator.allocArray(length, init);
    }

    /**
     * {@return a shallow copy of the block {@code v}: a new block with the same tag and the same
     * fields} Custom blocks (foreign boxes included), ephemerons and the blocks of the library's
     * own structures — guardians, and the tables layer's tables, weak sets and ephemeron buckets
     * ({@code Bucket}) — are returned as they are, not copied (as OCaml's {@code get_copy} does
     * for custom blocks): a copy of one would be a second structure sharing the first one's parts
     * (a guardian's queue, a table's buckets and free list). Immediates and NONE are returned
     * unchanged.
     *
     * @param v any value
     */
    public long shallowCopy(long v) {
        return allocator.shallowCopy(v);
    }

    // ================================================================== access

    /**
     * {@return the tag of the block {@code v}}
     *
     * @param v a pointer to a block
     */
    public int tag(long v) {
        return Header.tag(header("Heap.tag", v));
    }

    /**
     * {@return the number of fields (words) of the block {@code v}}
     *
     * @param v a pointer to a block
     */
    public int size(long v) {
        return Header.sizeWords(header("Heap.size", v));
    }

    /**
     * The header of the block {@code v}, through {@link #field}'s fast path: tag and size are
     * read on the same hot paths as fields (a table operation reads its table's twice), so they
     * make the same checks — every one in checked mode, else the pointer's shape and the
     * closed heap (whose chunks are all unmapped), not the owner thread.
     */
    private long header(String op, long v) {
        try {
            long[] chunk = chunkOf(op, v);
            return chunk[Arena.offsetOf(Header.addressOf(Value.addressOf(v)))];
        } catch (ArrayIndexOutOfBoundsException outside) {
            throw checks.outsideChunk(op, v);
        }
    }

    /**
     * {@return field {@code i} of the scanned block {@code v}}
     *
     * @param v a pointer to a scanned block
     * @param i the field's index, in [0, size)
     */
    public long field(long v, int i) {
        try {
            long[] chunk = chunkOf("Heap.field", v);
            long a = Value.addressOf(v);
            long header = chunk[Arena.offsetOf(Header.addressOf(a))];
            return chunk[Arena.offsetOf(a) + BlockAccess.scannedIndex("Heap.field", v, header, i)];
        } catch (ArrayIndexOutOfBoundsException outside) {
            throw checks.outsideChunk("Heap.field", v);
        }
    }

    /**
     * Stores {@code x} in field {@code i} of the scanned block {@code v} (through the write
     * barrier).
     *
     * @param v a pointer to a scanned block
     * @param i the field's index, in [0, size)
     * @param x the value to store: an immediate, {@link Value#NONE} or a pointer to a live block
     */
    public void setField(long v, int i, long x) {
        try {
            long[] chunk = chunkOf("Heap.setField", v);
            long header = chunk[Arena.offsetOf(Header.addressOf(Value.addressOf(v)))];
            BlockAccess.scannedIndex("Heap.setField", v, header, i);
            if (CheckedMode.ON) {
                checks.checkValue("Heap.setField", x);
            }
            barrier.storeField(v, i, x); // reads the old value before it writes: nothing changed if it raises
        } catch (ArrayIndexOutOfBoundsException outside) {
            throw checks.outsideChunk("Heap.setField", v);
        }
    }

    /**
     * The storage chunk of the block {@code v}: the small, always-inlined fast path of
     * {@link #field} and {@link #setField}. Immediates, NONE and (in checked mode) everything take
     * the slow path, which makes every entry check; so does every pointer once the heap is
     * closed, at no cost here: closing unmaps every chunk, so the chunk is null. The owner thread
     * is therefore checked only in checked mode for the values that take the fast path. A
     * pointer outside the arena's table of chunks, or outside its chunk, fails the JVM's own
     * bounds check, which the accessors catch and report as the API's exception: a handler
     * costs nothing until it runs, where explicit range tests here would be on every access.
     */
    private long[] chunkOf(String op, long v) {
        long[] chunk = (v & 1L) != 0 || v == Value.NONE || CheckedMode.ON ? null : arena.storage(Value.chunkIndexOf(v));
        return chunk != null ? chunk : access.checkedChunk(op, v);
    }

    /**
     * {@return the identity hash of the block {@code v}: a number in [1, 2<sup>22</sup>) chosen
     * when first asked for and stored in the block's header, so it survives the block moving and no
     * table keyed by identity ever needs rehashing after a collection}
     *
     * @param v a pointer to a block
     */
    public int identityHash(long v) {
        return hashes.of(v);
    }

    /**
     * {@return true if {@code v} points into the young generation (it will move at the next minor
     * collection)}
     *
     * @param v any value
     */
    public boolean isYoung(long v) {
        checks.checkValue("Heap.isYoung", v);
        return collector.isYoung(v);
    }

    // ================================================================== roots

    /**
     * Opens a scope for handles; close it (try-with-resources) to release them.
     *
     * @return the new scope, now the innermost
     */
    public Scope openScope() {
        return roots.openScope();
    }

    /**
     * {@return a strong global root holding {@code v}; release it when done}
     *
     * @param v the value to hold
     */
    public GlobalRoot newGlobalRoot(long v) {
        return roots.newGlobalRoot("Heap.newGlobalRoot", v, Rank.STRONG);
    }

    /**
     * {@return a weak global root (MPS rank weak): it does not keep {@code v} alive, follows it
     * while it lives, and becomes {@link Value#NONE} when it dies}
     *
     * @param v the value to follow
     */
    public GlobalRoot newWeakRoot(long v) {
        return roots.newGlobalRoot("Heap.newWeakRoot", v, Rank.WEAK);
    }

    /**
     * {@return a new root area of {@code capacity} slots, none of them in use yet}
     *
     * @param capacity the initial number of slots
     * @param rank {@link Rank#STRONG} or {@link Rank#WEAK}: whether the slots keep their values
     *     alive
     */
    public RootArea newRootArea(int capacity, Rank rank) {
        return roots.newRootArea(capacity, rank);
    }

    /**
     * {@return a new, empty root stack: strong slots pushed and popped in frames, for code built
     * on the heap that keeps raw values across allocations (the tables, an interpreter); close it
     * when done}
     */
    public RootStack newRootStack() {
        return roots.newRootStack();
    }

    // ================================================================== safe points & lifecycle

    /**
     * A safe point: runs the finalisers that collections have queued (OCaml's pending actions),
     * then the collection a JMX client requested through the heap's {@link HeapMXBean}, if any.
     * An exception thrown by a finaliser propagates from here; the rest stay queued.
     */
    public void poll() {
        checks.enter("Heap.poll");
        finalisation.runPending();
        guardians.deliver();
        if (monitor != null) {
            gc.serviceRequests();
        }
    }

    /**
     * Runs the heap verifier now; throws {@link dev.ephemera.event.HeapCorruptionError} if an
     * invariant is broken, and every later collection is then refused with that error (closing
     * the heap still works).
     */
    public void verify() {
        checks.enter("Heap.verify");
        collector.verify("on request");
    }

    /** {@return the thread that may use this heap} */
    public Thread owner() {
        return checks.owner();
    }

    /**
     * Hands the heap to {@code thread}: from now on only it may use the heap. Must be called by
     * the current owner, with no open scope. The old owner can then do nothing with the heap, not
     * even close it: only the new owner can hand it back or close it (a heap handed to a thread
     * that never runs is unusable for good).
     *
     * @param thread the new owner
     */
    public void transferTo(Thread thread) {
        checks.enter("Heap.transferTo");
        if (thread == null) {
            throw new IllegalArgumentException("Heap.transferTo: thread is null");
        }
        roots.checkNoOpenScope("Heap.transferTo");
        checks.setOwner(thread);
    }

    /**
     * Releases the heap's memory. Any later use raises {@link HeapClosedException}. Closing a
     * closed heap does nothing.
     *
     * @throws IllegalStateException if called while the heap collects — from a {@link
     *     GcListener} or the GC log — when the heap is left open
     */
    @Override
    public void close() {
        if (!checks.close("Heap.close", collector.isCollecting())) {
            return;
        }
        roots.heapClosed();
        if (monitor != null) {
            monitor.close();
        }
        collector.close();
    }

    /** {@return whether the heap has been closed} */
    public boolean isClosed() {
        return checks.isClosed();
    }

    /**
     * For libraries built on the heap (the weak tables, an interpreter): the entry check every
     * heap operation does, reported under the library operation's name {@code op} — the heap is
     * open ({@link HeapClosedException}) and used by its owner ({@link WrongThreadException}).
     *
     * @param op the library operation's name, for the exception's message
     */
    public void checkUsable(String op) {
        checks.enter(op);
    }

    /**
     * For libraries built on the heap: {@link #checkUsable}, and the check every heap operation
     * does on a value it is given, reported under {@code op} — in checked mode, that a pointer is
     * the start of a live block of this heap ({@link StalePointerException},
     * {@link ForgedPointerException}). Immediates and {@link Value#NONE} pass.
     *
     * @param op the library operation's name, for the exception's message
     * @param v the value to check
     */
    public void checkArgument(String op, long v) {
        checks.checkValue(op, v);
    }
}
