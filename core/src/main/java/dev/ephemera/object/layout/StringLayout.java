package dev.ephemera.object.layout;

import dev.ephemera.object.Tag;

/**
 * Layout of a byte string ({@link Tag#STRING}), OCaml's: the bytes are packed little-endian, 8
 * per word, and the last byte of the last word holds the padding {@code sizeWords*8 - 1 - length},
 * so the length is derived from the block and a string of {@code n} bytes takes
 * {@code n/8 + 1} words.
 *
 * <pre>
 *   word 0: b7 b6 b5 b4 b3 b2 b1 b0      (b0 in the low byte)
 *   ...
 *   last:   pad .. .. b(n-1) ...          pad = sizeWords*8 - 1 - n; padding bytes are 0
 * </pre>
 */
public final class StringLayout {
    private static final int LOG_BYTES_PER_WORD = 3;
    /** Bytes packed in one word. */
    public static final int BYTES_PER_WORD = 1 << LOG_BYTES_PER_WORD;
    /** Bit position of the padding byte in the last word (its top byte). */
    public static final int PADDING_SHIFT = 56;

    private StringLayout() {}

    /** Words needed for {@code lengthBytes} bytes. */
    public static int sizeWords(int lengthBytes) {
        return lengthBytes / BYTES_PER_WORD + 1;
    }

    /** The padding byte of a string of {@code lengthBytes} bytes: {@code sizeWords*8 - 1 - lengthBytes}. */
    public static long paddingByte(int sizeWords, int lengthBytes) {
        return (long) sizeWords * BYTES_PER_WORD - 1 - lengthBytes;
    }

    /** The last word of a string of {@code lengthBytes} bytes with only its padding byte set. */
    public static long paddingWord(int sizeWords, int lengthBytes) {
        return paddingByte(sizeWords, lengthBytes) << PADDING_SHIFT;
    }

    /** The word (counted from field 0) holding byte {@code byteIndex}. */
    public static int wordOf(int byteIndex) {
        return byteIndex >>> LOG_BYTES_PER_WORD;
    }

    /** Bit position of byte {@code i} in word {@link #wordOf wordOf(i)}. */
    public static int shiftOf(int byteIndex) {
        return (byteIndex & (BYTES_PER_WORD - 1)) * 8;
    }

    /** Length in bytes, from the block size and its last word. */
    public static int lengthBytes(int sizeWords, long lastWord) {
        int pad = (int) (lastWord >>> PADDING_SHIFT) & 0xFF;
        return sizeWords * BYTES_PER_WORD - 1 - pad;
    }
}
