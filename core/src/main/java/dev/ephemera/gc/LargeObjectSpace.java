package dev.ephemera.gc;

import dev.ephemera.memory.Arena;
import dev.ephemera.object.layout.Header;
import java.util.Arrays;

/**
 * Blocks too big for a {@linkplain SizeClasses mark-sweep cell}: each gets an arena chunk of its
 * own (header at offset 0), is never moved, and is freed by releasing its chunk, which hands the
 * storage back to the JVM at once. Swept in budgeted steps like the small blocks.
 */
final class LargeObjectSpace {
    static final byte CHUNK_KIND = 3;

    private final Arena arena;
    /** Header addresses of the allocated large blocks, {@code count} of them, in no order. */
    private long[] blocks = new long[16];
    private int count;
    private long words;
    /**
     * The sweep under way: blocks [sweepCursor, sweepEnd) are still to be swept, the survivors
     * so far are compacted into [0, kept); sweepCursor is -1 when no sweep is under way.
     */
    private int sweepCursor = -1;
    private int sweepEnd;
    private int kept;

    LargeObjectSpace(Arena arena) {
        this.arena = arena;
    }

    /** Allocates a chunk for a block of {@code sizeWords} fields; returns its header address. */
    long allocate(int sizeWords) {
        if (count == blocks.length) {
            blocks = Arrays.copyOf(blocks, count * 2); // first: a refusal leaves the space as it was
        }
        long base = arena.allocateChunk(Header.WORDS + sizeWords, CHUNK_KIND);
        blocks[count++] = base;
        words += Header.blockWords(sizeWords);
        return base;
    }

    /** Frees the block just allocated at {@code base} (the last one), before anyone saw it. */
    void undoAllocate(long base) {
        if (count == 0 || blocks[count - 1] != base) {
            throw new IllegalStateException("LargeObjectSpace.undoAllocate: not the last block allocated");
        }
        blocks[--count] = 0;
        words -= arena.chunk(Arena.indexOf(base)).length;
        arena.release(Arena.indexOf(base));
    }

    /** Starts a sweep: the blocks allocated so far are swept by {@link #sweepSlice}. */
    void startSweep() {
        sweepCursor = 0;
        sweepEnd = count;
        kept = 0;
    }

    /**
     * Frees unmarked blocks and whitens marked ones, one unit of {@code budget} each (freeing a
     * block is dropping its chunk). Blocks allocated during the sweep are appended beyond the
     * swept range, white, and are not looked at. Returns true when the sweep is complete.
     */
    boolean sweepSlice(Budget budget) {
        if (sweepCursor < 0) {
            return true;
        }
        while (sweepCursor < sweepEnd) {
            if (budget.isExhausted()) {
                return false;
            }
            long base = blocks[sweepCursor++];
            long h = arena.read(base);
            if (Header.isBlack(h)) {
                arena.write(base, Header.withColour(h, Header.WHITE));
                blocks[kept++] = base;
            } else {
                words -= Header.blockWords(Header.sizeWords(h));
                arena.release(Arena.indexOf(base));
            }
            budget.spend(1);
        }
        int added = count - sweepEnd;
        System.arraycopy(blocks, sweepEnd, blocks, kept, added);
        Arrays.fill(blocks, kept + added, count, 0L);
        count = kept + added;
        sweepCursor = -1;
        return true;
    }

    /** Frees unmarked blocks and whitens marked ones, all at once. */
    void sweep() {
        startSweep();
        sweepSlice(Budget.unlimited());
    }

    /**
     * Visits the header address of every allocated block, and tells whether a sweep under way
     * has reached it yet ({@code swept} false: its colour is the marking's).
     */
    void forEachBlock(BlockVisitor visitor) {
        if (sweepCursor < 0) {
            for (int i = 0; i < count; i++) {
                visitor.block(blocks[i], true);
            }
            return;
        }
        for (int i = 0; i < kept; i++) {
            visitor.block(blocks[i], true);
        }
        for (int i = sweepCursor; i < sweepEnd; i++) {
            visitor.block(blocks[i], false);
        }
        for (int i = sweepEnd; i < count; i++) {
            visitor.block(blocks[i], true);
        }
    }

    /** A visitor of large blocks. */
    interface BlockVisitor {
        void block(long headerAddress, boolean swept);
    }

    /** Words of all large blocks, headers included. */
    long words() {
        return words;
    }

    int count() {
        return count;
    }

    /**
     * True if the block at {@code headerAddress} is one the sweep under way has not reached (its
     * colour is still the marking's: white means dead). Linear in the blocks; for the pointer
     * check of checked mode.
     */
    boolean isUnswept(long headerAddress) {
        for (int i = Math.max(sweepCursor, 0); i < sweepEnd && sweepCursor >= 0; i++) {
            if (blocks[i] == headerAddress) {
                return true;
            }
        }
        return false;
    }

    /** True if {@code headerAddress} is the header of an allocated large block. */
    boolean isBlockStart(long headerAddress) {
        return arena.kindOf(headerAddress) == CHUNK_KIND && Arena.offsetOf(headerAddress) == 0;
    }
}
