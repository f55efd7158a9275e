package dev.ephemera.object.layout;

/**
 * Layout of a free cell of the major heap's small-block space: a cell no block holds, linked in
 * the free list of its size class.
 *
 * <pre>
 *   BLUE header (size = cell words - 1, tag 0) | next free cell | (rest: garbage)
 *  word of the cell:  0                               1
 * </pre>
 *
 * <p>A cell is named by the word address of its first word, the header ({@link Header#addressOf}
 * of the block it will hold), and so is the next cell in the link word; 0 ends the list. The
 * header's size covers the whole cell, so a walk of a page steps from cell to cell through free
 * and allocated cells alike.
 */
public final class FreeCellLayout {
    /**
     * The link to the next free cell of the class, as a word offset from the cell's start: the
     * first word after the header (field 0 of the block the cell will hold).
     */
    public static final int NEXT_OFFSET = Header.WORDS;

    private FreeCellLayout() {}

    /** The header of a free cell of {@code cellWords} words (header included). */
    public static long header(int cellWords) {
        return Header.make(cellWords - Header.WORDS, 0, Header.BLUE);
    }

    /** The word address of the link word of the free cell starting at {@code cellAddress}. */
    public static long nextAddress(long cellAddress) {
        return cellAddress + NEXT_OFFSET;
    }
}
