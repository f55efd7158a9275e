package dev.ephemera;

import dev.ephemera.gc.Collector;
import dev.ephemera.gc.PointerCheck;
import dev.ephemera.gc.RootSet;
import dev.ephemera.gc.WeakSlots;
import dev.ephemera.gc.WriteBarrier;
import dev.ephemera.memory.Arena;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.DoubleLayout;
import dev.ephemera.object.layout.ForeignLayout;
import dev.ephemera.object.layout.Header;
import dev.ephemera.object.layout.StringLayout;
import java.nio.charset.StandardCharsets;

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
 * <li>a {@link RootArea}, an array of slots scanned in place, for an interpreter's stack.</li>
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
 * {@link #setField}, the one- and two-field {@link #alloc}, {@link Handle#get},
 * {@link Scope#handle}, {@link GlobalRoot#get} and {@link RootArea}'s {@code get}, {@code pop},
 * {@code setUsed} and {@code ensureCapacity} — is made only in {@linkplain CheckedMode checked
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
public final class Heap implements AutoCloseable {
    final Collector collector;
    final Arena arena;
    final WriteBarrier barrier;
    final RootSet roots;
    final WeakSlots weakSlots;
    private final Gc gc;
    private final Ephemerons ephemerons;
    private final Weak weak;
    private final Finalisation finalisation;
    private final Guardians guardians;
    private final Messages messages;
    private final String name;
    /** The heap's MBean, or null when it has none. */
    private final HeapMonitor monitor;
    /** Not volatile: handing the heap over needs a happens-before edge the client provides anyway. */
    private Thread owner;
    /**
     * The thread that may use the heap now: the owner while the heap is open, null once it is
     * closed. The entry check is the one comparison {@code Thread.currentThread() != user},
     * which fails for every thread after {@link #close()}: the closed-heap check costs nothing
     * beyond the owner check. (The hottest paths check {@link #closed} alone unless in checked
     * mode: {@link #enterFast}.)
     */
    private Thread user;
    private boolean closed;
    /** Number of open scopes; the innermost has depth == scopeDepth. */
    int scopeDepth;
    private int hashState;

    private Heap(HeapConfig config) {
        this.collector = new Collector(config.gcConfig());
        this.arena = collector.arena();
        this.barrier = collector.barrier();
        this.roots = collector.roots();
        this.weakSlots = collector.weakSlots();
        this.owner = Thread.currentThread();
        this.user = owner;
        this.hashState = 0x2545F491 ^ System.identityHashCode(this);
        String configured = config.name() != null ? config.name() : HeapMonitor.defaultName();
        this.monitor = config.mbean() ? HeapMonitor.create(this, configured) : null;
        this.name = monitor != null ? monitor.getName() : configured;
        if (monitor != null) {
            monitor.created(collector.heapWords(), collector.liveWords(), collector.freeWords(), collector.topHeapWords());
        }
        this.finalisation = new Finalisation(this, config);
        this.gc = new Gc(this, config.gcLog(), config.gcLogSlices());
        this.ephemerons = new Ephemerons(this);
        this.weak = new Weak(this);
        this.guardians = new Guardians(this);
        this.messages = new Messages(this);
    }

    /** {@return a heap with the default configuration} */
    public static Heap create() {
        return new Heap(HeapConfig.defaults());
    }

    /**
     * {@return a heap with the given configuration}
     *
     * @param config the configuration; it is read once, at creation
     */
    public static Heap create(HeapConfig config) {
        return new Heap(config);
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

    Finalisation finalisation() {
        return finalisation;
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

    HeapMonitor monitor() {
        return monitor;
    }

    // ================================================================== allocation

    /**
     * Allocates a scanned block of {@code sizeWords} fields, all {@link Value#NONE}.
     *
     * @param tag 0..250 except {@link Tag#INFIX}
     * @param sizeWords the number of fields, 0 to the largest block size
     * @return a pointer to the new block (raw: valid until the next allocation)
     */
    public long allocBlock(int tag, int sizeWords) {
        checkScannedTag("Heap.allocBlock", tag);
        checkSize("Heap.allocBlock", sizeWords);
        enter("Heap.allocBlock");
        return allocate("Heap.allocBlock", sizeWords, tag);
    }

    /**
     * Allocates a block with one field. {@code f0} is rooted across the allocation.
     *
     * @param tag the block's tag, 0..250 except {@link Tag#INFIX}
     * @param f0 field 0
     * @return a pointer to the new block (raw: valid until the next allocation)
     */
    public long alloc(int tag, long f0) {
        // closed heap: fails by construction (close() leaves the nursery full); owner: checked mode
        long v = tag >= 0 && tag < Tag.INFIX && !CheckedMode.ON ? collector.tryAllocateYoung1(tag, f0) : 0;
        return v != 0 ? v : allocSlow(tag, f0);
    }

    private long allocSlow(int tag, long f0) {
        enter("Heap.alloc");
        checkScannedTag("Heap.alloc", tag);
        checkValue("Heap.alloc", f0);
        long v = collector.tryAllocateYoung1(tag, f0);
        if (v != 0) {
            return v;
        }
        int mark = roots.handleTop();
        roots.pushHandle(f0);
        try {
            v = allocate("Heap.alloc", 1, tag);
            f0 = roots.handle(mark);
        } finally {
            roots.popHandlesTo(mark);
        }
        barrier.initField(v, 0, f0);
        return v;
    }

    /**
     * Allocates a block with two fields. The arguments are rooted across the allocation.
     *
     * @param tag the block's tag, 0..250 except {@link Tag#INFIX}
     * @param f0 field 0
     * @param f1 field 1
     * @return a pointer to the new block (raw: valid until the next allocation)
     */
    public long alloc(int tag, long f0, long f1) {
        long v = tag >= 0 && tag < Tag.INFIX && !CheckedMode.ON ? collector.tryAllocateYoung2(tag, f0, f1) : 0;
        return v != 0 ? v : allocSlow(tag, f0, f1);
    }

    private long allocSlow(int tag, long f0, long f1) {
        enter("Heap.alloc");
        checkScannedTag("Heap.alloc", tag);
        checkValue("Heap.alloc", f0);
        checkValue("Heap.alloc", f1);
        long v = collector.tryAllocateYoung2(tag, f0, f1);
        if (v != 0) {
            return v;
        }
        int mark = roots.handleTop();
        roots.pushHandle(f0);
        roots.pushHandle(f1);
        try {
            v = allocate("Heap.alloc", 2, tag);
            f0 = roots.handle(mark);
            f1 = roots.handle(mark + 1);
        } finally {
            roots.popHandlesTo(mark);
        }
        barrier.initField(v, 0, f0);
        barrier.initField(v, 1, f1);
        return v;
    }

    /**
     * Allocates a block with three fields. The arguments are rooted across the allocation.
     *
     * @param tag the block's tag, 0..250 except {@link Tag#INFIX}
     * @param f0 field 0
     * @param f1 field 1
     * @param f2 field 2
     * @return a pointer to the new block (raw: valid until the next allocation)
     */
    public long alloc(int tag, long f0, long f1, long f2) {
        return allocFields(tag, f0, f1, f2);
    }

    /**
     * Allocates a block with the given fields. The fields are rooted across the allocation.
     *
     * @param tag the block's tag, 0..250 except {@link Tag#INFIX}
     * @param fields the fields, in order
     * @return a pointer to the new block (raw: valid until the next allocation)
     */
    public long allocFields(int tag, long... fields) {
        enter("Heap.allocFields");
        requireNonNull("Heap.allocFields", "fields", fields);
        checkScannedTag("Heap.allocFields", tag);
        checkSize("Heap.allocFields", fields.length);
        for (long f : fields) {
            checkValue("Heap.allocFields", f);
        }
        int mark = roots.handleTop();
        for (long f : fields) {
            roots.pushHandle(f);
        }
        long v;
        try {
            v = allocate("Heap.allocFields", fields.length, tag);
            for (int i = 0; i < fields.length; i++) {
                barrier.initField(v, i, roots.handle(mark + i));
            }
        } finally {
            roots.popHandlesTo(mark);
        }
        return v;
    }

    /**
     * Allocates an array block (tag 0) of {@code length} fields, each {@code init} (rooted).
     *
     * @param length the number of fields
     * @param init the value of every field
     * @return a pointer to the new block (raw: valid until the next allocation)
     */
    public long allocArray(int length, long init) {
        enter("Heap.allocArray");
        checkSize("Heap.allocArray", length);
        checkValue("Heap.allocArray", init);
        int mark = roots.handleTop();
        roots.pushHandle(init);
        long v;
        try {
            v = allocate("Heap.allocArray", length, 0);
            init = roots.handle(mark);
        } finally {
            roots.popHandlesTo(mark);
        }
        if (init != Value.NONE) {
            barrier.initFill(v, 0, length, init);
        }
        return v;
    }

    /**
     * Allocates a byte string holding the UTF-8 encoding of {@code s}.
     *
     * @param s the text
     * @return a pointer to the new string (raw: valid until the next allocation)
     */
    public long allocString(String s) {
        enter("Heap.allocString");
        requireNonNull("Heap.allocString", "the string", s);
        return allocBytes("Heap.allocString", s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Allocates a byte string holding {@code bytes}.
     *
     * @param bytes the bytes, copied
     * @return a pointer to the new string (raw: valid until the next allocation)
     */
    public long allocBytes(byte[] bytes) {
        enter("Heap.allocBytes");
        requireNonNull("Heap.allocBytes", "bytes", bytes);
        return allocBytes("Heap.allocBytes", bytes);
    }

    private long allocBytes(String op, byte[] bytes) {
        long v = allocStringOfLength(op, bytes.length);
        long a = Value.addressOf(v);
        long word = 0;
        for (int i = 0; i < bytes.length; i++) {
            word |= (bytes[i] & 0xFFL) << StringLayout.shiftOf(i);
            if ((i & 7) == 7) {
                arena.write(a + (i >>> 3), word);
                word = 0;
            }
        }
        if ((bytes.length & 7) != 0) {
            arena.write(a + (bytes.length >>> 3), word);
        }
        int size = StringLayout.sizeWords(bytes.length);
        long last = arena.read(a + size - 1);
        arena.write(a + size - 1, last | (StringLayout.paddingByte(size, bytes.length) << 56));
        return v;
    }

    /**
     * Allocates a byte string of {@code length} zero bytes (OCaml's {@code Bytes.make n '\000'}).
     *
     * @param length the length in bytes
     * @return a pointer to the new string (raw: valid until the next allocation)
     */
    public long allocBytes(int length) {
        enter("Heap.allocBytes");
        if (length < 0) {
            throw new IllegalArgumentException("Heap.allocBytes: length " + length + " is negative");
        }
        long v = allocStringOfLength("Heap.allocBytes", length);
        long a = Value.addressOf(v);
        int size = StringLayout.sizeWords(length);
        arena.write(a + size - 1, StringLayout.paddingByte(size, length) << 56);
        return v;
    }

    private long allocStringOfLength(String op, int length) {
        int size = StringLayout.sizeWords(length);
        checkSize(op, size);
        enter(op);
        return allocate(op, size, Tag.STRING);
    }

    /**
     * Allocates a boxed double.
     *
     * @param d the double
     * @return a pointer to the new box (raw: valid until the next allocation)
     */
    public long allocDouble(double d) {
        enter("Heap.allocDouble");
        long v = allocate("Heap.allocDouble", DoubleLayout.SIZE_WORDS, Tag.DOUBLE);
        arena.write(Value.addressOf(v), Double.doubleToRawLongBits(d));
        return v;
    }

    /**
     * Allocates a flat array of doubles ({@link Tag#DOUBLE_ARRAY}).
     *
     * @param values the doubles, copied
     * @return a pointer to the new array (raw: valid until the next allocation)
     */
    public long allocDoubleArray(double[] values) {
        enter("Heap.allocDoubleArray");
        requireNonNull("Heap.allocDoubleArray", "values", values);
        checkSize("Heap.allocDoubleArray", values.length);
        enter("Heap.allocDoubleArray");
        long v = allocate("Heap.allocDoubleArray", values.length, Tag.DOUBLE_ARRAY);
        long a = Value.addressOf(v);
        for (int i = 0; i < values.length; i++) {
            arena.write(a + i, Double.doubleToRawLongBits(values[i]));
        }
        return v;
    }

    /**
     * Allocates a {@link Tag#CUSTOM} block: field 0 holds {@code kind} (a client-chosen word
     * naming the payload's format), then {@code payloadWords} raw words, zeroed. The collector
     * never looks inside.
     *
     * @param kind the word stored in field 0, naming the payload's format
     * @param payloadWords the number of raw words after it
     * @return a pointer to the new block (raw: valid until the next allocation)
     */
    public long allocCustom(long kind, int payloadWords) {
        enter("Heap.allocCustom");
        if (payloadWords < 0) {
            throw new IllegalArgumentException("Heap.allocCustom: payload size " + payloadWords + " is negative");
        }
        if (kind == ForeignLayout.FOREIGN_KIND) {
            throw new IllegalArgumentException("Heap.allocCustom: kind " + kind
                    + " is reserved for foreign boxes; use allocForeign");
        }
        checkSize("Heap.allocCustom", payloadWords + 1);
        enter("Heap.allocCustom");
        long v = allocate("Heap.allocCustom", payloadWords + 1, Tag.CUSTOM);
        long a = Value.addressOf(v);
        arena.write(a + ForeignLayout.KIND_FIELD, kind);
        return v;
    }

    /**
     * Allocates a foreign box: a heap value standing for the Java object {@code object}. The
     * box can be stored in blocks, used as a key, finalised; the heap keeps {@code object}
     * reachable exactly as long as the box lives.
     *
     * @param object the Java object the box stands for
     * @return a pointer to the new box (raw: valid until the next allocation)
     */
    public long allocForeign(Object object) {
        enter("Heap.allocForeign");
        // The box first: its allocation may collect (or run finalisers that throw), and the
        // foreign table must never hold a slot without its box.
        long v = allocate("Heap.allocForeign", ForeignLayout.SIZE_WORDS, Tag.CUSTOM);
        int slot = collector.addForeign(object);
        long a = Value.addressOf(v);
        arena.write(a + ForeignLayout.KIND_FIELD, ForeignLayout.FOREIGN_KIND);
        arena.write(a + ForeignLayout.SLOT_FIELD, slot);
        collector.bindForeign(slot, v);
        return v;
    }

    /**
     * {@return the Java object of the foreign box {@code box}}
     *
     * @param box a foreign box made by {@link #allocForeign}
     */
    public Object foreign(long box) {
        long a = block("Heap.foreign", box);
        if (!isForeignBox(a)) {
            throw new WrongTagException("Heap.foreign: expected a foreign box, got " + describeBlock(box));
        }
        return collector.foreign((int) arena.read(a + ForeignLayout.SLOT_FIELD));
    }

    /**
     * {@return true if {@code v} is a foreign box}
     *
     * @param v any value
     */
    public boolean isForeign(long v) {
        enter("Heap.isForeign");
        return Value.isBlock(v) && isForeignBox(block("Heap.isForeign", v));
    }

    private boolean isForeignBox(long a) {
        long h = arena.read(a - 1);
        return Header.tag(h) == Tag.CUSTOM && Header.sizeWords(h) == ForeignLayout.SIZE_WORDS
                && arena.read(a + ForeignLayout.KIND_FIELD) == ForeignLayout.FOREIGN_KIND;
    }

    /**
     * Allocates, collecting if needed; throws if exhausted. Every raw pointer not in a root is
     * invalid afterwards. When configured, pending finalisers run first (a safe point).
     */
    long allocate(String op, int sizeWords, int tag) {
        finalisation.atAllocation();
        long v = collector.allocate(sizeWords, tag);
        if (v == 0) {
            throw exhausted(op, sizeWords);
        }
        return v;
    }

    /** Allocates directly in the major heap (ephemerons); otherwise like {@link #allocate}. */
    long allocateOld(String op, int sizeWords, int tag) {
        finalisation.atAllocation();
        long v = collector.allocateOld(sizeWords, tag);
        if (v == 0) {
            throw exhausted(op, sizeWords);
        }
        return v;
    }

    private HeapExhaustedException exhausted(String op, int sizeWords) {
        return new HeapExhaustedException(op + ": heap exhausted allocating " + sizeWords
                + " words (max heap " + collector.maxHeapWords() + " words, live "
                + collector.liveWords() + " words after a full major collection"
                + (collector.jvmMemoryExhausted() ? "; the JVM is out of memory: its maximum is "
                        + (Runtime.getRuntime().maxMemory() >> 20) + " MiB" : "") + ")");
    }

    // ================================================================== access

    /**
     * {@return the tag of the block {@code v}}
     *
     * @param v a pointer to a block
     */
    public int tag(long v) {
        return Header.tag(arena.read(block("Heap.tag", v) - 1));
    }

    /**
     * {@return the number of fields (words) of the block {@code v}}
     *
     * @param v a pointer to a block
     */
    public int size(long v) {
        return Header.sizeWords(arena.read(block("Heap.size", v) - 1));
    }

    /**
     * {@return field {@code i} of the scanned block {@code v}}
     *
     * @param v a pointer to a scanned block
     * @param i the field's index, in [0, size)
     */
    public long field(long v, int i) {
        long[] chunk = chunkOf("Heap.field", v);
        int o = (int) (v >>> 1);
        return chunk[o + scannedIndex("Heap.field", v, chunk[o - 1], i)];
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
        long[] chunk = chunkOf("Heap.setField", v);
        scannedIndex("Heap.setField", v, chunk[(int) (v >>> 1) - 1], i);
        if (CheckedMode.ON) {
            checkValue("Heap.setField", x);
        }
        barrier.storeField(v, i, x);
    }

    /**
     * The storage chunk of the block {@code v}: the small, always-inlined fast path of every
     * accessor. Immediates, NONE, a closed heap and (in checked mode) everything go to
     * {@link #checkedChunk}; the owner thread is checked there, so only in checked mode for the
     * values that take the fast path (see {@link #enterFast}).
     */
    private long[] chunkOf(String op, long v) {
        if ((v & 1L) != 0 || v == Value.NONE || CheckedMode.ON || closed) {
            return checkedChunk(op, v);
        }
        return arena.storage((int) (v >>> 33));
    }

    private long[] checkedChunk(String op, long v) {
        block(op, v);
        return arena.storage((int) (v >>> 33));
    }

    /** {@code i} if it is a valid field index of a scanned block with header {@code h}; else throws. */
    private static int scannedIndex(String op, long v, long h, int i) {
        if (i < 0 || i >= Header.sizeWords(h) || Header.tag(h) >= Tag.NO_SCAN) {
            throw fieldError(op, v, h, i);
        }
        return i;
    }

    private static RuntimeException fieldError(String op, long v, long h, int i) {
        if (Header.tag(h) >= Tag.NO_SCAN) {
            return new WrongTagException(op + ": expected a scanned block, got " + Value.describe(v)
                    + " with tag " + Header.tag(h) + " (" + Tag.name(Header.tag(h)) + ")");
        }
        return indexError(op, v, h, i);
    }

    /**
     * {@return raw word {@code i} of a raw block (string, double, double array, custom)}
     *
     * @param v a pointer to a raw block
     * @param i the word's index, in [0, size)
     */
    public long rawField(long v, int i) {
        long a = block("Heap.rawField", v);
        long h = arena.read(a - 1);
        checkIndex("Heap.rawField", v, h, i);
        if (!isRawTag(Header.tag(h))) {
            throw wrongTag("Heap.rawField", "a raw block", v, h);
        }
        return arena.read(a + i);
    }

    /**
     * Stores a raw word in a raw block. Field 0 of a custom block (its kind) cannot be changed.
     *
     * @param v a pointer to a raw block
     * @param i the word's index, in [0, size); at least 1 for a custom block
     * @param word the word to store; never read as a value
     */
    public void setRawField(long v, int i, long word) {
        long a = block("Heap.setRawField", v);
        long h = arena.read(a - 1);
        checkIndex("Heap.setRawField", v, h, i);
        int tag = Header.tag(h);
        if (!isRawTag(tag)) {
            throw wrongTag("Heap.setRawField", "a raw block", v, h);
        }
        if (tag == Tag.CUSTOM && i == ForeignLayout.KIND_FIELD) {
            throw new IllegalArgumentException("Heap.setRawField: field 0 of a custom block holds its kind and is read-only");
        }
        if (tag == Tag.CUSTOM && isForeignBox(a)) {
            throw new IllegalArgumentException("Heap.setRawField: foreign boxes are read-only");
        }
        arena.write(a + i, word);
    }

    private static boolean isRawTag(int tag) {
        return tag == Tag.STRING || tag == Tag.DOUBLE || tag == Tag.DOUBLE_ARRAY || tag == Tag.CUSTOM;
    }

    /**
     * {@return the double in the boxed double {@code v}}
     *
     * @param v a pointer to a boxed double
     */
    public double doubleValue(long v) {
        long a = block("Heap.doubleValue", v);
        long h = arena.read(a - 1);
        if (Header.tag(h) != Tag.DOUBLE) {
            throw wrongTag("Heap.doubleValue", "a boxed double", v, h);
        }
        return Double.longBitsToDouble(arena.read(a));
    }

    /**
     * {@return element {@code i} of the double array {@code v}}
     *
     * @param v a pointer to a double array
     * @param i the element's index, in [0, size)
     */
    public double doubleField(long v, int i) {
        long a = block("Heap.doubleField", v);
        long h = arena.read(a - 1);
        checkIndex("Heap.doubleField", v, h, i);
        if (Header.tag(h) != Tag.DOUBLE_ARRAY) {
            throw wrongTag("Heap.doubleField", "a double array", v, h);
        }
        return Double.longBitsToDouble(arena.read(a + i));
    }

    /**
     * Stores element {@code i} of the double array {@code v}.
     *
     * @param v a pointer to a double array
     * @param i the element's index, in [0, size)
     * @param d the double to store
     */
    public void setDoubleField(long v, int i, double d) {
        long a = block("Heap.setDoubleField", v);
        long h = arena.read(a - 1);
        checkIndex("Heap.setDoubleField", v, h, i);
        if (Header.tag(h) != Tag.DOUBLE_ARRAY) {
            throw wrongTag("Heap.setDoubleField", "a double array", v, h);
        }
        arena.write(a + i, Double.doubleToRawLongBits(d));
    }

    /**
     * {@return the length in bytes of the string {@code v}}
     *
     * @param v a pointer to a string
     */
    public int stringLength(long v) {
        long a = stringBlock("Heap.stringLength", v);
        int size = Header.sizeWords(arena.read(a - 1));
        return StringLayout.lengthBytes(size, arena.read(a + size - 1));
    }

    /**
     * {@return byte {@code i} (0..255) of the string {@code v}}
     *
     * @param v a pointer to a string
     * @param i the byte's index, in [0, length)
     */
    public int byteAt(long v, int i) {
        long a = stringBlock("Heap.byteAt", v);
        int size = Header.sizeWords(arena.read(a - 1));
        int length = StringLayout.lengthBytes(size, arena.read(a + size - 1));
        if (i < 0 || i >= length) {
            throw new IndexOutOfBoundsException("Heap.byteAt: index " + i + " out of range [0, " + length + ")");
        }
        return (int) (arena.read(a + (i >>> 3)) >>> StringLayout.shiftOf(i)) & 0xFF;
    }

    /**
     * Stores byte {@code i} of the string {@code v} (strings are mutable, like OCaml's bytes).
     *
     * @param v a pointer to a string
     * @param i the byte's index, in [0, length)
     * @param b the byte, 0..255
     */
    public void setByteAt(long v, int i, int b) {
        long a = stringBlock("Heap.setByteAt", v);
        int size = Header.sizeWords(arena.read(a - 1));
        int length = StringLayout.lengthBytes(size, arena.read(a + size - 1));
        if (i < 0 || i >= length) {
            throw new IndexOutOfBoundsException("Heap.setByteAt: index " + i + " out of range [0, " + length + ")");
        }
        long w = a + (i >>> 3);
        int shift = StringLayout.shiftOf(i);
        arena.write(w, (arena.read(w) & ~(0xFFL << shift)) | ((b & 0xFFL) << shift));
    }

    /**
     * {@return the bytes of the string {@code v}}
     *
     * @param v a pointer to a string
     */
    public byte[] bytes(long v) {
        long a = stringBlock("Heap.bytes", v);
        int size = Header.sizeWords(arena.read(a - 1));
        int length = StringLayout.lengthBytes(size, arena.read(a + size - 1));
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) (arena.read(a + (i >>> 3)) >>> StringLayout.shiftOf(i));
        }
        return out;
    }

    /**
     * {@return the string {@code v} decoded as UTF-8}
     *
     * @param v a pointer to a string holding UTF-8
     */
    public String stringValue(long v) {
        return new String(bytes(v), StandardCharsets.UTF_8);
    }

    private long stringBlock(String op, long v) {
        long a = block(op, v);
        long h = arena.read(a - 1);
        if (Header.tag(h) != Tag.STRING) {
            throw wrongTag(op, "a string", v, h);
        }
        return a;
    }

    /**
     * {@return the identity hash of the block {@code v}: a number in [1, 2<sup>22</sup>) chosen
     * when first asked for and stored in the block's header, so it survives the block moving and no
     * table keyed by identity ever needs rehashing after a collection}
     *
     * @param v a pointer to a block
     */
    public int identityHash(long v) {
        long a = block("Heap.identityHash", v);
        int hash = collector.storedHash(a - 1);
        if (hash == 0) {
            do {
                int x = hashState;
                x ^= x << 13;
                x ^= x >>> 17;
                x ^= x << 5;
                hashState = x;
                hash = x & ((1 << Header.HASH_BITS) - 1);
            } while (hash == 0);
            collector.storeHash(a - 1, hash);
        }
        return hash;
    }

    /**
     * {@return a shallow copy of the block {@code v}: a new block with the same tag and the same
     * fields} Custom blocks (foreign boxes included) and ephemerons are returned as they are, not
     * copied (as OCaml's {@code get_copy} does for custom blocks). Immediates and NONE are returned
     * unchanged.
     *
     * @param v any value
     */
    public long shallowCopy(long v) {
        enter("Heap.shallowCopy");
        if (!Value.isBlock(v)) {
            return v;
        }
        long a = block("Heap.shallowCopy", v);
        long h = arena.read(a - 1);
        int tag = Header.tag(h);
        if (tag == Tag.CUSTOM || tag == Tag.EPHEMERON) {
            return v;
        }
        int size = Header.sizeWords(h);
        int mark = roots.handleTop();
        roots.pushHandle(v);
        long copy;
        try {
            copy = allocate("Heap.shallowCopy", size, tag);
            v = roots.handle(mark);
        } finally {
            roots.popHandlesTo(mark);
        }
        barrier.initCopy(v, copy, size, Tag.isScanned(tag));
        return copy;
    }

    /**
     * {@return true if {@code v} points into the young generation (it will move at the next minor
     * collection)}
     *
     * @param v any value
     */
    public boolean isYoung(long v) {
        checkValue("Heap.isYoung", v);
        return collector.isYoung(v);
    }

    // ================================================================== roots

    /**
     * Opens a scope for handles; close it (try-with-resources) to release them.
     *
     * @return the new scope, now the innermost
     */
    public Scope openScope() {
        enter("Heap.openScope");
        return new Scope(this, ++scopeDepth);
    }

    /**
     * {@return a strong global root holding {@code v}; release it when done}
     *
     * @param v the value to hold
     */
    public GlobalRoot newGlobalRoot(long v) {
        return newRoot("Heap.newGlobalRoot", v, Rank.STRONG);
    }

    /**
     * {@return a weak global root (MPS rank weak): it does not keep {@code v} alive, follows it
     * while it lives, and becomes {@link Value#NONE} when it dies}
     *
     * @param v the value to follow
     */
    public GlobalRoot newWeakRoot(long v) {
        return newRoot("Heap.newWeakRoot", v, Rank.WEAK);
    }

    private GlobalRoot newRoot(String op, long v, Rank rank) {
        enter(op);
        checkValue(op, v);
        RootSet.SlotTable table = roots.globals(rank == Rank.WEAK);
        return new GlobalRoot(this, table, table.add(v), rank);
    }

    /**
     * {@return a new root area of {@code capacity} slots, none of them in use yet}
     *
     * @param capacity the initial number of slots
     * @param rank {@link Rank#STRONG} or {@link Rank#WEAK}: whether the slots keep their values
     *     alive
     */
    public RootArea newRootArea(int capacity, Rank rank) {
        enter("Heap.newRootArea");
        if (capacity < 0 || capacity > MAX_ROOT_AREA_SLOTS) {
            throw new IllegalArgumentException("Heap.newRootArea: capacity " + capacity + " out of range [0, "
                    + MAX_ROOT_AREA_SLOTS + "]");
        }
        requireNonNull("Heap.newRootArea", "rank", rank);
        RootArea area = new RootArea(this, capacity, rank);
        roots.addRegion(area.region, rank == Rank.WEAK);
        return area;
    }

    void removeRootArea(RootArea area) {
        roots.removeRegion(area.region);
    }

    // ================================================================== safe points & lifecycle

    /**
     * A safe point: runs the finalisers that collections have queued (OCaml's pending actions),
     * then the collection a JMX client requested through the heap's {@link HeapMXBean}, if any.
     * An exception thrown by a finaliser propagates from here; the rest stay queued.
     */
    public void poll() {
        enter("Heap.poll");
        finalisation.runPending();
        guardians.deliver();
        if (monitor != null) {
            gc.serviceRequests();
        }
    }

    /** Runs the heap verifier now; throws {@link dev.ephemera.event.HeapCorruptionError} if broken. */
    public void verify() {
        enter("Heap.verify");
        collector.verify("on request");
    }

    /** {@return the thread that may use this heap} */
    public Thread owner() {
        return owner;
    }

    /**
     * Hands the heap to {@code thread}: from now on only it may use the heap. Must be called by
     * the current owner, with no open scope.
     *
     * @param thread the new owner
     */
    public void transferTo(Thread thread) {
        enter("Heap.transferTo");
        if (thread == null) {
            throw new IllegalArgumentException("Heap.transferTo: thread is null");
        }
        if (scopeDepth != 0) {
            throw new IllegalStateException("Heap.transferTo: " + scopeDepth + " scope(s) still open");
        }
        owner = thread;
        user = thread;
    }

    /** Releases the heap's memory. Any later use raises {@link HeapClosedException}. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        checkOwner("Heap.close");
        closed = true;
        user = null;
        if (monitor != null) {
            monitor.close();
        }
        collector.close();
    }

    /** {@return whether the heap has been closed} */
    public boolean isClosed() {
        return closed;
    }

    // ================================================================== checks

    /**
     * Entry check (closed heap, owner thread), always done; one comparison, small enough to
     * inline everywhere (a closed heap has no user thread).
     */
    void enter(String op) {
        if (Thread.currentThread() != user) {
            enterFailed(op);
        }
    }

    /**
     * For libraries built on the heap (the weak tables, an interpreter): the entry check every
     * heap operation does, reported under the library operation's name {@code op} — the heap is
     * open ({@link HeapClosedException}) and used by its owner ({@link WrongThreadException}).
     *
     * @param op the library operation's name, for the exception's message
     */
    public void checkUsable(String op) {
        enter(op);
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
        checkValue(op, v);
    }

    /**
     * The entry check of the hottest paths — {@code field}, {@code setField}, the one- and
     * two-field {@code alloc}, handles, global roots and root areas: the closed-heap check always
     * (a field read), the owner-thread check only in checked mode. {@code Thread.currentThread()}
     * is two dependent loads on current JDKs; on these paths it cost a quarter of a field access
     * (docs/benchmarks.md, "Always-on entry checks").
     */
    void enterFast(String op) {
        if (CheckedMode.ON ? Thread.currentThread() != user : closed) {
            enterFailed(op);
        }
    }

    /** {@link #enterFast} as a test, for fast paths that branch to a slow one. */
    boolean usableFast() {
        return CheckedMode.ON ? Thread.currentThread() == user : !closed;
    }

    private void enterFailed(String op) {
        if (closed) {
            throw new HeapClosedException(op + ": the heap is closed");
        }
        checkOwner(op);
    }

    private void checkOwner(String op) {
        if (Thread.currentThread() != owner) {
            throw new WrongThreadException(op + ": heap owned by thread \"" + owner.getName()
                    + "\" used from thread \"" + Thread.currentThread().getName() + "\"");
        }
    }

    /**
     * Checks that {@code v} is a pointer to a block and returns its field-0 address; always
     * checks the owner thread and a closed heap. In checked mode it also checks that {@code v}
     * points to the start of a live block ({@link StalePointerException},
     * {@link ForgedPointerException}) before anything is read through it.
     */
    long block(String op, long v) {
        enter(op);
        if ((v & 1L) != 0 || v == Value.NONE) {
            throw new NotABlockException(op + ": expected a block, got " + Value.describe(v));
        }
        if (CheckedMode.ON) {
            checkNotStale(op, v);
        }
        return Value.addressOf(v);
    }

    /**
     * Checks a value about to be stored or passed in: always the owner thread and a closed heap;
     * in checked mode, that a pointer is the start of a live block.
     */
    void checkValue(String op, long v) {
        enter(op);
        if (CheckedMode.ON && Value.isBlock(v)) {
            checkNotStale(op, v);
        }
    }

    private void checkNotStale(String op, long v) {
        int verdict = collector.pointers().check(v);
        if (verdict != PointerCheck.OK) {
            throw badPointer(op, v, verdict);
        }
    }

    private static StalePointerException badPointer(String op, long v, int verdict) {
        String message = op + ": " + (PointerCheck.isForged(verdict) ? "invalid" : "stale") + " pointer "
                + Value.describe(v) + ": " + PointerCheck.explain(verdict);
        return PointerCheck.isForged(verdict) ? new ForgedPointerException(message) : new StalePointerException(message);
    }

    /** The most slots a root area may be created with (it may grow later). */
    static final int MAX_ROOT_AREA_SLOTS = 1 << 26;

    static void requireNonNull(String op, String what, Object o) {
        if (o == null) {
            throw new IllegalArgumentException(op + ": " + what + " is null");
        }
    }

    private static void checkScannedTag(String op, int tag) {
        if (!Tag.isAllocatable(tag)) {
            throw new IllegalArgumentException(op + ": tag " + tag + " is not a scanned block tag (0.."
                    + (Tag.NO_SCAN - 1) + ", not " + Tag.INFIX + "); use the specific allocator for "
                    + Tag.name(tag) + " blocks");
        }
    }

    private static void checkSize(String op, int sizeWords) {
        if (sizeWords < 0 || sizeWords > Header.MAX_SIZE_WORDS) {
            throw new IllegalArgumentException(op + ": size " + sizeWords + " words out of range [0, "
                    + Header.MAX_SIZE_WORDS + "]");
        }
    }

    private static void checkIndex(String op, long v, long header, int i) {
        if (i < 0 || i >= Header.sizeWords(header)) {
            throw indexError(op, v, header, i);
        }
    }

    private static IndexOutOfBoundsException indexError(String op, long v, long header, int i) {
        return new IndexOutOfBoundsException(op + ": index " + i + " out of range [0, "
                + Header.sizeWords(header) + ") for " + Value.describe(v) + " (" + Tag.name(Header.tag(header)) + ")");
    }

    WrongTagException wrongTag(String op, String expected, long v, long header) {
        return new WrongTagException(op + ": expected " + expected + ", got " + Value.describe(v)
                + " with tag " + Header.tag(header) + " (" + Tag.name(Header.tag(header)) + ")");
    }

    String describeBlock(long v) {
        long h = arena.read(Value.addressOf(v) - 1);
        return Value.describe(v) + " with tag " + Header.tag(h) + " (" + Tag.name(Header.tag(h)) + ")";
    }
}
