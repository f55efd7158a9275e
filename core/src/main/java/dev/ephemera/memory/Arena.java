package dev.ephemera.memory;

import java.util.Arrays;

/**
 * A word arena: memory made of {@code long[]} chunks, each word addressed by a {@code long}.
 *
 * <pre>
 *  63                              32 31                               0
 * +----------------------------------+----------------------------------+
 * |           chunk index            |     word offset in the chunk     |
 * +----------------------------------+----------------------------------+
 * </pre>
 *
 * <p>A word address is the chunk index in the high 32 bits and the word offset in the low 32
 * bits, so a read is a shift, a narrowing cast (the mask) and two array accesses, which the JIT
 * inlines. Chunks may have any length up to {@code Integer.MAX_VALUE} words: a large object gets
 * a chunk of its own. Chunk index 0 is never mapped, so address 0 (the encoding of "none") can
 * never be read or written by mistake.
 *
 * <p>A chunk index may be unmapped (released) and later mapped again. Reading through an
 * unmapped index fails with a {@link NullPointerException}; layers above turn that into a clear
 * "stale pointer" error in checked mode. The arena knows nothing about objects or collection; each
 * chunk only carries an opaque {@linkplain #kind(int) kind byte} for the layer that owns it.
 *
 * <p>Not thread-safe: an arena belongs to one heap, which is used by one thread at a time.
 */
public final class Arena {
    /** Bits of a word address that hold the offset within its chunk. */
    public static final int OFFSET_BITS = 32;
    /** The largest chunk, in words. */
    public static final int MAX_CHUNK_WORDS = Integer.MAX_VALUE - 8;
    /** Kind byte of an index that is not mapped. */
    public static final byte KIND_UNMAPPED = 0;

    private long[][] chunks = new long[64][];
    private byte[] kinds = new byte[64];
    /** Indices released by {@link #release}, reused LIFO; {@code freeCount} entries are valid. */
    private int[] freeIndices = new int[16];
    private int freeCount;
    /** The next never-used index; index 0 is reserved so that address 0 is never mapped. */
    private int nextIndex = 1;
    private long mappedWords;

    /** Returns the word at {@code address}. */
    public long read(long address) {
        return chunks[(int) (address >>> OFFSET_BITS)][(int) address];
    }

    /** Stores {@code word} at {@code address}. */
    public void write(long address, long word) {
        chunks[(int) (address >>> OFFSET_BITS)][(int) address] = word;
    }

    /** The address of word {@code offsetWords} of chunk {@code index}. */
    public static long address(int index, int offsetWords) {
        return ((long) index << OFFSET_BITS) | (offsetWords & 0xFFFF_FFFFL);
    }

    /** The chunk index of {@code address}. */
    public static int indexOf(long address) {
        return (int) (address >>> OFFSET_BITS);
    }

    /** The word offset of {@code address} within its chunk. */
    public static int offsetOf(long address) {
        return (int) address;
    }

    /**
     * Reserves an index never used before, unmapped: a pointer that named a block under any
     * older index can never read through this one.
     */
    public int reserveFreshIndex() {
        if (nextIndex == Integer.MAX_VALUE) {
            throw new IllegalStateException("Arena.reserveFreshIndex: all chunk indices are in use");
        }
        int index = nextIndex++;
        if (index >= chunks.length) {
            int n = Math.max(chunks.length * 2, index + 1);
            chunks = Arrays.copyOf(chunks, n);
            kinds = Arrays.copyOf(kinds, n);
        }
        return index;
    }

    /**
     * Unmaps {@code index} if mapped and never hands it out again, so that a pointer kept across
     * the move of its chunk fails as unmapped for ever instead of reading whatever a reused index
     * would later map.
     */
    public void retire(int index) {
        if (chunks[index] != null) {
            unmap(index);
        }
    }

    /**
     * Reserves a fresh chunk index, unmapped. The owner maps storage at it with {@link #map}.
     */
    public int reserveIndex() {
        if (freeCount > 0) {
            return freeIndices[--freeCount];
        }
        if (nextIndex == Integer.MAX_VALUE) {
            throw new IllegalStateException("Arena.reserveIndex: all chunk indices are in use");
        }
        int index = nextIndex;
        if (index >= chunks.length) {
            // grown before anything changes: an OutOfMemoryError here leaves the arena as it was
            int n = Math.max(chunks.length * 2, index + 1);
            long[][] grownChunks = Arrays.copyOf(chunks, n);
            byte[] grownKinds = Arrays.copyOf(kinds, n);
            chunks = grownChunks;
            kinds = grownKinds;
        }
        nextIndex++;
        return index;
    }

    /** Maps {@code storage} at the reserved index {@code index}, tagging it with {@code kind}. */
    public void map(int index, long[] storage, byte kind) {
        if (kind == KIND_UNMAPPED) {
            throw new IllegalArgumentException("Arena.map: kind 0 is reserved for unmapped indices");
        }
        if (chunks[index] != null) {
            throw new IllegalStateException("Arena.map: chunk index " + index + " is already mapped");
        }
        chunks[index] = storage;
        kinds[index] = kind;
        mappedWords += storage.length;
    }

    /** Unmaps the chunk at {@code index} (the index stays reserved) and returns its storage. */
    public long[] unmap(int index) {
        long[] storage = chunks[index];
        if (storage == null) {
            throw new IllegalStateException("Arena.unmap: chunk index " + index + " is not mapped");
        }
        chunks[index] = null;
        kinds[index] = KIND_UNMAPPED;
        mappedWords -= storage.length;
        return storage;
    }

    /** Unmaps {@code index} if mapped and returns the index to the pool of reusable indices. */
    public void release(int index) {
        if (chunks[index] != null) {
            unmap(index);
        }
        if (freeCount == freeIndices.length) {
            freeIndices = Arrays.copyOf(freeIndices, freeCount * 2);
        }
        freeIndices[freeCount++] = index;
    }

    /** Maps {@code storage} (a chunk allocated elsewhere) at a fresh index; returns its base address. */
    public long mapChunk(long[] storage, byte kind) {
        int index = reserveIndex();
        map(index, storage, kind);
        return address(index, 0);
    }

    /** Allocates a zeroed chunk of {@code words} words at a fresh index; returns its base address. */
    public long allocateChunk(int words, byte kind) {
        if (words <= 0 || words > MAX_CHUNK_WORDS) {
            throw new IllegalArgumentException("Arena.allocateChunk: size " + words + " words out of range");
        }
        long[] storage = new long[words]; // first: an OutOfMemoryError here leaves the arena as it was
        int index = reserveIndex();
        map(index, storage, kind);
        return address(index, 0);
    }

    /**
     * The storage mapped at {@code index}, without a range check: the hot-path form for code
     * that reads several words of one block through one lookup. {@code index} must have been
     * reserved; an unmapped index gives null.
     */
    public long[] storage(int index) {
        return chunks[index];
    }

    /** True if {@code index} was ever handed out (it may be unmapped now); index 0 never is. */
    public boolean wasReserved(int index) {
        return index > 0 && index < nextIndex;
    }

    /** The storage mapped at {@code index}, or null (also for an index never reserved). */
    public long[] chunk(int index) {
        return index > 0 && index < chunks.length ? chunks[index] : null;
    }

    /** The kind byte of the chunk holding {@code address}, or {@link #KIND_UNMAPPED}. */
    public byte kindOf(long address) {
        int index = indexOf(address);
        return index > 0 && index < kinds.length ? kinds[index] : KIND_UNMAPPED;
    }

    /** The kind byte of chunk {@code index}. */
    public byte kind(int index) {
        return index > 0 && index < kinds.length ? kinds[index] : KIND_UNMAPPED;
    }

    /** True if {@code address} falls inside a mapped chunk. */
    public boolean isMapped(long address) {
        long[] c = chunk(indexOf(address));
        return c != null && offsetOf(address) >= 0 && offsetOf(address) < c.length;
    }

    /** Copies {@code lengthWords} words; overlapping ranges are handled like {@code System.arraycopy}. */
    public void copy(long from, long to, int lengthWords) {
        System.arraycopy(chunks[indexOf(from)], offsetOf(from), chunks[indexOf(to)], offsetOf(to), lengthWords);
    }

    /** Stores {@code word} in {@code lengthWords} consecutive words starting at {@code from}. */
    public void fill(long from, int lengthWords, long word) {
        int o = offsetOf(from);
        Arrays.fill(chunks[indexOf(from)], o, o + lengthWords, word);
    }

    /** Total words of all mapped chunks (the accounting of map and unmap; the table validator walks them). */
    public long mappedWords() {
        return mappedWords;
    }

    /** Drops every chunk; the arena is unusable afterwards. */
    public void clear() {
        Arrays.fill(chunks, null);
        Arrays.fill(kinds, KIND_UNMAPPED);
        mappedWords = 0;
    }
}
