package dev.ephemera.gc;

import dev.ephemera.memory.Arena;
import dev.ephemera.object.Header;
import java.util.Arrays;

/**
 * Blocks too big for a {@linkplain SizeClasses mark-sweep cell}: each gets an arena chunk of its
 * own (header at offset 0), is never moved, and is freed by releasing its chunk, which hands the
 * storage back to the JVM at once.
 */
final class LargeObjectSpace {
    static final byte CHUNK_KIND = 3;

    private final Arena arena;
    /** Header addresses of the allocated large blocks, {@code count} of them, in no order. */
    private long[] blocks = new long[16];
    private int count;
    private long words;

    LargeObjectSpace(Arena arena) {
        this.arena = arena;
    }

    /** Allocates a chunk for a block of {@code sizeWords} fields; returns its header address. */
    long allocate(int sizeWords) {
        long base = arena.allocateChunk(sizeWords + 1, CHUNK_KIND);
        if (count == blocks.length) {
            blocks = Arrays.copyOf(blocks, count * 2);
        }
        blocks[count++] = base;
        words += sizeWords + 1L;
        return base;
    }

    /** Frees unmarked blocks and whitens marked ones. */
    void sweep() {
        int kept = 0;
        for (int i = 0; i < count; i++) {
            long base = blocks[i];
            long h = arena.read(base);
            if (Header.isBlack(h)) {
                arena.write(base, Header.withColour(h, Header.WHITE));
                blocks[kept++] = base;
            } else {
                words -= Header.sizeWords(h) + 1L;
                arena.release(Arena.indexOf(base));
            }
        }
        Arrays.fill(blocks, kept, count, 0L);
        count = kept;
    }

    /** Words of all large blocks, headers included. */
    long words() {
        return words;
    }

    int count() {
        return count;
    }

    /** Header address of large block {@code i}. */
    long block(int i) {
        return blocks[i];
    }

    /** True if {@code headerAddress} is the header of an allocated large block. */
    boolean isBlockStart(long headerAddress) {
        return arena.kindOf(headerAddress) == CHUNK_KIND && Arena.offsetOf(headerAddress) == 0;
    }
}
