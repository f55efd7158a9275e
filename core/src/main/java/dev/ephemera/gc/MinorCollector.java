package dev.ephemera.gc;

import dev.ephemera.memory.Arena;
import dev.ephemera.object.EphemeronLayout;
import dev.ephemera.object.Header;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;

/**
 * The minor collection: copies the young blocks that survive into the major heap and empties
 * the nursery (OCaml's {@code caml_empty_minor_heap}).
 *
 * <p>Phases: strong roots, the remembered slots, and the young rows of the finaliser tables are
 * forwarded; the copies are scanned from an explicit stack until no young pointer is left
 * (Cheney's algorithm with a stack instead of a scan pointer, since the copies are not
 * contiguous); the ephemeron rule is then applied to ephemerons with young data ({@link
 * WeakProcessor#minorStart}); remembered ephemeron slots and weak roots to young blocks that
 * were not copied are emptied; finalise-last values that were young and not copied are queued;
 * young foreign boxes are settled; the nursery is reset.
 *
 * <p>A copied block is marked in the nursery by colouring its header {@link Header#BLACK} and
 * storing the new pointer in field 0 (every nursery block has at least one word of fields).
 */
final class MinorCollector implements WeakProcessor.Tracer {
    private final Arena arena;
    private final Nursery nursery;
    private final MajorHeap major;
    private final RememberedSet remembered;
    private final WeakProcessor weak;
    private final LongStack toScan = new LongStack(4096);
    private final LongStack retained = new LongStack(64);
    private final SlotVisitor forwarder = this::forward;
    private final SlotVisitor survivor = this::survivor;
    private long promotedWords;

    MinorCollector(Arena arena, Nursery nursery, MajorHeap major, RememberedSet remembered,
                   WeakProcessor weak) {
        this.arena = arena;
        this.nursery = nursery;
        this.major = major;
        this.remembered = remembered;
        this.weak = weak;
    }

    /** Runs a minor collection; returns the words promoted. */
    long collect(RootSet roots, FinaliserTable[] finalisers, FinalisationQueue[] queues, ForeignTable foreign) {
        promotedWords = 0;
        roots.forEachStrong(forwarder);
        forwardRememberedSlots();
        for (FinaliserTable t : finalisers) {
            t.minorRoots(forwarder);
        }
        for (FinalisationQueue q : queues) {
            q.forEachYoungRoot(forwarder);
        }
        drain();

        weak.minorStart(remembered.ephemeronSlots, this, promotedWords);
        drain();
        for (FinaliserTable t : finalisers) {
            if (t.kind == FinaliserTable.Kind.GUARDIAN) {
                while (t.minorGuarded(this, forwarder) > 0) {
                    drain();
                }
            }
        }
        weak.minorClear(remembered.ephemeronSlots, roots);

        for (FinaliserTable t : finalisers) {
            if (t.kind == FinaliserTable.Kind.GUARDIAN) {
                t.minorSettleGuarded(survivor);
            } else if (!t.resurrects) {
                FinalisationQueue.Batch batch = new FinalisationQueue.Batch(true);
                t.select(t.youngStart, survivor, batch);
                t.queue.append(batch);
            }
            t.youngStart = t.size;
        }
        foreign.minorSweep(survivor);
        remembered.clear();
        nursery.reset();
        return promotedWords;
    }

    private void forwardRememberedSlots() {
        LongStack slots = remembered.slots;
        for (int i = 0; i < slots.size(); i++) {
            long slot = slots.get(i);
            long v = arena.read(slot);
            if (nursery.isYoung(v)) {
                arena.write(slot, forward(v));
            }
        }
    }

    /** Returns the post-collection pointer for {@code v}, copying its block if young and not yet copied. */
    long forward(long v) {
        if ((v & 1L) != 0 || Value.chunkIndexOf(v) != nursery.chunkIndex) {
            return v;
        }
        long[] src = nursery.storage;
        int o = (int) (v >>> 1);
        long h = src[o - 1];
        if ((h & Header.COLOUR_MASK) == Header.BLACK) {
            return src[o];
        }
        long waited = h;
        if ((h & Header.WAITED) != 0) {
            h = weak.originalHeader(h);
        }
        int size = Header.sizeWords(h);
        long cell = major.allocateUnbounded(size);
        long[] dst = arena.storage(Arena.indexOf(cell));
        int d = Arena.offsetOf(cell);
        dst[d] = h & ~Header.COLOUR_MASK;
        // Copy, noting whether any field points into the nursery: a copy without young fields
        // (a leaf, a string, a block of immediates) needs no scan later.
        int young = nursery.chunkIndex;
        boolean hasYoung = false;
        if (size <= 8) {
            for (int i = 0; i < size; i++) {
                long f = src[o + i];
                dst[d + 1 + i] = f;
                hasYoung |= (f & 1L) == 0 && Value.chunkIndexOf(f) == young;
            }
        } else {
            System.arraycopy(src, o, dst, d + 1, size);
            hasYoung = true;
        }
        long copy = Value.ofAddress(cell + 1);
        src[o - 1] = h | Header.BLACK;
        src[o] = copy;
        promotedWords += size + 1L;
        if (hasYoung && ((int) h & 0xFF) < Tag.NO_SCAN) {
            toScan.push(copy);
        }
        if (waited != h) {
            weak.keyReached(waited, this);
        }
        return copy;
    }

    private void drain() {
        while (true) {
            while (!toScan.isEmpty()) {
                scan(toScan.pop());
            }
            if (!retained.isEmpty()) {
                long slot = Value.addressOf(retained.pop()) + EphemeronLayout.DATA_FIELD;
                arena.write(slot, forward(arena.read(slot)));
            } else if (!weak.minorCheckNext(this, promotedWords)) {
                return;
            }
        }
    }

    private void scan(long copy) {
        long a = Value.addressOf(copy);
        long[] chunk = arena.storage(Arena.indexOf(a));
        int off = Arena.offsetOf(a);
        int size = Header.sizeWords(chunk[off - 1]);
        int young = nursery.chunkIndex;
        for (int i = off, end = off + size; i < end; i++) {
            long f = chunk[i];
            if ((f & 1L) == 0 && Value.chunkIndexOf(f) == young) {
                chunk[i] = forward(f);
            }
        }
    }

    /** The post-collection value of {@code v}: itself if old, its copy, or NONE if it died. */
    private long survivor(long v) {
        if (!nursery.isYoung(v)) {
            return v;
        }
        long a = Value.addressOf(v);
        return Header.isBlack(arena.read(a - 1)) ? arena.read(a) : Value.NONE;
    }

    @Override
    public boolean isReached(long v) {
        return !nursery.isYoung(v) || Header.isBlack(arena.read(Value.addressOf(v) - 1));
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

    void reset() {
        toScan.clear();
        retained.clear();
    }
}
