package dev.ephemera;

import dev.ephemera.memory.Arena;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.Header;
import dev.ephemera.object.layout.StringLayout;
import java.nio.charset.StandardCharsets;

/**
 * Byte strings ({@link Tag#STRING}): making them from Java bytes and strings (UTF-8), and reading
 * and writing their bytes. The bytes are packed eight to a word, with OCaml's padding byte at
 * the top of the last word giving the length ({@link StringLayout}).
 */
final class ByteStrings {
    private final Arena arena;
    private final EntryChecks checks;
    private final Allocator allocator;

    ByteStrings(Arena arena, EntryChecks checks, Allocator allocator) {
        this.arena = arena;
        this.checks = checks;
        this.allocator = allocator;
    }

    // ================================================================== allocation

    /** {@link Heap#allocString}. */
    long allocString(String s) {
        checks.enter("Heap.allocString");
        EntryChecks.requireNonNull("Heap.allocString", "the string", s);
        return allocBytes("Heap.allocString", s.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link Heap#allocBytes(byte[])}. */
    long allocBytes(byte[] bytes) {
        checks.enter("Heap.allocBytes");
        EntryChecks.requireNonNull("Heap.allocBytes", "bytes", bytes);
        return allocBytes("Heap.allocBytes", bytes);
    }

    /** A string holding {@code bytes}: each word packed in a register, then written once. */
    private long allocBytes(String op, byte[] bytes) {
        int length = bytes.length;
        long v = allocate(op, length);
        long a = Value.addressOf(v);
        int size = StringLayout.sizeWords(length);
        for (int w = 0; w < size; w++) {
            int from = w * StringLayout.BYTES_PER_WORD;
            int to = Math.min(from + StringLayout.BYTES_PER_WORD, length);
            long word = w == size - 1 ? StringLayout.paddingWord(size, length) : 0;
            for (int i = from; i < to; i++) {
                word |= (bytes[i] & 0xFFL) << StringLayout.shiftOf(i);
            }
            arena.write(a + w, word);
        }
        return v;
    }

    /** {@link Heap#allocBytes(int)}. */
    long allocBytes(int length) {
        checks.enter("Heap.allocBytes");
        if (length < 0) {
            throw new IllegalArgumentException("Heap.allocBytes: length " + length + " is negative");
        }
        long v = allocate("Heap.allocBytes", length);
        int size = StringLayout.sizeWords(length);
        // a new block's fields are zero: only the padding byte needs writing
        arena.write(Value.addressOf(v) + size - 1, StringLayout.paddingWord(size, length));
        return v;
    }

    private long allocate(String op, int lengthBytes) {
        int size = StringLayout.sizeWords(lengthBytes);
        EntryChecks.checkSize(op, size);
        checks.enter(op);
        return allocator.allocate(op, size, Tag.STRING);
    }

    // ================================================================== access

    /** {@link Heap#stringLength}. */
    int length(long v) {
        return lengthAt(stringBlock("Heap.stringLength", v));
    }

    /** {@link Heap#byteAt}. */
    int byteAt(long v, int i) {
        long a = stringBlock("Heap.byteAt", v);
        checkByteIndex("Heap.byteAt", i, lengthAt(a));
        return (int) (arena.read(a + StringLayout.wordOf(i)) >>> StringLayout.shiftOf(i)) & 0xFF;
    }

    /** {@link Heap#setByteAt}. */
    void setByteAt(long v, int i, int b) {
        long a = stringBlock("Heap.setByteAt", v);
        checkByteIndex("Heap.setByteAt", i, lengthAt(a));
        if (b < Byte.MIN_VALUE || b > 0xFF) { // a Java byte (-128..127) stands for its unsigned value
            throw new IllegalArgumentException("Heap.setByteAt: byte " + b + " out of range [-128, 255]");
        }
        long w = a + StringLayout.wordOf(i);
        int shift = StringLayout.shiftOf(i);
        arena.write(w, (arena.read(w) & ~(0xFFL << shift)) | ((b & 0xFFL) << shift));
    }

    /** {@link Heap#bytes}. */
    byte[] bytes(long v) {
        return bytes("Heap.bytes", v);
    }

    private byte[] bytes(String op, long v) {
        long a = stringBlock(op, v);
        byte[] out = new byte[lengthAt(a)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (arena.read(a + StringLayout.wordOf(i)) >>> StringLayout.shiftOf(i));
        }
        return out;
    }

    /** {@link Heap#stringValue}. */
    String stringValue(long v) {
        return new String(bytes("Heap.stringValue", v), StandardCharsets.UTF_8);
    }

    /** The length in bytes of the string whose field 0 is at {@code a}. */
    private int lengthAt(long a) {
        int size = Header.sizeWords(checks.header(a));
        return StringLayout.lengthBytes(size, arena.read(a + size - 1));
    }

    private static void checkByteIndex(String op, int i, int length) {
        if (i < 0 || i >= length) {
            throw new IndexOutOfBoundsException(op + ": index " + i + " out of range [0, " + length + ")");
        }
    }

    private long stringBlock(String op, long v) {
        long a = checks.block(op, v);
        long h = checks.header(a);
        if (Header.tag(h) != Tag.STRING) {
            throw EntryChecks.wrongTag(op, "a string", v, h);
        }
        return a;
    }
}
