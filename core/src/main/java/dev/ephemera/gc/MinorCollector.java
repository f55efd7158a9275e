package dev.ephemera.gc;

import dev.ephemera.event.Phase;
import dev.ephemera.memory.Arena;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.EphemeronLayout;
import dev.ephemera.object.layout.ForwardingLayout;
import dev.ephemera.object.layout.Header;
import java.util.List;

/**
 * The minor collection: copies the young blocks that survive into the major heap and empties
 * the nursery (OCaml's {@code caml_empty_minor_heap}), as a schedule of phases run to the end:
 *
 * <ol>
 * <li>{@link Phase#MINOR_ROOTS}: strong roots, the remembered slots and the weak clients' roots
 *     (young finaliser rows, fresh queued finalisers) are forwarded; a remembered slot's block
 *     with the chain it leads to through last young fields ({@link #promoteChains}), so a young
 *     list stored in an old block is promoted in this phase;</li>
 * <li>{@link Phase#MINOR_CLOSURE}: the copies are scanned from an explicit stack until no young
 *     pointer is left (Cheney's algorithm with a stack instead of a scan pointer, since the
 *     copies are not contiguous; each scan follows its block's last young field at once);</li>
 * <li>{@link Phase#MINOR_EPHEMERONS}: the ephemeron rule among young values
 *     ({@link EphemeronFixpoint#minorStart});</li>
 * <li>{@link Phase#MINOR_FINALISE}: the weak clients' resurrecting rounds (guardians keep young
 *     registered objects), then their selection of the dead (young finalise-last values);</li>
 * <li>{@link Phase#MINOR_CLEAR}: the weak clients clear what died and follow what moved
 *     (ephemeron slots, weak roots, foreign boxes); the nursery is reset.</li>
 * </ol>
 *
 * <p>A copied block is marked in the nursery by turning it into a {@linkplain ForwardingLayout
 * forwarding stub}: its header coloured {@link Header#BLACK}, the new pointer in field 0 (every
 * nursery block has at least one word of fields).
 * The copy gets the major heap's {@linkplain MajorHeap#allocationColour allocation colour}:
 * black while a major cycle marks or cleans.
 */
final class MinorCollector extends Tracer {
    /** The budget of every minor collection, which runs to its end: one, so a collection allocates none. */
    private final Budget everything = Budget.unlimited();
    private final Arena arena;
    private final Nursery nursery;
    private final MajorHeap major;
    private final RememberedSet remembered;
    private final EphemeronFixpoint ephemerons;
    private final RootSet roots;
    /** An array, not a list: iterating it allocates nothing, and a minor collection should not allocate. */
    private final WeakClient[] clients;
    private final Schedule schedule;
    private final LongStack toScan = new LongStack(4096);
    private final LongStack retained = new LongStack(64);
    private final SlotVisitor forwarder = this::forward;
    private long promotedWords;
    /**
     * The bump region of the major heap leased by the chain loop: cells of class
     * {@code leaseClass} in [{@code leaseCursor}, {@code leaseLimit}) of {@code leaseChunk},
     * taken by bumping the cursor with no call into the allocator; -1: no lease. Open only
     * inside {@link #promoteChains}: {@link #newLease} and {@link #followChain} hand it back
     * ({@link #endLease}) before anything else allocates in the major heap ({@link #forward}
     * included), and {@code promoteChains} ends the last one and lets go of its chunk (a chunk
     * the heap later releases must not stay reachable from here). A collection starts with none
     * (one that failed half-way may have left its lease open: that collection is lost anyway).
     */
    private int leaseClass = -1;
    private long leaseCursor;
    private long leaseLimit;
    private long[] leaseChunk;
    /** {@link #promotedWords} when the lease began, its first cell included: the lease holds the rest. */
    private long leaseStartWords;
    /**
     * {@link #copyFields}' answer: its low bits are the index of the last young field plus one (0:
     * none); this bit is set if young fields precede that one.
     */
    private static final int OTHER_YOUNG = 1 << 30;
    /** Blocks up to this many fields are copied a field at a time, their young fields noted. */
    private static final int SMALL_BLOCK_FIELDS = 8;

    MinorCollector(Arena arena, Nursery nursery, MajorHeap major, RememberedSet remembered,
                   EphemeronFixpoint ephemerons, RootSet roots, List<WeakClient> clients) {
        this.arena = arena;
        this.nursery = nursery;
        this.major = major;
        this.remembered = remembered;
        this.ephemerons = ephemerons;
        this.roots = roots;
        this.clients = clients.toArray(new WeakClient[0]);
        this.schedule = new Schedule(
                new Phase[] {Phase.MINOR_ROOTS, Phase.MINOR_CLOSURE, Phase.MINOR_EPHEMERONS, Phase.MINOR_FINALISE,
                    Phase.MINOR_CLEAR},
                new Schedule.Step[] {this::forwardRoots, b -> drain(), this::ephemeronRule, this::finalise,
                    this::clear});
    }

    /** Runs a minor collection; returns the words promoted. */
    long collect(PhaseTimer timer) {
        promotedWords = 0;
        leaseClass = -1;
        schedule.start();
        schedule.run(everything, timer);
        return promotedWords;
    }

    private boolean forwardRoots(Budget budget) {
        roots.forEachStrong(forwarder);
        promoteChains(null, 0, 0, remembered.slots);
        for (WeakClient c : clients) {
            c.visitRoots(this);
        }
        return true;
    }

    private boolean ephemeronRule(Budget budget) {
        ephemerons.minorStart(remembered.ephemeronSlots, this, promotedWords);
        return drain();
    }

    private boolean finalise(Budget budget) {
        boolean again = true;
        for (int round = 0; again; round++) {
            again = false;
            for (WeakClient c : clients) {
                again |= c.resurrect(this, round);
            }
            drain();
        }
        for (WeakClient c : clients) {
            c.selectDead(this);
        }
        return true;
    }

    private boolean clear(Budget budget) {
        for (WeakClient c : clients) {
            c.clear(this, budget);
        }
        remembered.clear();
        nursery.reset();
        toScan.clear();
        retained.clear();
        return true;
    }

    /**
     * Returns the post-collection pointer for {@code v}, copying its block if young and not yet
     * copied (the copy, if it has young fields, is pushed to be scanned).
     *
     * <p>The rare case (a waited key) is out of line: the common path stays small enough for the
     * JIT to inline it, and {@link #copy}, where it is called (the roots' loops).
     */
    long forward(long v) {
        if ((v & 1L) != 0 || Value.chunkIndexOf(v) != nursery.chunkIndex) {
            return v;
        }
        long[] src = nursery.storage;
        int o = Arena.offsetOf(Value.addressOf(v));
        long h = src[o + Header.OFFSET];
        if (ForwardingLayout.isForwarded(h)) {
            return src[o + ForwardingLayout.NEW_COPY_FIELD];
        }
        if ((h & Header.WAITED) != 0) {
            return copyWaitedKey(v, h);
        }
        return copy(src, o, h);
    }

    /** Copies a key some ephemeron waits on, then wakes its waiters. */
    private long copyWaitedKey(long v, long waited) {
        long headerAddress = Header.addressOf(Value.addressOf(v));
        long copy = copy(nursery.storage, Arena.offsetOf(Value.addressOf(v)),
                ephemerons.originalHeader(headerAddress, waited));
        ephemerons.keyReached(headerAddress, waited, this);
        return copy;
    }

    /**
     * Copies the young block whose header {@code h} (its original header, not a waited one) is at
     * {@code o} in the nursery into the major heap, leaves a forwarding stub, and pushes the copy
     * if it has young fields to forward. {@link #followChain} does the same for the blocks of a
     * chain, with its own rule for what it follows: the two must agree on what a copy is.
     */
    private long copy(long[] src, int o, long h) {
        int size = Header.sizeWords(h);
        long cell = major.allocateUnbounded(size);
        long[] dst = arena.storage(Arena.indexOf(cell));
        int d = Arena.offsetOf(cell);
        boolean needsScan;
        if (size <= SMALL_BLOCK_FIELDS) {
            needsScan = copyFields(src, o, dst, d, size, nursery.chunkIndex) != 0;
        } else {
            System.arraycopy(src, o, dst, d + Header.WORDS, size);
            needsScan = true; // not looked at: scanned
        }
        promotedWords += Header.blockWords(size);
        long copy = install(src, o, h, cell, dst, d);
        if (needsScan && Header.tag(h) < Tag.NO_SCAN) {
            toScan.push(copy);
        }
        return copy;
    }

    /**
     * Copies the {@code size} (at most {@link #SMALL_BLOCK_FIELDS}) fields at {@code o} in the
     * nursery to the cell whose header is at {@code d} in {@code dst}, and returns where the young
     * fields are: 0 if none (a leaf, a string, a block of immediates: no scan needed), else the
     * last one's index plus one, with {@link #OTHER_YOUNG} if others precede it (what
     * {@link #followChain} needs to follow the last one at once).
     */
    private static int copyFields(long[] src, int o, long[] dst, int d, int size, int youngIndex) {
        int found = 0;
        for (int i = 0; i < size; i++) {
            long f = src[o + i];
            dst[d + Header.WORDS + i] = f;
            if ((f & 1L) == 0 && Value.chunkIndexOf(f) == youngIndex) {
                found = (found == 0 ? 0 : OTHER_YOUNG) | (i + 1);
            }
        }
        return found;
    }

    /**
     * Writes the header of the copy (in the allocation colour) at {@code d} in {@code dst}, whose
     * address is {@code cell}, turns the nursery block at {@code o} into a forwarding stub (after
     * its fields were copied: the stub overwrites the first) and returns the copy's pointer.
     */
    private long install(long[] src, int o, long h, long cell, long[] dst, int d) {
        dst[d] = (h & ~Header.COLOUR_MASK) | major.allocationColour();
        long copy = Value.ofAddress(Header.fieldsAddressOf(cell));
        src[o + Header.OFFSET] = h | ForwardingLayout.COLOUR;
        src[o + ForwardingLayout.NEW_COPY_FIELD] = copy;
        return copy;
    }

    private boolean drain() {
        while (true) {
            while (!toScan.isEmpty()) {
                scan(toScan.pop());
            }
            if (!retained.isEmpty()) {
                long slot = Value.addressOf(retained.pop()) + EphemeronLayout.DATA_FIELD;
                arena.write(slot, forward(arena.read(slot)));
            } else if (!ephemerons.minorCheckNext(this, promotedWords)) {
                return true;
            }
        }
    }

    /**
     * Forwards the young fields of {@code copy}: all but the last through the stack
     * ({@link #forward}), the last by {@link #promoteChains}.
     */
    private void scan(long copy) {
        int young = nursery.chunkIndex;
        long a = Value.addressOf(copy);
        long[] chunk = arena.storage(Arena.indexOf(a));
        int off = Arena.offsetOf(a);
        int last = -1;
        long lastValue = 0;
        for (int i = off, end = off + Header.sizeWords(chunk[off + Header.OFFSET]); i < end; i++) {
            long f = chunk[i];
            if ((f & 1L) == 0 && Value.chunkIndexOf(f) == young) {
                if (last >= 0) {
                    chunk[last] = forward(lastValue);
                }
                last = i;
                lastValue = f;
            }
        }
        if (last >= 0) {
            promoteChains(chunk, last, lastValue, null);
        }
    }

    /**
     * Stores in {@code chunk[slot]} the post-collection pointer for {@code v}, a young pointer
     * (the caller checked), with the chain it leads to ({@link #followChain}). With {@code chunk}
     * null there is no first slot; and when {@code more} is not null, each of its slots
     * (addresses: the remembered set) whose value is young starts a chain in turn once the one
     * before has ended — so the ring-buffer stores of a program, thousands of one-block chains,
     * are promoted by one loop too, a lease ({@link #leaseClass}) serving one chain after
     * another until its region runs out; the last one ends here.
     */
    private void promoteChains(long[] chunk, int slot, long v, LongStack more) {
        int youngIndex = nursery.chunkIndex;
        int next = 0; // the next slot of more to look at
        while (true) {
            if (chunk == null) { // the last chain ended: the next young remembered slot starts one
                if (more == null) {
                    break;
                }
                int n = more.size();
                while (next < n) {
                    long a = more.get(next++);
                    long[] c = arena.storage(Arena.indexOf(a));
                    int so = Arena.offsetOf(a);
                    long x = c[so];
                    if ((x & 1L) == 0 && Value.chunkIndexOf(x) == youngIndex) {
                        chunk = c;
                        slot = so;
                        v = x;
                        break;
                    }
                }
                if (chunk == null) {
                    break;
                }
            }
            followChain(chunk, slot, v);
            chunk = null;
        }
        endLease();
        leaseChunk = null;
    }

    /**
     * Stores in {@code chunk[slot]} the post-collection pointer for {@code v}, a young pointer,
     * and goes on down the chain: when the copy it makes has young fields, the last one is
     * followed next, in this loop (the copy is stacked only if it has other young fields). The
     * last, because that is where a list keeps its tail and a tree built by consing its right
     * spine: such a chain is promoted without a push, a pop or a second read of each copy.
     * (OCaml's {@code oldify_one} continues in place only with one-field blocks, and stacks the
     * rest for {@code oldify_mopup}.) Waited keys and blocks of more than
     * {@link #SMALL_BLOCK_FIELDS} fields take the general path ({@link #forward}), which ends
     * the chain; what is copied, and how, must stay as in {@link #copy}.
     *
     * <p>A method of its own, apart from {@link #promoteChains}' walk of the remembered set, and
     * with the lease in fields rather than locals: the loop has fewer values live, which the JIT
     * spilled to the stack and reloaded on every block when the walk and the lease shared it.
     * Two-field blocks, a list's cells and most of what a functional program allocates, are
     * copied without {@link #copyFields}' loop. Together: a young list promoted 15-20% faster
     * (docs/benchmarks.md). (The two-field case inside {@code copyFields}, for {@link #copy}
     * too, promoted a list 4-7% slower than here, in seven pairs of JVMs.)
     */
    private void followChain(long[] chunk, int slot, long v) {
        long[] src = nursery.storage;
        int youngIndex = nursery.chunkIndex;
        while (true) {
            int o = Arena.offsetOf(Value.addressOf(v));
            long h = src[o + Header.OFFSET];
            int size = Header.sizeWords(h);
            if (ForwardingLayout.isForwarded(h)) {
                chunk[slot] = src[o + ForwardingLayout.NEW_COPY_FIELD];
                return;
            }
            if ((h & Header.WAITED) != 0 || size > SMALL_BLOCK_FIELDS) {
                endLease();
                chunk[slot] = forward(v); // copy() stacks the copy if it needs a scan
                return;
            }
            int cls = SizeClasses.classOf(size);
            long cell = leaseCursor;
            if (cls == leaseClass && cell < leaseLimit) {
                leaseCursor = cell + SizeClasses.CELL_WORDS[cls];
            } else {
                cell = newLease(cls, size);
            }
            long[] dst = leaseChunk;
            int d = Arena.offsetOf(cell);
            int found;
            if (size == 2) {
                long f0 = src[o];
                long f1 = src[o + 1];
                dst[d + Header.WORDS] = f0;
                dst[d + Header.WORDS + 1] = f1;
                boolean young0 = (f0 & 1L) == 0 && Value.chunkIndexOf(f0) == youngIndex;
                boolean young1 = (f1 & 1L) == 0 && Value.chunkIndexOf(f1) == youngIndex;
                found = young1 ? (young0 ? OTHER_YOUNG | 2 : 2) : (young0 ? 1 : 0); // as copyFields
            } else {
                found = copyFields(src, o, dst, d, size, youngIndex);
            }
            long copy = install(src, o, h, cell, dst, d);
            promotedWords += Header.blockWords(size);
            chunk[slot] = copy;
            if (found == 0 || Header.tag(h) >= Tag.NO_SCAN) {
                return;
            }
            if ((found & OTHER_YOUNG) != 0) {
                // its other young fields later; the last is old by then
                toScan.push(copy);
            }
            chunk = dst;
            slot = d + Header.WORDS + (found & ~OTHER_YOUNG) - 1;
            v = dst[slot];
        }
    }

    /**
     * Ends the lease there is, allocates a cell for a block of {@code size} fields (of class
     * {@code cls}) from the major heap, and leases the rest of the bump region the cell came
     * from, if it came from one (the same page, so the same chunk, {@link #leaseChunk} either
     * way). A region with no cell left is leased too (the next block finds the cursor at the
     * limit and ends the lease with no words): a test for it here was a branch rarely taken,
     * which the JIT compiles as a trap when the warm-up never takes it, and a deoptimisation in a
     * collection costs milliseconds.
     */
    private long newLease(int cls, int size) {
        endLease();
        long cell = major.allocateUnbounded(size);
        leaseChunk = arena.storage(Arena.indexOf(cell));
        leaseCursor = major.leaseBumpRegion(cls);
        leaseLimit = major.bumpLimit(cls);
        leaseClass = leaseCursor == cell + SizeClasses.CELL_WORDS[cls] ? cls : -1;
        leaseStartWords = promotedWords + Header.blockWords(size); // the first cell is the allocator's
        return cell;
    }

    /** Hands the leased region back to the major heap (its cursor, the words promoted into it). */
    private void endLease() {
        if (leaseClass >= 0) {
            major.endLease(leaseClass, leaseCursor, promotedWords - leaseStartWords);
            leaseClass = -1;
        }
    }

    @Override
    public long retain(long v) {
        return forward(v);
    }

    /** The post-collection value of {@code v}: itself if old, its copy, or NONE if it died. */
    @Override
    public long survivor(long v) {
        if (!nursery.isYoung(v)) {
            return v;
        }
        long a = Value.addressOf(v);
        long h = arena.read(Header.addressOf(a));
        return ForwardingLayout.isForwarded(h) ? arena.read(a + ForwardingLayout.NEW_COPY_FIELD) : Value.NONE;
    }

    @Override
    public boolean isReached(long v) {
        return !nursery.isYoung(v) || ForwardingLayout.isForwarded(arena.read(Header.addressOf(Value.addressOf(v))));
    }

    @Override
    public boolean isMinor() {
        return true;
    }

    @Override
    public void retainData(long ephemeron) {
        retained.push(ephemeron);
    }

    @Override
    public void traceDataNow(long ephemeron) {
        long slot = Value.addressOf(ephemeron) + EphemeronLayout.DATA_FIELD;
        arena.write(slot, forward(arena.read(slot)));
    }
}
