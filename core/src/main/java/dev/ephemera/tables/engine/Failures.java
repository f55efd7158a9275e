package dev.ephemera.tables.engine;

import dev.ephemera.Heap;
import dev.ephemera.HeapExhaustedException;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;

/**
 * Errors a table operation raises for the heap operations it calls: reported under the table
 * operation's name ("Ephemeron.K1.replace: heap exhausted ...", not "Heap.alloc: ..."); and how
 * its messages show a bad argument.
 */
public final class Failures {
    private Failures() {}

    /**
     * {@code e}, raised by a heap operation inside {@code op}, as {@code op}'s: the same text
     * after the operation name, {@code e} as the cause. Left as it is if it already names
     * {@code op} (an inner table operation renamed it).
     */
    public static HeapExhaustedException exhausted(Op op, HeapExhaustedException e) {
        String m = String.valueOf(e.getMessage());
        if (m.startsWith(op.name + ":")) {
            return e;
        }
        int colon = m.indexOf(": ");
        return new HeapExhaustedException(op.name + ": " + (colon >= 0 ? m.substring(colon + 2) : m), e);
    }

    /** {@code v} for a message: the value, and the tag's name if it is a block. */
    public static String describe(Heap heap, long v) {
        if (!Value.isBlock(v)) {
            return Value.describe(v);
        }
        return Value.describe(v) + " (" + Tag.name(heap.tag(v)) + ")";
    }
}
