package dev.ephemera.event;

/**
 * The heap verifier found a broken invariant. This is a bug in ephemera (or memory corrupted by
 * a raw pointer used after it became stale with checked mode off), never a client error to
 * recover from.
 */
public final class HeapCorruptionError extends Error {
    private static final long serialVersionUID = 1L;

    /**
     * The verifier's report: {@code message} names the broken invariant and the block or slot where
     * it broke.
     *
     * @param message the message
     */
    public HeapCorruptionError(String message) {
        super(message);
    }
}
