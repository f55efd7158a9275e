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
     * Set by {@link #copyIfYoung} when the copy it returns has young fields left to forward; its
     * caller then scans the copy or pushes it, and clears this. False between calls.
     */
    private boolean copiedNeedsScan;

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
        if (copiedNeedsScan) {
            copiedNeedsScan = false;
            toScan.push(copy);
        }
        return copy;
    }

    /**
     * {@link #forward} without the push: sets {@link #copiedNeedsScan} when the copy has young
     * fields to forward, for the caller to scan it at once ({@link #scan}) or push it.
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
        long waited = h;
        if ((h & Header.WAITED) != 0) {
            h = ephemerons.originalHeader(Header.addressOf(Value.addressOf(v)), h);
        }
        int size = Header.sizeWords(h);
        long cell = major.allocateUnbounded(size);
        long[] dst = arena.storage(Arena.indexOf(cell));
        int d = Arena.offsetOf(cell);
        dst[d] = (h & ~Header.COLOUR_MASK) | major.allocationColour();
        // Copy, noting whether any field points into the nursery: a copy without young fields
        // (a leaf, a string, a block of immediates) needs no scan later.
        int young = nursery.chunkIndex;
        boolean hasYoung = false;
        if (size <= 8) {
            for (int i = 0; i < size; i++) {
                long f = src[o + i];
                dst[d + Header.WORDS + i] = f;
                hasYoung |= (f & 1L) == 0 && Value.chunkIndexOf(f) == young;
            }
        } else {
            System.arraycopy(src, o, dst, d + Header.WORDS, size);
            hasYoung = true;
        }
        long copy = Value.ofAddress(Header.fieldsAddressOf(cell));
        src[o + Header.OFFSET] = h | ForwardingLayout.COLOUR;
        src[o + ForwardingLayout.NEW_COPY_FIELD] = copy;
        promotedWords += Header.blockWords(size);
        boolean needsScan = hasYoung && Header.tag(h) < Tag.NO_SCAN;
        if (waited != h) {
            // may forward more (through forward(), which pushes): before the flag is set
            ephemerons.keyReached(Header.addressOf(Value.addressOf(v)), waited, this);
        }
        copiedNeedsScan = needsScan;
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
     * Forwards the young fields of {@code copy}; the copy made for its last young field, if it
     * needs a scan, is scanned next in this loop instead of going through the stack (OCaml's
     * {@code oldify_one} does the same with a block's first field): a list or any chain is
     * promoted without a push and a pop per cell.
     */
    private void scan(long copy) {
        int young = nursery.chunkIndex;
        boolean more = true;
        while (more) {
            long a = Value.addressOf(copy);
            long[] chunk = arena.storage(Arena.indexOf(a));
            int off = Arena.offsetOf(a);
            int size = Header.sizeWords(chunk[off + Header.OFFSET]);
            long next = 0;
            more = false;
            for (int i = off, end = off + size; i < end; i++) {
                long f = chunk[i];
                if ((f & 1L) == 0 && Value.chunkIndexOf(f) == young) {
                    if (more) {
                        toScan.push(next); // an earlier field's copy: not the last, so stacked
                    }
                    next = copyIfYoung(f);
                    chunk[i] = next;
                    more = copiedNeedsScan;
                    copiedNeedsScan = false;
                }
            }
            copy = next;
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
