package dev.ephemera.gc;

import dev.ephemera.memory.Arena;
import dev.ephemera.object.EphemeronLayout;
import dev.ephemera.object.Header;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;

/**
 * The major collection's marker: the strong closure over the old generation, with an explicit
 * mark stack (never Java recursion, so a ten-million-long list is marked in constant Java stack).
 *
 * <p>A block is marked (coloured {@link Header#BLACK}) when it is first reached and pushed at
 * the same time, so each block is pushed and scanned once. Two kinds of blocks get extra
 * attention when marked: an {@linkplain Tag#EPHEMERON ephemeron} is handed to weak processing
 * instead of being scanned, and a block with a waited header ({@link Header#WAITED}) gets its
 * original header back and wakes the ephemerons waiting for it. An ephemeron whose full keys
 * are all marked when it is reached is resolved on the spot — its data marked at once, and it
 * is never queued, checked or cleared — so a chain reached in chain order costs one visit per
 * ephemeron. Weak processing never marks recursively: it queues the data it wants kept with
 * {@link #retainData}, and {@link #drain} processes that queue after the stack, until both are
 * empty. The marker runs only when the nursery is empty, so every block it sees is old.
 */
final class Marker implements WeakProcessor.Tracer {
    private final Arena arena;
    private final WeakProcessor weak;
    private final LongStack stack = new LongStack(4096);
    /** Ephemerons whose data must now be kept (all their full keys are reached). */
    private final LongStack retained = new LongStack(256);
    /** False while marking the data of an ephemeron resolved on the spot (bounds the recursion to one level). */
    private boolean eager = true;

    Marker(Arena arena, WeakProcessor weak) {
        this.arena = arena;
        this.weak = weak;
    }

    /** Marks {@code v} if it is an unmarked block; the caller drains later. */
    void mark(long v) {
        if ((v & 1L) != 0 || v == Value.NONE) {
            return;
        }
        long[] chunk = arena.storage(Value.chunkIndexOf(v));
        int o = (int) (v >>> 1);
        long h = chunk[o - 1];
        if ((h & Header.COLOUR_MASK) != Header.WHITE) {
            return;
        }
        long waited = h & Header.WAITED;
        long original = waited == 0 ? h : weak.originalHeader(h);
        chunk[o - 1] = original | Header.BLACK;
        int tag = (int) original & 0xFF;
        if (tag < Tag.NO_SCAN) {
            if (hasPointers(chunk, o, Header.sizeWords(original))) {
                stack.push(v);
            }
        } else if (tag == Tag.EPHEMERON) {
            if (eager && weak.allKeysReached(chunk, o, Header.sizeWords(original), this)) {
                // Resolved on the spot: its data is alive, and no key of it can die in this
                // cycle. One level only: an ephemeron reached through this data is queued.
                eager = false;
                mark(chunk[o + EphemeronLayout.DATA_FIELD]);
                eager = true;
            } else {
                weak.ephemeronReached(v);
            }
        }
        if (waited != 0) {
            weak.keyReached(h, this);
        }
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

    /** Marks everything reachable from what has been marked so far, ephemeron rule included. */
    void drain() {
        while (true) {
            while (!stack.isEmpty()) {
                scan(stack.pop());
            }
            if (!retained.isEmpty()) {
                long e = retained.pop();
                mark(arena.read(Value.addressOf(e) + EphemeronLayout.DATA_FIELD));
            } else if (!weak.checkNext(this)) {
                return;
            }
        }
    }

    private void scan(long v) {
        long a = Value.addressOf(v);
        long[] chunk = arena.storage(Arena.indexOf(a));
        int off = Arena.offsetOf(a);
        int size = Header.sizeWords(chunk[off - 1]);
        for (int i = off, end = off + size; i < end; i++) {
            long f = chunk[i];
            if ((f & 1L) == 0 && f != Value.NONE) {
                mark(f);
            }
        }
    }

    @Override
    public boolean isReached(long v) {
        return !Value.isBlock(v) || !Header.isWhite(arena.read(Value.addressOf(v) - 1));
    }

    @Override
    public void retainData(long ephemeron) {
        retained.push(ephemeron);
    }

    @Override
    public void traceDataNow(long ephemeron) {
        mark(arena.read(Value.addressOf(ephemeron) + EphemeronLayout.DATA_FIELD));
    }

    void reset() {
        eager = true;
        stack.clear();
        retained.clear();
    }
}
