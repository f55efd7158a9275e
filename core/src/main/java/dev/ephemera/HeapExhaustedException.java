package dev.ephemera;

/**
 * The heap could not satisfy an allocation within its maximum size even after a full major collection (OCaml's {@code Out_of_memory}). The heap is consistent: drop roots and allocation works again.
 */
public class HeapExhaustedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Exhaustion reported under {@code message}, which names the operation and the size asked for.
     *
     * @param message the message
     */
    public HeapExhaustedException(String message) {
        super(message);
    }

    /**
     * Exhaustion met by {@code cause}, reported under another message (a library's operation name).
     *
     * @param message the message, naming the operation that met the exhaustion
     * @param cause the exhaustion as the heap reported it
     */
    public HeapExhaustedException(String message, Throwable cause) {
        super(message, cause);
    }
}
