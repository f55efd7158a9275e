package dev.ephemera.gc;

import dev.ephemera.event.HeapCorruptionError;
import dev.ephemera.memory.Arena;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.Header;

/**
 * Checked mode's answer to "does this value point to the start of a live block of this heap?",
 * asked by the API before it reads or writes anything through a pointer a client gave it. Only
 * the collector knows where blocks start, so the answer lives here:
 *
 * <ul>
 * <li><b>Nursery:</b> the pointer's chunk must be the nursery's current epoch (a pointer kept
 *     across a minor collection points into an unmapped chunk), its header below the allocation
 *     pointer, and at a recorded block start: in checked mode allocation sets a bit per block
 *     header ({@link Nursery#markStart}), so the unchecked fast path does not pay for it.</li>
 * <li><b>Mark-sweep space:</b> arithmetic — the header must be the first word of a cell of an
 *     in-use page ({@link MarkSweepSpace#isCellStart}), not free (blue) and not in the
 *     never-allocated rest of a bump region.</li>
 * <li><b>Dead, not yet freed:</b> once a major cycle has finished marking, an old block it did
 *     not mark is dead though its memory is not yet swept: white while the cycle cleans, white
 *     in a page (or a large block) the lazy sweep has not reached.</li>
 * <li><b>Large objects:</b> one chunk each, so the header must be word 0 of a large-object
 *     chunk.</li>
 * </ul>
 *
 * Everything is checked before the header is read, so no check reads outside a chunk: a random
 * long, a pointer into the middle of a block, to a header-looking word written inside a string,
 * or one word past a chunk's end is refused with a verdict, never an
 * {@code ArrayIndexOutOfBoundsException}.
 *
 * <p>What it cannot see: a block of another heap whose address happens to be a block start here
 * (values carry no heap identity), a pointer so old that its memory now holds another block at
 * the same address (a nursery epoch index reused after 256 minor collections, a cell freed and
 * reallocated), and a block that died while a cycle still marks (white may yet be marked).
 */
public final class PointerCheck {
    /**
     * Checked mode: the system property {@code ephemera.checked}, read once. The API's
     * {@code CheckedMode.ON} is this value; the collector needs it below the API (the nursery's
     * start bits).
     */
    public static final boolean ENABLED = Boolean.getBoolean("ephemera.checked");

    /** The pointer is the start of a live block. */
    public static final int OK = 0;
    /** Its chunk is not mapped: the block was moved (a minor collection, a compaction) or freed (a large block). */
    public static final int UNMAPPED = 1;
    /** It points into the nursery beyond the allocation pointer. */
    public static final int BEYOND_NURSERY_TOP = 2;
    /** It points to a freed (or never allocated) cell, or a block marking found dead and not yet freed. */
    public static final int FREED = 3;
    /** It points outside its chunk: before its first word, or at or past its end. */
    public static final int OUTSIDE_CHUNK = 4;
    /** It points into a block, or between blocks: not the first field of a block. */
    public static final int NOT_A_BLOCK_START = 5;

    private final Arena arena;
    private final Nursery nursery;
    private final MajorHeap major;
    private final MajorCycle cycle;

    PointerCheck(Arena arena, Nursery nursery, MajorHeap major, MajorCycle cycle) {
        this.arena = arena;
        this.nursery = nursery;
        this.major = major;
        this.cycle = cycle;
    }

    /**
     * The verdict on {@code v}, a pointer (even and not {@link Value#NONE}: the caller has told
     * immediates apart): {@link #OK} or the reason it is not a pointer to a live block. Reads at
     * most the block's header word, and only once the header's address is known to be a block
     * start inside a mapped chunk.
     */
    public int check(long v) {
        int index = Value.chunkIndexOf(v);
        long[] chunk = arena.chunk(index);
        if (chunk == null) {
            return UNMAPPED;
        }
        long a = Value.addressOf(v);
        int offset = Arena.offsetOf(a);
        // field 0 of every block is inside its chunk: a block has at least one word of fields
        // in the nursery and in a cell, and a large block has more than a thousand
        if (offset < 1 || offset >= chunk.length) {
            return OUTSIDE_CHUNK;
        }
        long header = Header.addressOf(a);
        switch (arena.kind(index)) {
            case Nursery.CHUNK_KIND:
                if (index != nursery.chunkIndex) {
                    return UNMAPPED;
                }
                if (!nursery.containsAllocated(header)) {
                    return BEYOND_NURSERY_TOP;
                }
                return nursery.isBlockStart(header) ? OK : NOT_A_BLOCK_START;
            case MarkSweepSpace.CHUNK_KIND: {
                MarkSweepSpace small = major.small();
                if (!small.isCellStart(header)) {
                    return NOT_A_BLOCK_START;
                }
                if (small.isUnallocatedBumpCell(header) || Header.isBlue(chunk[offset + Header.OFFSET])) {
                    return FREED;
                }
                return isDead(chunk[offset + Header.OFFSET], small.isUnswept(header)) ? FREED : OK;
            }
            case LargeObjectSpace.CHUNK_KIND:
                if (offset != 1) {
                    return NOT_A_BLOCK_START;
                }
                return isDead(chunk[0], major.large().isUnswept(header)) ? FREED : OK;
            default:
                return NOT_A_BLOCK_START;
        }
    }

    /**
     * True if an old block with header {@code h} is known dead though not yet freed: marking is
     * over and did not reach it (white) — while the cycle cleans, every old block it did not mark
     * is dead (blocks allocated or promoted since marking began are black); while it sweeps, a
     * white block in a page (or a large block) the sweep has not reached yet.
     */
    private boolean isDead(long h, boolean unswept) {
        if (!Header.isWhite(h)) {
            return false;
        }
        MajorCycle.State state = cycle.state();
        return state == MajorCycle.State.CLEAN || (state == MajorCycle.State.SWEEP && unswept);
    }

    /**
     * True for the verdicts that mean the pointer was never a pointer to a block of this heap
     * (or is so old that its memory was reused): it was made up, not kept too long.
     */
    public static boolean isForged(int verdict) {
        return verdict == OUTSIDE_CHUNK || verdict == NOT_A_BLOCK_START;
    }

    /**
     * The error message for the operation {@code op} refusing the pointer {@code v} with
     * {@code verdict} (not {@link #OK}): "op: stale pointer 0x…: why", or "invalid pointer" for
     * a {@linkplain #isForged forged} one. The API throws it as the exception the verdict calls
     * for.
     */
    public static String message(String op, long v, int verdict) {
        return op + ": " + (isForged(verdict) ? "invalid" : "stale") + " pointer " + Value.describe(v) + ": "
                + explain(verdict);
    }

    /**
     * The error for the collector's code, running {@code where}, that met a pointer it cannot
     * follow ({@code e}: the JVM's exception for a chunk that is not mapped or an offset past a
     * chunk's end). Outside checked mode only the block an operation reads or writes through is
     * checked, not the values it stores, so this is most likely a made-up or stale pointer stored
     * then; in checked mode such a pointer is refused at the store, so this is a bug.
     */
    static HeapCorruptionError unfollowable(String where, RuntimeException e) {
        return new HeapCorruptionError(where + " met a pointer it cannot follow (" + e + "): "
                + (ENABLED ? "a bug in ephemera (checked mode refuses such a pointer at the store)"
                        : "most likely a made-up or stale pointer stored with checked mode off"
                                + " (-Dephemera.checked=true refuses it at the store)"), e);
    }

    /** A sentence saying what is wrong with a pointer given verdict {@code verdict}. */
    public static String explain(int verdict) {
        switch (verdict) {
            case UNMAPPED:
                return "its block was moved by a minor collection or a compaction, or freed (raw pointers are"
                        + " valid only until the next allocation; keep values in handles or roots)";
            case BEYOND_NURSERY_TOP:
                return "it is beyond the nursery's allocated part";
            case FREED:
                return "it points to a freed block";
            case OUTSIDE_CHUNK:
                return "it points outside any block of this heap";
            case NOT_A_BLOCK_START:
                return "it does not point to the start of a block (an interior pointer, or a made-up one)";
            default:
                return "it is a valid pointer";
        }
    }
}
