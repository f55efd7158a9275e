package dev.ephemera;

/**
 * Checked mode: a raw pointer was used after the block it pointed to was moved by a minor collection or a compaction, or freed by a major one. Raw pointers are valid only until the next allocation; keep values in roots.
 */
public class StalePointerException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * A stale pointer reported under {@code message}, which names the operation and the value.
     *
     * @param message the message
     */
    public StalePointerException(String message) {
        super(message);
    }
}
