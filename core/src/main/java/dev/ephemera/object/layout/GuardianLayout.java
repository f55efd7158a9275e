package dev.ephemera.object.layout;

import dev.ephemera.object.Value;

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
    public static final long MARK = Value.ofInt(0x4755415244L); // "GUARD"
    /** The tag of a queue pair. */
    public static final int PAIR_TAG = 0;
    /** The field of a queue pair holding the object handed back. */
    public static final int PAIR_OBJECT_FIELD = 0;
    /** The field of a queue pair holding the next pair, or NONE in the last one. */
    public static final int PAIR_NEXT_FIELD = 1;

    /**
     * True if a block with header fields {@code tag} and {@code sizeWords} has a guardian's
     * shape; it is a guardian if, besides, its field 0 ({@link #MARK_FIELD}) holds {@link #MARK}.
     * Callers read field 0 only after this holds: a smaller block may not have that field.
     */
    public static boolean hasGuardianShape(int tag, int sizeWords) {
        return tag == TAG && sizeWords == SIZE_WORDS;
    }

    private GuardianLayout() {}
}
