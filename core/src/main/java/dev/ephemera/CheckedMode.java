package dev.ephemera;

/**
 * Checked mode, read once from the system property {@code ephemera.checked} (false by default)
 * into a {@code static final} field so that the JIT removes the checks when it is off.
 *
 * <p>When on: every operation checks that a pointer it is given is the start of a live block of
 * this heap before reading or writing through it — not moved by a minor collection, not freed,
 * not pointing into the middle of a block or at a header-looking word inside one, not past a
 * chunk's end ({@link StalePointerException}, {@link ForgedPointerException}; see
 * {@code dev.ephemera.gc.PointerCheck}) — and the heap verifier runs after every collection.
 *
 * <p>Also only in checked mode: the owner-thread check of the hottest paths ({@code Heap.field},
 * {@code setField}, {@code tag}, {@code size}, the one- and two-field {@code alloc},
 * {@code Handle.get}, {@code Scope.handle}, {@code GlobalRoot.get},
 * {@code RootArea.get}/{@code pop}/{@code setUsed}/{@code ensureCapacity}; see {@link Heap}).
 *
 * <p>Always on, whatever the mode: the closed-heap check of every operation, the owner-thread
 * check of every other one, and the argument checks that guard the heap's own consistency — an
 * immediate where a block is needed, a wrong tag, an index out of range. Without checked mode a
 * stale or made-up pointer that lands inside a mapped chunk is not detected: it reads or
 * overwrites whatever memory it designates. One outside every mapped chunk is still refused
 * when an operation reads or writes through it ({@link StalePointerException},
 * {@link ForgedPointerException}); stored as a value, it is not looked at until a collection
 * traces it, the barrier of a later store or weak read marks it while a cycle marks, or a read
 * cleans an ephemeron keyed by it while a cycle cleans: each raises
 * {@link dev.ephemera.event.HeapCorruptionError} (a failed collection also leaves the heap
 * refusing every later one).
 */
public final class CheckedMode {
    /** True if checked mode is on for this JVM. */
    public static final boolean ON = dev.ephemera.gc.PointerCheck.ENABLED;

    private CheckedMode() {}
}
