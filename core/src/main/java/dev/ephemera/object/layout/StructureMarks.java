package dev.ephemera.object.layout;

import dev.ephemera.memory.Arena;
import dev.ephemera.object.Value;

/**
 * The marks of the library's own structures built from ordinary scanned blocks: a guardian
 * ({@link GuardianLayout}), and the tables' blocks — a hash table, a weak hash set and an
 * ephemeron bucket, whose formats the tables layer describes. Each is a tag-0 block whose
 * field {@link #FIELD} holds one of these immediates, which tells it from any other tag-0
 * block.
 *
 * <p>Why they are listed here, below the tables: such a block is one part of a structure the
 * library mutates in place and whose parts it keeps consistent (a table's size and free list
 * with its buckets, a guardian's queue). A copy of the block alone would be a second structure
 * sharing the first one's parts — two tables unlinking and refilling the same cells, two
 * guardians polling one queue — so {@code Heap.shallowCopy} and the ephemerons' {@code _copy}
 * accessors hand such a block out as it is, as OCaml's {@code get_copy} does a custom block.
 * That decision is made in the API layer, which cannot see the tables' layouts: the marks live
 * here, and the layouts name them.
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
    /** An ephemeron bucket of the tables layer: "EBuck". */
    public static final long BUCKET = Value.ofInt(0x4542756B63L);

    /**
     * True if the block at address {@code a} of {@code arena}, whose header is {@code header},
     * is part of one of the library's structures: tag 0, at least one field, and one of the
     * marks in field {@link #FIELD} (read only once the block is known to have it). A client's
     * tag-0 block holding one of these immediates in field 0 is taken for one too; they are
     * large immediates (names in ASCII) that no program writes there by chance.
     */
    public static boolean isStructure(Arena arena, long a, long header) {
        if (Header.tag(header) != 0 || Header.sizeWords(header) == 0) {
            return false;
        }
        long mark = arena.read(a + FIELD);
        return mark == GUARDIAN || mark == TABLE || mark == WEAK_SET || mark == BUCKET;
    }

    private StructureMarks() {}
}
