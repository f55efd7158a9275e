package dev.ephemera;

import dev.ephemera.object.Tag;

/**
 * The half of {@link Heap}'s API for raw blocks — byte strings, boxed doubles and double arrays,
 * custom blocks and foreign boxes: the blocks whose words the collector never scans (OCaml's tags
 * from {@code No_scan_tag} up), made and read here as bytes, doubles, raw words and Java objects.
 * {@code Heap} extends it, as the JDK's {@code StringBuilder} extends
 * {@code AbstractStringBuilder}, so that {@code Heap.java} holds the other half — scanned blocks
 * and their fields, roots, the façades and the heap's life — and each file one concern. Its
 * methods are part of {@code Heap}'s API (javac gives {@code Heap} a public bridge for each, and
 * javadoc documents them there); like {@code Heap}'s own, each checks and delegates to the class
 * of its concern.
 *
 * <p>The collaborators come from the heap through the accessors below, not through a
 * constructor: they need the heap itself (allocating runs finalisers, which are given the heap),
 * so {@code Heap}'s constructor makes them after this class's has run. None of these methods is a
 * fast path: the accessors are monomorphic (the class is sealed), and the JIT inlines them.
 */
abstract sealed class RawBlocks permits Heap {
    /** {@return the allocator, for doubles, custom blocks and foreign boxes} */
    abstract Allocator allocator();

    /** {@return the byte strings' allocation and access} */
    abstract ByteStrings strings();

    /** {@return block access, for raw words, doubles and foreign boxes} */
    abstract BlockAccess access();

    // ================================================================== allocation

    /**
     * Allocates a byte string holding the UTF-8 encoding of {@code s}.
     *
     * @param s the text
     * @return a pointer to the new string (raw: valid until the next allocation)
     */
    public long allocString(String s) {
        return strings().allocString(s);
    }

    /**
     * Allocates a byte string holding {@code bytes}.
     *
     * @param bytes the bytes, copied
     * @return a pointer to the new string (raw: valid until the next allocation)
     */
    public long allocBytes(byte[] bytes) {
        return strings().allocBytes(bytes);
    }

    /**
     * Allocates a byte string of {@code length} zero bytes (OCaml's {@code Bytes.make n '\000'}).
     *
     * @param length the length in bytes
     * @return a pointer to the new string (raw: valid until the next allocation)
     */
    public long allocBytes(int length) {
        return strings().allocBytes(length);
    }

    /**
     * Allocates a boxed double.
     *
     * @param d the double
     * @return a pointer to the new box (raw: valid until the next allocation)
     */
    public long allocDouble(double d) {
        return allocator().allocDouble(d);
    }

    /**
     * Allocates a flat array of doubles ({@link Tag#DOUBLE_ARRAY}).
     *
     * @param values the doubles, copied
     * @return a pointer to the new array (raw: valid until the next allocation)
     */
    public long allocDoubleArray(double[] values) {
        return allocator().allocDoubleArray(values);
    }

    /**
     * Allocates a {@link Tag#CUSTOM} block: field 0 holds {@code kind} (a client-chosen word
     * naming the payload's format), then {@code payloadWords} raw words, zeroed. The collector
     * never looks inside.
     *
     * @param kind the word stored in field 0, naming the payload's format
     * @param payloadWords the number of raw words after it
     * @return a pointer to the new block (raw: valid until the next allocation)
     */
    public long allocCustom(long kind, int payloadWords) {
        return allocator().allocCustom(kind, payloadWords);
    }

    /**
     * Allocates a foreign box: a heap value standing for the Java object {@code object}. The
     * box can be stored in blocks, used as a key, finalised; the heap keeps {@code object}
     * reachable exactly as long as the box lives.
     *
     * @param object the Java object the box stands for
     * @return a pointer to the new box (raw: valid until the next allocation)
     */
    public long allocForeign(Object object) {
        return allocator().allocForeign(object);
    }

    /**
     * {@return the Java object of the foreign box {@code box}}
     *
     * @param box a foreign box made by {@link #allocForeign}
     */
    public Object foreign(long box) {
        return access().foreign(box);
    }

    /**
     * {@return true if {@code v} is a foreign box}
     *
     * @param v any value
     */
    public boolean isForeign(long v) {
        return access().isForeign(v);
    }

    // ================================================================== access

    /**
     * {@return raw word {@code i} of a raw block (string, double, double array, custom)}
     *
     * @param v a pointer to a raw block
     * @param i the word's index, in [0, size)
     */
    public long rawField(long v, int i) {
        return access().rawField(v, i);
    }

    /**
     * Stores a raw word in a raw block. Field 0 of a custom block (its kind) cannot be changed.
     *
     * @param v a pointer to a raw block
     * @param i the word's index, in [0, size); at least 1 for a custom block
     * @param word the word to store; never read as a value
     */
    public void setRawField(long v, int i, long word) {
        access().setRawField(v, i, word);
    }

    /**
     * {@return the double in the boxed double {@code v}}
     *
     * @param v a pointer to a boxed double
     */
    public double doubleValue(long v) {
        return access().doubleValue(v);
    }

    /**
     * {@return element {@code i} of the double array {@code v}}
     *
     * @param v a pointer to a double array
     * @param i the element's index, in [0, size)
     */
    public double doubleField(long v, int i) {
        return access().doubleField(v, i);
    }

    /**
     * Stores element {@code i} of the double array {@code v}.
     *
     * @param v a pointer to a double array
     * @param i the element's index, in [0, size)
     * @param d the double to store
     */
    public void setDoubleField(long v, int i, double d) {
        access().setDoubleField(v, i, d);
    }

    /**
     * {@return the length in bytes of the string {@code v}}
     *
     * @param v a pointer to a string
     */
    public int stringLength(long v) {
        return strings().length(v);
    }

    /**
     * {@return byte {@code i} (0..255) of the string {@code v}}
     *
     * @param v a pointer to a string
     * @param i the byte's index, in [0, length)
     */
    public int byteAt(long v, int i) {
        return strings().byteAt(v, i);
    }

    /**
     * Stores byte {@code i} of the string {@code v} (strings are mutable, like OCaml's bytes).
     *
     * @param v a pointer to a string
     * @param i the byte's index, in [0, length)
     * @param b the byte, 0..255, or a Java {@code byte} (-128..127, stored as its unsigned value)
     * @throws IllegalArgumentException if {@code b} is outside -128..255
     */
    public void setByteAt(long v, int i, int b) {
        strings().setByteAt(v, i, b);
    }

    /**
     * {@return the bytes of the string {@code v}}
     *
     * @param v a pointer to a string
     */
    public byte[] bytes(long v) {
        return strings().bytes(v);
    }

    /**
     * {@return the string {@code v} decoded as UTF-8}
     *
     * @param v a pointer to a string holding UTF-8
     */
    public String stringValue(long v) {
        return strings().stringValue(v);
    }
}
