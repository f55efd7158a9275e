package dev.ephemera;

/**
 * Checked mode, read once from the system property {@code ephemera.checked} (false by default)
 * into a {@code static final} field so that the JIT removes the checks when it is off.
 *
 * <p>When on: every accessor checks that a pointer is not stale (its block was moved by a minor
 * collection or freed by a major one) and that the heap is used by its owner thread and is not
 * closed; the heap verifier runs after every collection. The argument checks that guard the
 * heap's own consistency — immediate where a block is needed, wrong tag, index out of range —
 * are always on.
 */
public final class CheckedMode {
    /** True if checked mode is on for this JVM. */
    public static final boolean ON = dev.ephemera.gc.PointerCheck.ENABLED;

    private CheckedMode() {}
}
