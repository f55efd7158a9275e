package dev.ephemera.gc;

import dev.ephemera.memory.Arena;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.EphemeronLayout;
import dev.ephemera.object.layout.Header;

/**
 * The major cycle's marker: the strong closure over the old generation, with an explicit mark
 * stack (never Java recursion, so a ten-million-long list is marked in constant Java stack),
 * done in budgeted steps ({@link #drain}) between which the mutator runs.
 *
 * <p>A block is marked (coloured {@link Header#BLACK}) when it is first reached and, if it may
 * hold pointers, pushed at the same time, so each block is pushed and scanned at most once; a
 * large block is scanned a piece at a time ({@link #SCAN_PIECE_WORDS}), so no slice has to scan
 * a big array whole. Two kinds of blocks get extra attention when marked: an {@linkplain
 * Tag#EPHEMERON ephemeron} is handed to the {@linkplain EphemeronFixpoint fixpoint} instead of
 * being scanned (or resolved on the spot when its full keys are all marked already: its data is
 * marked at once and it is never queued, so a chain reached in chain order costs one visit per
 * ephemeron), and a block with a waited header gets its original header back and wakes the
 * checks waiting for it. Weak processing
 * never marks recursively: it queues the data it wants kept with {@link #retainData}, and
 * {@link #drain} processes that queue after the stack, until both are empty.
 *
 * <p>Young blocks are not condemned by a major cycle: they count as reached and are never
 * marked (a slice runs on an empty nursery; the mutator's {@link #darken} may meet one).
 */
final class Marker extends Tracer {
    /** The most fields scanned in one go; a larger block is scanned in pieces this size. */
    static final int SCAN_PIECE_WORDS = 512;
    /** Values the mutator darkens between two markings of them (G1 uses 1,024-entry SATB buffers). */
    private static final int DARKEN_BUFFER = 1024;

    private final Arena arena;
    private final Nursery nursery;
    private final EphemeronFixpoint ephemerons;
    private final LongStack stack = new LongStack(4096);
    /** Large blocks being scanned in pieces: pairs (value, next field index). */
    private final LongStack pieces = new LongStack(64);
    /** Ephemerons whose data must now be kept (all their full keys are reached). */
    private final LongStack retained = new LongStack(256);
    /** Values {@link #darken}ed by the mutator and not yet marked: the first {@link #darkenedCount}. */
    private final long[] darkened = new long[DARKEN_BUFFER];
    private int darkenedCount;
    /** Words of blocks marked in this cycle, headers included. */
    private long markedWords;

    Marker(Arena arena, Nursery nursery, EphemeronFixpoint ephemerons) {
        this.arena = arena;
        this.nursery = nursery;
        this.ephemerons = ephemerons;
    }

    /**
     * Marks {@code v} if it is an unmarked block; a later {@link #drain} scans it. {@code v} is
     * never young: the collector marks only during a slice, which runs on an empty nursery (the
     * mutator's young values come in through {@link #darken}, which filters them).
     */
    void mark(long v) {
        markedWords += markResolving(v);
    }

    /**
     * {@link #mark}, returning the words it marked (headers included; 0 if {@code v} was marked
     * already or is not a block) for the caller to add to {@link #markedWords}: a count kept in
     * a field would be read and written back at every mark of {@link #scan}'s loop. An
     * ephemeron it marks comes back with its words negated: the caller finishes it with
     * {@link #markedEphemeron} ({@link #markResolving} does both).
     *
     * <p>This is the marker's per-field step, fast only while C2 inlines it into {@link #scan}'s
     * loop, so it is kept to the common path (a block already marked, a block coloured and
     * pushed). C2 does not inline a method whose own compiled code is already bigger than
     * {@code InlineSmallCode} (2,500 bytes on x86-64: "already compiled into a big method"),
     * and then {@link #scan} calls it for every field: with an ephemeron's resolution inside it
     * (the data marked by a second copy of the common path, the fixpoint's queue), this method
     * compiled to 2.6–2.7 KB once its rarer paths had been met, and a chain of ten million
     * ephemerons marked 1.1–1.25 times slower than with it inlined. For the same reason the
     * mutator's {@link #darken} goes through a buffer rather than into this method, so that the
     * write barrier does not inline the marker into every store.
     */
    private long markWords(long v) {
        if ((v & 1L) != 0 || v == Value.NONE) {
            return 0;
        }
        long[] chunk = arena.storage(Value.chunkIndexOf(v));
        int o = Arena.offsetOf(Value.addressOf(v));
        long h = chunk[o + Header.OFFSET];
        if ((h & Header.COLOUR_MASK) != Header.WHITE) {
            return 0;
        }
        if ((h & Header.WAITED) != 0) {
            return markWaited(v, chunk, o, h, true);
        }
        chunk[o + Header.OFFSET] = h | Header.BLACK;
        int size = Header.sizeWords(h);
        int tag = Header.tag(h);
        if (tag < Tag.NO_SCAN) {
            if (hasPointers(chunk, o, size)) {
                stack.push(v);
            }
        } else if (tag == Tag.EPHEMERON) {
            return -Header.blockWords(size);
        }
        return Header.blockWords(size);
    }

    /** {@link #markWords} with an ephemeron it marks finished: the words it marked, never negative. */
    private long markResolving(long v) {
        long words = markWords(v);
        return words >= 0 ? words : markedEphemeron(v, -words);
    }

    /**
     * Finishes the ephemeron {@code e} that {@link #markWords} has just marked ({@code words}
     * its block's words): resolved on the spot when all its full keys are marked already — its
     * data is alive, and no key of it can die in this cycle; one level only, an ephemeron
     * reached through this data is queued — else handed to the fixpoint. Returns {@code words}
     * plus what marking the data marked.
     */
    private long markedEphemeron(long e, long words) {
        long[] chunk = arena.storage(Value.chunkIndexOf(e));
        int o = Arena.offsetOf(Value.addressOf(e));
        if (allKeysMarked(chunk, o, (int) (words - Header.WORDS))) {
            return words + markData(chunk[o + EphemeronLayout.DATA_FIELD]);
        }
        ephemerons.reached(e);
        return words;
    }

    /**
     * {@link #markWords} for the data of an ephemeron resolved on the spot: the same, except
     * that an ephemeron it marks is queued for the fixpoint, never resolved here — resolving it
     * too would follow a chain of ephemerons down its whole length, in Java recursion.
     *
     * <p>A second copy of the common path, on purpose. Written as {@link #markWords} plus the
     * queueing, it made {@link #markedEphemeron}, which calls it, compile too big to inline in
     * one JVM of the two looked at ("already compiled into a big method" at {@link #scan}'s
     * call), and a chain of ten million ephemerons marked about 6 % slower in the median of six.
     */
    private long markData(long v) {
        if ((v & 1L) != 0 || v == Value.NONE) {
            return 0;
        }
        long[] chunk = arena.storage(Value.chunkIndexOf(v));
        int o = Arena.offsetOf(Value.addressOf(v));
        long h = chunk[o + Header.OFFSET];
        if ((h & Header.COLOUR_MASK) != Header.WHITE) {
            return 0;
        }
        if ((h & Header.WAITED) != 0) {
            return markWaited(v, chunk, o, h, false);
        }
        chunk[o + Header.OFFSET] = h | Header.BLACK;
        int size = Header.sizeWords(h);
        int tag = Header.tag(h);
        if (tag < Tag.NO_SCAN) {
            if (hasPointers(chunk, o, size)) {
                stack.push(v);
            }
        } else if (tag == Tag.EPHEMERON) {
            ephemerons.reached(v);
        }
        return Header.blockWords(size);
    }

    /**
     * Marks a block whose header is waited: its original header back (white, as it was before
     * any check waited on it), then marked by the common path ({@link #markWords}, whose
     * negated words for an ephemeron go back to its caller to finish, or {@link #markData} when
     * {@code eager} is false), then its waiters woken (a check whose last unmarked key this was
     * has its data retained).
     */
    private long markWaited(long v, long[] chunk, int o, long waited, boolean eager) {
        long header = Header.addressOf(Value.addressOf(v));
        chunk[o + Header.OFFSET] = ephemerons.originalHeader(header, waited);
        long words = eager ? markWords(v) : markData(v);
        ephemerons.keyReached(header, waited, this);
        return words;
    }

    /**
     * True if every full key of the ephemeron at offset {@code o} of {@code chunk} is marked:
     * {@link EphemeronFixpoint#allKeysReached} for this marker, read here so that {@link #mark}
     * makes no call for it. Keys are old, as every value a slice meets.
     */
    private boolean allKeysMarked(long[] chunk, int o, int size) {
        for (int i = o + EphemeronLayout.FIRST_KEY_FIELD, end = o + size; i < end; i++) {
            long k = chunk[i];
            if ((k & 1L) == 0 && k != Value.NONE && !isMarked(k)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The mutator's darkening (OCaml's {@code caml_darken}): {@code v}, if it is an old block,
     * will be marked before marking ends. Used by the deletion barrier and by reads of weak
     * slots while marking. Like G1's SATB queues, the value is only put in a buffer here, and
     * the buffer is marked when it is full and at the start of every drain
     * ({@link #markDarkened}): the barrier's code stays a few instructions, where marking on
     * the spot made the marker part of every store the JIT compiles. The invariant is the same
     * — every block reachable when the cycle began is marked before the cycle decides what
     * died — because marking cannot end while the buffer holds anything ({@link #isDrained}).
     */
    void darken(long v) {
        // immediates and NONE are not blocks; young values are not condemned
        if ((v & 1L) == 0 && v != Value.NONE && Value.chunkIndexOf(v) != nursery.chunkIndex) {
            long[] buffer = darkened;
            buffer[darkenedCount++] = v;
            if (darkenedCount == buffer.length) {
                markDarkened();
            }
        }
    }

    /**
     * Marks the values {@link #darken} has buffered (they are pushed; the next drain scans them).
     * Runs inside the client's own store or weak read when the buffer fills, so a value it cannot
     * follow (a made-up pointer stored with checked mode off) is reported as the heap's
     * corruption, not as the JVM's exception; the buffer is emptied first so that the next
     * darkening does not overflow it.
     */
    private void markDarkened() {
        int n = darkenedCount;
        darkenedCount = 0;
        long words = 0;
        try {
            for (int i = 0; i < n; i++) {
                words += markResolving(darkened[i]);
            }
        } catch (NullPointerException | ArrayIndexOutOfBoundsException e) {
            throw PointerCheck.unfollowable("marking what the write barrier or a weak read darkened", e);
        }
        markedWords += words;
    }

    /**
     * False if the block's fields are certainly all immediates or NONE, so it needs no scan:
     * small blocks are looked at now, on the cache line the header was just read from; larger
     * ones are assumed to hold pointers.
     */
    private static boolean hasPointers(long[] chunk, int o, int size) {
        if (size > 4) {
            return true;
        }
        for (int i = o, end = o + size; i < end; i++) {
            long f = chunk[i];
            if ((f & 1L) == 0 && f != Value.NONE) {
                return true;
            }
        }
        return false;
    }

    /**
     * Marks what is reachable from what has been marked so far, ephemeron rule included, until
     * {@code budget} is spent. Returns true when there is nothing left: the mark stack, the
     * pieces of large blocks, the retained ephemerons and the ephemeron queue are all empty.
     */
    boolean drain(Budget budget) {
        while (true) {
            if (darkenedCount != 0) {
                budget.spend(darkenedCount);
                markDarkened();
            }
            // The stack loop counts its budget in a local, paid once when it stops: spent
            // through the Budget object at every block (two fields read and written back, and
            // read again by the next block's check), marking a binary tree took a quarter more
            // time than without a budget; so did the same loop in a helper with try/finally.
            long left = budget.remaining();
            long start = left;
            while (!stack.isEmpty()) {
                if (left <= 0) {
                    budget.spend(start - left);
                    return false;
                }
                left -= scan(stack.pop(), 0);
            }
            budget.spend(start - left);
            if (!pieces.isEmpty()) {
                if (budget.isExhausted()) {
                    return false;
                }
                long from = pieces.pop();
                budget.spend(scan(pieces.pop(), (int) from));
            } else if (!retained.isEmpty()) {
                long e = retained.pop();
                mark(arena.read(Value.addressOf(e) + EphemeronLayout.DATA_FIELD));
            } else {
                if (budget.isExhausted()) {
                    return !ephemerons.hasWork();
                }
                if (!ephemerons.checkNext(this)) {
                    return true;
                }
                budget.spend(4);
            }
        }
    }

    /** True if nothing is left to mark (what {@link #drain} would return at once). */
    boolean isDrained() {
        return darkenedCount == 0 && stack.isEmpty() && pieces.isEmpty() && retained.isEmpty()
                && !ephemerons.hasWork();
    }

    /**
     * Scans fields [from, ...) of {@code v}: all of them, or a piece if the block is large.
     * Returns the work done in budget units: the fields scanned, plus one.
     */
    private long scan(long v, int from) {
        long a = Value.addressOf(v);
        long[] chunk = arena.storage(Arena.indexOf(a));
        int off = Arena.offsetOf(a);
        int size = Header.sizeWords(chunk[off + Header.OFFSET]);
        int to = size;
        if (size - from > SCAN_PIECE_WORDS) {
            to = from + SCAN_PIECE_WORDS;
            pieces.push(v);
            pieces.push(to);
        }
        long words = 0;
        for (int i = off + from, end = off + to; i < end; i++) {
            long f = chunk[i];
            if ((f & 1L) == 0 && f != Value.NONE) {
                // markResolving spelled out: that method, compiled on its own for its other
                // callers with both steps inlined, would be too big for C2 to inline here
                long w = markWords(f);
                words += w >= 0 ? w : markedEphemeron(f, -w);
            }
        }
        markedWords += words;
        return to - from + 1L;
    }

    @Override
    public boolean isReached(long v) {
        return (v & 1L) != 0 || v == Value.NONE || Value.chunkIndexOf(v) == nursery.chunkIndex || isMarked(v);
    }

    /** True if the block {@code v} points to is not white. */
    private boolean isMarked(long v) {
        return (arena.read(Header.addressOf(Value.addressOf(v))) & Header.COLOUR_MASK) != Header.WHITE;
    }

    @Override
    public long retain(long v) {
        mark(v);
        return v;
    }

    @Override
    public long survivor(long v) {
        return isReached(v) ? v : Value.NONE;
    }

    @Override
    public boolean isMinor() {
        return false;
    }

    @Override
    public void retainData(long ephemeron) {
        retained.push(ephemeron);
    }

    @Override
    public void traceDataNow(long ephemeron) {
        mark(arena.read(Value.addressOf(ephemeron) + EphemeronLayout.DATA_FIELD));
    }

    /** Words of the blocks marked in this cycle so far. */
    long markedWords() {
        return markedWords;
    }

    /** Visits the blocks marked but not yet (fully) scanned: the grey set, for the verifier. */
    void forEachGrey(SlotVisitor v) {
        for (int i = 0; i < darkenedCount; i++) {
            v.visit(darkened[i]);
        }
        for (int i = 0; i < stack.size(); i++) {
            v.visit(stack.get(i));
        }
        for (int i = 0; i < pieces.size(); i += 2) {
            v.visit(pieces.get(i));
        }
        for (int i = 0; i < retained.size(); i++) {
            v.visit(arena.read(Value.addressOf(retained.get(i)) + EphemeronLayout.DATA_FIELD));
        }
    }

    void reset() {
        darkenedCount = 0;
        stack.clear();
        pieces.clear();
        retained.clear();
        markedWords = 0;
    }
}
