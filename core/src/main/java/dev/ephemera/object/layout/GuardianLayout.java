package dev.ephemera.object.layout;

import dev.ephemera.memory.Arena;

/**
 * Layout of a guardian (Dybvig, Bruggeman, Eby: <i>Guardians in a generation-based garbage
 * collector</i>, PLDI 1993): an ordinary scanned block (tag 0) holding a mark and the queue of
 * objects handed back to it, as a list of pairs {@code (object . next)}.
 *
 * <pre>
 *   guardian:   header(tag 0, size 3) | MARK   | head pair or NONE | last pair or NONE
 *   queue pair: header(tag 0, size 2) | object | next pair or NONE
 * </pre>
 * Because the queue lives in the guardian, the objects in it stay alive exactly as long as the
 * guardian does. Each queue pair is an ordinary two-field block:
 *
 * <pre>
 *   header(tag 0, size 2) | object handed back | next pair or NONE
 * </pre>
 */
public final class GuardianLayout {
    public static final int MARK_FIELD = 0;
    public static final int HEAD_FIELD = 1;
    public static final int TAIL_FIELD = 2;
    public static final int SIZE_WORDS = 3;
    public static final int TAG = 0;
    /** The immediate in field 0 that identifies a guardian. */
    public static final long MARK = StructureMarks.GUARDIAN; // "GUARD"
    /** The tag of a queue pair. */
    public static final int PAIR_TAG = 0;
    /** The field of a queue pair holding the object handed back. */
    public static final int PAIR_OBJECT_FIELD = 0;
    /** The field of a queue pair holding the next pair, or NONE in the last one. */
    public static final int PAIR_NEXT_FIELD = 1;

    /**
     * True if the block at address {@code a} of {@code arena}, whose header is {@code header},
     * is a guardian: tag and size first, then its mark (read only then: a smaller block may not
     * have field {@link #MARK_FIELD}).
     */
    public static boolean isGuardian(Arena arena, long a, long header) {
        return Header.tag(header) == TAG && Header.sizeWords(header) == SIZE_WORDS
                && arena.read(a + MARK_FIELD) == MARK;
    }

    private GuardianLayout() {}
}
