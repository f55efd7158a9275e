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
 *     (young finaliser rows, fresh queued finalisers) are forwarded;</li>
 * <li>{@link Phase#MINOR_CLOSURE}: the copies are scanned from an explicit stack until no young
 *     pointer is left (Cheney's algorithm with a stack instead of a scan pointer, since the
 *     copies are not contiguous);</li>
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
     * What {@link #copy} found in the block it copied, for its caller: 0 if the copy needs no
     * scan (no young field, or a block whose fields are not scanned); else the index of its last
     * young field plus one, with {@link #OTHER_YOUNG} set if young fields precede that one; or
     * {@link #YOUNG_UNKNOWN} for a block of more than eight fields, copied without looking. The
     * caller scans the copy, stacks it or follows the last young field, and clears this: zero
     * between calls. One int, not several fields: the copy loop stores one word per block for it.
     */
    private int copiedYoung;
    /** In {@link #copiedYoung}: young fields precede the last one. */
    private static final int OTHER_YOUNG = 1 << 30;
    /** {@link #copiedYoung} of a copy whose young fields were not looked for. */
    private static final int YOUNG_UNKNOWN = -1;
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
        schedule.start();
        schedule.run(everything, timer);
        return promotedWords;
    }

    private boolean forwardRoots(Budget budget) {
        roots.forEachStrong(forwarder);
        LongStack slots = remembered.slots;
        for (int i = 0; i < slots.size(); i++) {
            long slot = slots.get(i);
            long v = arena.read(slot);
            if (nursery.isYoung(v)) {
                arena.write(slot, forward(v));
            }
        }
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
     */
    long forward(long v) {
        long copy = copyIfYoung(v);
        if (copiedYoung != 0) {
            copiedYoung = 0;
            toScan.push(copy);
        }
        return copy;
    }

    /**
     * {@link #forward} without the push: sets {@link #copiedYoung} when the copy has young
     * fields to forward, for the caller to follow them at once or push the copy.
     *
     * <p>The rare case (a waited key) is out of line, as in {@link #promoteChain}: the common
     * path stays small enough for the JIT to inline {@link #copy} into it.
     */
    private long copyIfYoung(long v) {
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
        int young = copiedYoung;
        copiedYoung = 0;
        // may forward more (through forward(), which pushes and uses copiedYoung): the copy's
        // own finding is set again afterwards
        ephemerons.keyReached(headerAddress, waited, this);
        copiedYoung = young;
        return copy;
    }

    /**
     * Copies the young block whose header {@code h} (its original header, not a waited one) is at
     * {@code o} in the nursery into the major heap, leaves a forwarding stub, and sets
     * {@link #copiedYoung}.
     */
    private long copy(long[] src, int o, long h) {
        int size = Header.sizeWords(h);
        long cell = major.allocateUnbounded(size);
        long[] dst = arena.storage(Arena.indexOf(cell));
        int d = Arena.offsetOf(cell);
        int found;
        if (size <= SMALL_BLOCK_FIELDS) {
            found = copyFields(src, o, dst, d, size, nursery.chunkIndex);
        } else {
            System.arraycopy(src, o, dst, d + Header.WORDS, size);
            found = YOUNG_UNKNOWN;
        }
        promotedWords += Header.blockWords(size);
        copiedYoung = Header.tag(h) < Tag.NO_SCAN ? found : 0;
        return install(src, o, h, cell, dst, d);
    }

    /**
     * Copies the {@code size} (at most {@link #SMALL_BLOCK_FIELDS}) fields at {@code o} in the
     * nursery to the cell whose header is at {@code d} in {@code dst}, and returns where the young
     * fields are, as {@link #copiedYoung} tells it: a copy without any (a leaf, a string, a block
     * of immediates) needs no scan, and {@link #promoteChain} follows the last one at once.
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
     * ({@link #forward}), the last by {@link #promoteChain}.
     */
    private void scan(long copy) {
        int young = nursery.chunkIndex;
        long a = Value.addressOf(copy);
        long[] chunk = arena.storage(Arena.indexOf(a));
        int off = Arena.offsetOf(a);
        int last = -1;
        for (int i = off, end = off + Header.sizeWords(chunk[off + Header.OFFSET]); i < end; i++) {
            long f = chunk[i];
            if ((f & 1L) == 0 && Value.chunkIndexOf(f) == young) {
                if (last >= 0) {
                    chunk[last] = forward(chunk[last]);
                }
                last = i;
            }
        }
        if (last >= 0) {
            long f = chunk[last]; // read again: forward() for an earlier field may have woken waiters
            if ((f & 1L) == 0 && Value.chunkIndexOf(f) == young) {
                promoteChain(chunk, last, f);
            }
        }
    }

    /**
     * Stores in {@code chunk[slot]} the post-collection pointer for {@code v}, a young pointer
     * (the caller checked), and goes on down the chain: when the copy it makes has young fields,
     * the last one is forwarded next, in this loop (the copy is stacked only if it has other
     * young fields). OCaml's {@code oldify_one} does the same with a block's first field. A list
     * or any chain is promoted without a push, a pop or a second read of each copy's header; and
     * since the chain's state is in locals, each block costs only the stores of the copy, the
     * stub, the slot and the allocation (a long list was promoted about 30% faster than with the
     * state in fields). Waited keys and blocks of more than {@link #SMALL_BLOCK_FIELDS} fields
     * take the general path ({@link #forward}), which ends the chain.
     */
    private void promoteChain(long[] chunk, int slot, long v) {
        long[] src = nursery.storage;
        int youngIndex = nursery.chunkIndex;
        long words = 0;
        while (true) {
            int o = Arena.offsetOf(Value.addressOf(v));
            long h = src[o + Header.OFFSET];
            int size = Header.sizeWords(h);
            if (ForwardingLayout.isForwarded(h)) {
                chunk[slot] = src[o + ForwardingLayout.NEW_COPY_FIELD];
                break;
            }
            if ((h & Header.WAITED) != 0 || size > SMALL_BLOCK_FIELDS) {
                chunk[slot] = forward(v); // the copy is stacked if it needs a scan
                break;
            }
            long cell = major.allocateUnbounded(size);
            long[] dst = arena.storage(Arena.indexOf(cell));
            int d = Arena.offsetOf(cell);
            int found = copyFields(src, o, dst, d, size, youngIndex);
            long copy = install(src, o, h, cell, dst, d);
            words += Header.blockWords(size);
            chunk[slot] = copy;
            if (found == 0 || Header.tag(h) >= Tag.NO_SCAN) {
                break;
            }
            if ((found & OTHER_YOUNG) != 0) {
                toScan.push(copy); // its other young fields later; the last is old by then
            }
            chunk = dst;
            slot = d + (found & ~OTHER_YOUNG);
            v = dst[slot];
        }
        promotedWords += words;
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
