package dev.ephemera;

import dev.ephemera.gc.Collector;
import dev.ephemera.memory.Arena;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.DoubleLayout;
import dev.ephemera.object.layout.ForeignLayout;
import dev.ephemera.object.layout.Header;

/**
 * Reading and writing blocks, except byte strings ({@link ByteStrings}): the slow path of
 * {@link Heap#field}/{@link Heap#setField}/{@link Heap#tag}/{@link Heap#size} (their fast paths
 * stay in {@code Heap}, small enough to inline), raw words, doubles, and the Java object of a
 * foreign box. Pointer stores into scanned blocks go through the write barrier; raw words are
 * not pointers and are written directly.
 */
final class BlockAccess {
    private final Arena arena;
    private final EntryChecks checks;
    private final Collector collector;

    BlockAccess(Collector collector, EntryChecks checks) {
        this.arena = collector.arena();
        this.checks = checks;
        this.collector = collector;
    }

    // ================================================================== scanned fields

    /**
     * The storage chunk of the block {@code v} for the accessors' slow path — an immediate, NONE,
     * a pointer into an unmapped chunk (every pointer once the heap is closed), or anything in
     * checked mode — after every entry check.
     */
    long[] checkedChunk(String op, long v) {
        checks.block(op, v);
        return arena.storage(Value.chunkIndexOf(v));
    }

    /** {@code i} if it is a valid field index of a scanned block with header {@code h}; else throws. */
    static int scannedIndex(String op, long v, long h, int i) {
        if (i < 0 || i >= Header.sizeWords(h) || Header.tag(h) >= Tag.NO_SCAN) {
            throw fieldError(op, v, h, i);
        }
        return i;
    }

    private static RuntimeException fieldError(String op, long v, long h, int i) {
        if (Header.tag(h) >= Tag.NO_SCAN) {
            return new WrongTagException(op + ": expected a scanned block, got " + Value.describe(v)
                    + " with tag " + Header.tag(h) + " (" + Tag.name(Header.tag(h)) + ")");
        }
        return EntryChecks.indexError(op, v, h, i);
    }

    // ================================================================== raw words

    /** {@link Heap#rawField}. */
    long rawField(long v, int i) {
        long a = checks.block("Heap.rawField", v);
        long h = checks.header(a);
        EntryChecks.checkIndex("Heap.rawField", v, h, i);
        if (!isRawTag(Header.tag(h))) {
            throw EntryChecks.wrongTag("Heap.rawField", "a raw block", v, h);
        }
        return arena.read(a + i);
    }

    /** {@link Heap#setRawField}. */
    void setRawField(long v, int i, long word) {
        long a = checks.block("Heap.setRawField", v);
        long h = checks.header(a);
        EntryChecks.checkIndex("Heap.setRawField", v, h, i);
        int tag = Header.tag(h);
        if (!isRawTag(tag)) {
            throw EntryChecks.wrongTag("Heap.setRawField", "a raw block", v, h);
        }
        if (tag == Tag.CUSTOM && i == ForeignLayout.KIND_FIELD) {
            throw new IllegalArgumentException("Heap.setRawField: field 0 of a custom block holds its kind and is read-only");
        }
        if (tag == Tag.CUSTOM && isForeignBox(a)) {
            throw new IllegalArgumentException("Heap.setRawField: foreign boxes are read-only");
        }
        arena.write(a + i, word);
    }

    private static boolean isRawTag(int tag) {
        return tag == Tag.STRING || tag == Tag.DOUBLE || tag == Tag.DOUBLE_ARRAY || tag == Tag.CUSTOM;
    }

    // ================================================================== doubles

    /** {@link Heap#doubleValue}. */
    double doubleValue(long v) {
        long a = checks.block("Heap.doubleValue", v);
        long h = checks.header(a);
        if (Header.tag(h) != Tag.DOUBLE) {
            throw EntryChecks.wrongTag("Heap.doubleValue", "a boxed double", v, h);
        }
        return Double.longBitsToDouble(arena.read(a + DoubleLayout.BITS_FIELD));
    }

    /** {@link Heap#doubleField}. */
    double doubleField(long v, int i) {
        long a = doubleArray("Heap.doubleField", v, i);
        return Double.longBitsToDouble(arena.read(a + i));
    }

    /** {@link Heap#setDoubleField}. */
    void setDoubleField(long v, int i, double d) {
        long a = doubleArray("Heap.setDoubleField", v, i);
        arena.write(a + i, Double.doubleToRawLongBits(d));
    }

    /** Field 0's address of the double array {@code v}, after checking {@code i} is an index of it. */
    private long doubleArray(String op, long v, int i) {
        long a = checks.block(op, v);
        long h = checks.header(a);
        EntryChecks.checkIndex(op, v, h, i);
        if (Header.tag(h) != Tag.DOUBLE_ARRAY) {
            throw EntryChecks.wrongTag(op, "a double array", v, h);
        }
        return a;
    }

    // ================================================================== foreign boxes

    /** {@link Heap#foreign}. */
    Object foreign(long box) {
        long h = checks.blockHeader("Heap.foreign", box);
        long a = Value.addressOf(box);
        if (!isForeignBox(a, h)) {
            throw new WrongTagException("Heap.foreign: expected a foreign box, got " + checks.describeBlock(box));
        }
        return collector.foreign((int) arena.read(a + ForeignLayout.SLOT_FIELD));
    }

    /** {@link Heap#isForeign}. */
    boolean isForeign(long v) {
        checks.enter("Heap.isForeign");
        return Value.isBlock(v) && isForeignBox(checks.block("Heap.isForeign", v));
    }

    private boolean isForeignBox(long a) {
        return isForeignBox(a, checks.header(a));
    }

    /** True if the block at {@code a}, of header {@code h}, is a foreign box. */
    private boolean isForeignBox(long a, long h) {
        return Header.tag(h) == Tag.CUSTOM && Header.sizeWords(h) == ForeignLayout.SIZE_WORDS
                && arena.read(a + ForeignLayout.KIND_FIELD) == ForeignLayout.FOREIGN_KIND;
    }
}
