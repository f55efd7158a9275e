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
    private StringLayout() {}

    /** Words needed for {@code lengthBytes} bytes. */
    public static int sizeWords(int lengthBytes) {
        return lengthBytes / 8 + 1;
    }

    /** The last word of a string of {@code lengthBytes} bytes holding only the padding byte. */
    public static long paddingByte(int sizeWords, int lengthBytes) {
        return sizeWords * 8L - 1 - lengthBytes;
    }

    /** Bit position of byte {@code i} in word {@code i / 8}. */
    public static int shiftOf(int byteIndex) {
        return (byteIndex & 7) * 8;
    }

    /** Length in bytes, from the block size and its last word. */
    public static int lengthBytes(int sizeWords, long lastWord) {
        int pad = (int) (lastWord >>> 56) & 0xFF;
        return sizeWords * 8 - 1 - pad;
    }
}
