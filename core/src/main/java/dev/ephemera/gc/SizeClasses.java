package dev.ephemera.gc;

import dev.ephemera.object.layout.Header;

/**
 * The size classes of the mark-sweep space: cell sizes in words, header included. Every cell of
 * a page has its page's class. Exact sizes up to 32 words keep the common small blocks free of
 * internal waste; beyond that classes grow by an eighth or less, so a block wastes at most
 * about 12% of its cell.
 */
final class SizeClasses {
    /** Words per page; a page holds cells of one class. */
    static final int PAGE_WORDS = 4096;
    /** The largest cell, in words; larger blocks go to the large-object space. */
    static final int MAX_CELL_WORDS = 1024;
    /** The smallest cell: a header and one field (the free-list link or the forwarding pointer). */
    static final int MIN_CELL_WORDS = 2;

    /** Cell size of each class, ascending. */
    static final int[] CELL_WORDS;
    /** Cells per page for each class. */
    static final int[] CELLS_PER_PAGE;
    /** Class of the smallest cell holding {@code n} words, for n in [0, MAX_CELL_WORDS]. */
    private static final byte[] CLASS_OF_WORDS = new byte[MAX_CELL_WORDS + 1];

    static {
        int[] sizes = new int[128];
        int count = 0;
        for (int w = MIN_CELL_WORDS; w <= 32; w++) {
            sizes[count++] = w;
        }
        int step = 4;
        for (int w = 36; w <= MAX_CELL_WORDS; w += step) {
            sizes[count++] = w;
            if (w == 64 || w == 128 || w == 256 || w == 512) {
                step *= 2;
            }
        }
        CELL_WORDS = java.util.Arrays.copyOf(sizes, count);
        CELLS_PER_PAGE = new int[count];
        for (int c = 0; c < count; c++) {
            CELLS_PER_PAGE[c] = PAGE_WORDS / CELL_WORDS[c];
        }
        int c = 0;
        for (int w = 0; w <= MAX_CELL_WORDS; w++) {
            while (CELL_WORDS[c] < w) {
                c++;
            }
            CLASS_OF_WORDS[w] = (byte) c;
        }
    }

    private SizeClasses() {}

    static int count() {
        return CELL_WORDS.length;
    }

    /** The class for a block of {@code sizeWords} fields (header added here). */
    static int classOf(int sizeWords) {
        return Byte.toUnsignedInt(CLASS_OF_WORDS[sizeWords + Header.WORDS]); // up to 255 classes
    }

    /** True if a block of {@code sizeWords} fields fits a mark-sweep cell. */
    static boolean isSmall(int sizeWords) {
        return sizeWords < MAX_CELL_WORDS;
    }
}
