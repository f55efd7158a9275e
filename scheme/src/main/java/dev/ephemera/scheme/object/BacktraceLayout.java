package dev.ephemera.scheme.object;

/**
 * The backtrace an error object keeps ({@link ConditionLayout#BACKTRACE_FIELD}): a vector of
 * fixnums, three per entry — the id of the node the activation waits at, its state, and how
 * many consecutive activations were the same — and, if entries were left out, a last fixnum
 * saying why.
 *
 * <pre>
 *   header(tag 2, size 3n or 3n+1) | node 0 | state 0 | count 0 | ... | count n-1 | [end mark]
 *   field:                            0        1         2                3n-1        3n
 * </pre>
 * The end mark is {@link #TRUNCATED} (more entries than were kept) or {@link #WALK_STOPPED}
 * (the walk stopped at its frame limit, so the last count is a lower bound).
 */
public final class BacktraceLayout {
    /** Fields per entry. */
    public static final int ENTRY_WORDS = 3;
    /** The node id, within an entry. */
    public static final int NODE_OFFSET = 0;
    /** The state, within an entry. */
    public static final int STATE_OFFSET = 1;
    /** The count, within an entry. */
    public static final int COUNT_OFFSET = 2;
    /** The end mark of a backtrace with more entries than were kept. */
    public static final long TRUNCATED = -1;
    /** The end mark of a backtrace whose walk stopped at its frame limit. */
    public static final long WALK_STOPPED = -2;

    private BacktraceLayout() {}

    /** Block size for {@code entries} entries, with an end mark if {@code truncated}. */
    public static int sizeWords(int entries, boolean truncated) {
        return entries * ENTRY_WORDS + (truncated ? 1 : 0);
    }

    /** The number of entries of a backtrace of {@code sizeWords} words. */
    public static int entryCount(int sizeWords) {
        return sizeWords / ENTRY_WORDS;
    }

    /** True if a backtrace of {@code sizeWords} words ends with a mark. */
    public static boolean hasEndMark(int sizeWords) {
        return sizeWords % ENTRY_WORDS == 1;
    }

    /** Field index of the end mark of a backtrace of {@code sizeWords} words. */
    public static int endMarkField(int sizeWords) {
        return sizeWords - 1;
    }

    /** Field index of the first field of entry {@code i}; add an {@code *_OFFSET}. */
    public static int entryField(int i) {
        return i * ENTRY_WORDS;
    }
}
