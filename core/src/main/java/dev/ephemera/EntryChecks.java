package dev.ephemera;

import dev.ephemera.gc.PointerCheck;
import dev.ephemera.memory.Arena;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.Header;

/**
 * What every heap operation checks before it acts: the heap is open, the calling thread owns it,
 * and its arguments are what it needs — a pointer to a block (in checked mode, to the start of a
 * live block of this heap), a tag it may allocate, a size and an index in range. The errors name
 * the operation and the bad argument. It also keeps the state the first two checks read: the
 * owner thread and whether the heap is closed.
 *
 * <p>Speed: {@link #enter} is one comparison, {@code Thread.currentThread() != user}, which also
 * fails for every thread once the heap is closed (a closed heap has no user). The hottest paths
 * use {@link #enterFast} or {@link #usableFast} instead, which check the owner thread only in
 * checked mode (see {@link Heap}).
 */
final class EntryChecks {
    private final Arena arena;
    private final PointerCheck pointers;
    /** Not volatile: handing the heap over needs a happens-before edge the client provides anyway. */
    private Thread owner;
    /** The owner while the heap is open, null once it is closed. */
    private Thread user;
    private boolean closed;

    EntryChecks(Arena arena, PointerCheck pointers) {
        this.arena = arena;
        this.pointers = pointers;
        this.owner = Thread.currentThread();
        this.user = owner;
    }

    // ================================================================== owner and closing

    Thread owner() {
        return owner;
    }

    /** Makes {@code thread} the owner; the caller has checked it may. */
    void setOwner(Thread thread) {
        owner = thread;
        user = thread;
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Marks the heap closed: every later entry check fails. False if it was closed already;
     * refused while the heap is {@code collecting} (from a listener's callback): the collection
     * would go on in a heap whose memory is gone.
     */
    boolean close(String op, boolean collecting) {
        if (closed) {
            return false;
        }
        checkOwner(op);
        if (collecting) {
            throw new IllegalStateException(op + ": the heap is collecting (a GcListener or the GC log"
                    + " may not close it); close it once the collection has returned");
        }
        closed = true;
        user = null;
        return true;
    }

    /**
     * Entry check (closed heap, owner thread), always done; one comparison, small enough to
     * inline everywhere.
     */
    void enter(String op) {
        if (Thread.currentThread() != user) {
            enterFailed(op);
        }
    }

    /**
     * The entry check of the hottest paths — {@code field}, {@code setField}, {@code tag},
     * {@code size}, the one- and two-field {@code alloc}, handles, global roots and root areas:
     * the closed-heap check always (a field read), the owner-thread check only in checked mode. {@code Thread.currentThread()}
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

    // ================================================================== values

    /**
     * Checks that {@code v} is a pointer to a block and returns its field-0 address; always
     * checks the owner thread and a closed heap. In checked mode it also checks that {@code v}
     * points to the start of a live block ({@link StalePointerException},
     * {@link ForgedPointerException}) before anything is read through it.
     */
    long block(String op, long v) {
        enterWithBlock(op, v);
        if (!CheckedMode.ON) {
            checkMapped(op, v);
        }
        return Value.addressOf(v);
    }

    /**
     * What {@link #block} and {@link #blockHeader} check before they read: the entry, that
     * {@code v} is a block, and in checked mode that it is a live one.
     */
    private void enterWithBlock(String op, long v) {
        enter(op);
        if ((v & 1L) != 0 || v == Value.NONE) {
            throw new NotABlockException(op + ": expected a block, got " + Value.describe(v));
        }
        if (CheckedMode.ON) {
            checkLive(op, v);
        }
    }

    /**
     * {@link #block} and the block's header in one, for the accessors that read the header
     * anyway (ephemerons and weak arrays: the tag, the number of keys): the same checks, but the
     * chunk is looked up once and the JVM's bounds check on the header's read stands for
     * {@link #checkMapped}'s range test, caught as on {@code Heap.field}'s fast path.
     */
    long blockHeader(String op, long v) {
        enterWithBlock(op, v);
        long[] chunk = arena.chunk(Value.chunkIndexOf(v));
        if (chunk == null) {
            throw outsideChunk(op, v);
        }
        try {
            return chunk[Arena.offsetOf(Header.addressOf(Value.addressOf(v)))];
        } catch (ArrayIndexOutOfBoundsException outside) {
            throw outsideChunk(op, v);
        }
    }

    /**
     * Unchecked mode's one pointer check, made off the hot paths and by their slow path: the
     * block's header lies inside a mapped chunk. A made-up or stale pointer may still read
     * another block (only checked mode tells block starts), but none reads outside the arena's
     * arrays: it raises {@link StalePointerException} or {@link ForgedPointerException}, naming
     * {@code op}, never an {@code ArrayIndexOutOfBoundsException} or a
     * {@code NullPointerException}.
     */
    private void checkMapped(String op, long v) {
        long[] chunk = arena.chunk(Value.chunkIndexOf(v));
        int o = Arena.offsetOf(Value.addressOf(v));
        if (chunk == null || o < 1 || o > chunk.length) {
            throw outsideChunk(op, v);
        }
    }

    /**
     * The exception for {@code v}, which lies outside every mapped chunk: stale if its chunk was
     * mapped once, else forged. Also what the accessors' fast paths throw when the JVM's bounds
     * check fails, which they catch rather than test the range themselves.
     */
    StalePointerException outsideChunk(String op, long v) {
        int index = Value.chunkIndexOf(v);
        return arena.chunk(index) == null && arena.wasReserved(index)
                ? new StalePointerException(PointerCheck.message(op, v, PointerCheck.UNMAPPED))
                : new ForgedPointerException(PointerCheck.message(op, v, PointerCheck.OUTSIDE_CHUNK));
    }

    /**
     * Checks a value about to be stored or passed in: always the owner thread and a closed heap;
     * in checked mode, that a pointer is the start of a live block.
     */
    void checkValue(String op, long v) {
        enter(op);
        if (CheckedMode.ON && Value.isBlock(v)) {
            checkLive(op, v);
        }
    }

    /** Checked mode: the collector's verdict on the pointer {@code v}, as the API's exception. */
    private void checkLive(String op, long v) {
        int verdict = pointers.check(v);
        if (verdict != PointerCheck.OK) {
            String message = PointerCheck.message(op, v, verdict);
            throw PointerCheck.isForged(verdict) ? new ForgedPointerException(message)
                    : new StalePointerException(message);
        }
    }

    /**
     * The header of the block whose field 0 is at {@code address}: an address {@link #block}
     * returned, or one read from the heap itself.
     */
    long header(long address) {
        return arena.read(Header.addressOf(address));
    }

    /** The block {@code v} for an error message: its value, tag and tag name. */
    String describeBlock(long v) {
        long h = header(Value.addressOf(v));
        return Value.describe(v) + " with tag " + Header.tag(h) + " (" + Tag.name(Header.tag(h)) + ")";
    }

    // ================================================================== arguments

    static void requireNonNull(String op, String what, Object o) {
        if (o == null) {
            throw new IllegalArgumentException(op + ": " + what + " is null");
        }
    }

    static void checkScannedTag(String op, int tag) {
        if (!Tag.isAllocatable(tag)) {
            throw new IllegalArgumentException(op + ": tag " + tag + " is not a scanned block tag (0.."
                    + (Tag.NO_SCAN - 1) + ", not " + Tag.INFIX + "); use the specific allocator for "
                    + Tag.name(tag) + " blocks");
        }
    }

    /**
     * Refuses a block too short for its tag's layout, which OCaml's hash and compare (and ours,
     * {@code OcamlHash} and {@code StructuralEquality}) read: a {@link Tag#FORWARD} block holds
     * its value in field 0, an {@link Tag#OBJECT} block its class and id in fields 0 and 1.
     */
    static void checkShape(String op, int tag, int sizeWords) {
        int least = tag == Tag.FORWARD ? 1 : tag == Tag.OBJECT ? 2 : 0;
        if (sizeWords < least) {
            throw new IllegalArgumentException(op + ": a block of tag " + tag + " (" + Tag.name(tag)
                    + ") needs at least " + least + (least == 1 ? " field" : " fields") + ", got " + sizeWords);
        }
    }

    static void checkSize(String op, int sizeWords) {
        if (sizeWords < 0 || sizeWords > Header.MAX_SIZE_WORDS) {
            throw new IllegalArgumentException(op + ": size " + sizeWords + " words out of range [0, "
                    + Header.MAX_SIZE_WORDS + "]");
        }
    }

    /** Checks that {@code i} is a field index of the block {@code v}, whose header is {@code header}. */
    static void checkIndex(String op, long v, long header, int i) {
        if (i < 0 || i >= Header.sizeWords(header)) {
            throw indexError(op, v, header, i);
        }
    }

    static IndexOutOfBoundsException indexError(String op, long v, long header, int i) {
        return new IndexOutOfBoundsException(op + ": index " + i + " out of range [0, "
                + Header.sizeWords(header) + ") for " + Value.describe(v) + " (" + Tag.name(Header.tag(header)) + ")");
    }

    static WrongTagException wrongTag(String op, String expected, long v, long header) {
        return new WrongTagException(op + ": expected " + expected + ", got " + Value.describe(v)
                + " with tag " + Header.tag(header) + " (" + Tag.name(Header.tag(header)) + ")");
    }
}
