package dev.ephemera.event;

/**
 * The heap verifier found a broken invariant, or a collection (or the marking a store or a weak
 * read does while a cycle marks) met a pointer it cannot follow. This is a bug in ephemera (or
 * memory corrupted by a raw pointer used after it became stale, or made up, with checked mode
 * off), never a client error to recover from. Once a collection failed this way, or the verifier
 * found the heap corrupt, the heap refuses every later collection with this error.
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

    /**
     * A collection failed on the heap's contents: {@code message} says which collection and
     * what it met, {@code cause} is the JVM's exception from the collector's code.
     *
     * @param message the message
     * @param cause the exception the collection raised
     */
    public HeapCorruptionError(String message, Throwable cause) {
        super(message, cause);
    }
}
