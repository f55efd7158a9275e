package dev.ephemera.object.layout;

import dev.ephemera.memory.Arena;
import dev.ephemera.object.Value;

/**
 * The marks of the library's own structures built from ordinary scanned blocks: a guardian
 * ({@link GuardianLayout}), and the tables' blocks — a hash table, a weak hash set and an
 * ephemeron bucket, whose formats the tables layer describes. Each is a tag-0 block of its own
 * size whose field {@link #FIELD} holds one of these immediates, which tells it from other tag-0
 * blocks. (A table's bucket array is not one: it is an ordinary array.)
 *
 * <p>Why they are listed here, below the tables: such a block is one part of a structure the
 * library mutates in place and whose parts it keeps consistent (a table's size and free list
 * with its buckets, a guardian's queue). A copy of the block alone would be a second structure
 * sharing the first one's parts — two tables unlinking and refilling the same cells, two
 * guardians polling one queue — so {@code Heap.shallowCopy} and the ephemerons' {@code _copy}
 * accessors hand such a block out as it is, as OCaml's {@code get_copy} does a custom block.
 * That decision is made in the API layer, which cannot see the tables' layouts: the marks and
 * the sizes live here, and the layouts name the marks (a test checks that the sizes agree).
 */
public final class StructureMarks {
    /** The field that holds the mark. */
    public static final int FIELD = 0;
    /** A guardian: "GUARD". */
    public static final long GUARDIAN = Value.ofInt(0x4755415244L);
    /** A hash table of the tables layer: "EphTbl". */
    public static final long TABLE = Value.ofInt(0x456870546276L);
    /** A weak hash set of the tables layer: "WkSet". */
    public static final long WEAK_SET = Value.ofInt(0x576B536574L);
    /** An ephemeron bucket of the tables layer ({@code Bucket}): "EBuck". */
    public static final long BUCKET = Value.ofInt(0x4542756B63L);

    /** Fields of a guardian ({@link GuardianLayout#SIZE_WORDS}). */
    public static final int GUARDIAN_WORDS = GuardianLayout.SIZE_WORDS;
    /** Fields of a table block (the tables layer's {@code TableLayout.SIZE_WORDS}). */
    public static final int TABLE_WORDS = 12;
    /** Fields of a weak set block (the tables layer's {@code WeakSetLayout.SIZE_WORDS}). */
    public static final int WEAK_SET_WORDS = 9;
    /** Fields of an ephemeron bucket (the tables layer's {@code BucketLayout.SIZE_WORDS}). */
    public static final int BUCKET_WORDS = 2;

    /**
     * True if the block at address {@code a} of {@code arena}, whose header is {@code header},
     * is one of the library's structures: tag 0, and the size and the mark in field
     * {@link #FIELD} of one of them (the mark read only once the size says the block has that
     * field). A client's tag-0 block of such a size holding such a mark in field 0 is taken for
     * one too, and then handed out as it is instead of copied: the marks are immediates that no
     * program has a reason to store there, but one may hold them by chance (a table's cell keeps
     * a hash in field 0).
     */
    public static boolean isStructure(Arena arena, long a, long header) {
        if (Header.tag(header) != 0) {
            return false;
        }
        long expected;
        switch (Header.sizeWords(header)) {
            case GUARDIAN_WORDS: expected = GUARDIAN; break;
            case TABLE_WORDS: expected = TABLE; break;
            case WEAK_SET_WORDS: expected = WEAK_SET; break;
            case BUCKET_WORDS: expected = BUCKET; break;
            default: return false;
        }
        return arena.read(a + FIELD) == expected;
    }

    private StructureMarks() {}
}
