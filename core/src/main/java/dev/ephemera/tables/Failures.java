package dev.ephemera.tables;

import dev.ephemera.HeapExhaustedException;

/**
 * Errors a table operation raises for the heap operations it calls: reported under the table
 * operation's name ("Ephemeron.K1.replace: heap exhausted ...", not "Heap.alloc: ...").
 */
final class Failures {
    private Failures() {}

    /**
     * {@code e}, raised by a heap operation inside {@code op}, as {@code op}'s: the same text
     * after the operation name, {@code e} as the cause. Left as it is if it already names
     * {@code op} (an inner table operation renamed it).
     */
    static HeapExhaustedException exhausted(Op op, HeapExhaustedException e) {
        String m = String.valueOf(e.getMessage());
        if (m.startsWith(op.name + ":")) {
            return e;
        }
        int colon = m.indexOf(": ");
        return new HeapExhaustedException(op.name + ": " + (colon >= 0 ? m.substring(colon + 2) : m), e);
    }
}
