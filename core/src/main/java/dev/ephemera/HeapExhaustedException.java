package dev.ephemera;

/**
 * The heap could not satisfy an allocation within its maximum size even after a full major collection (OCaml's {@code Out_of_memory}). The heap is consistent: drop roots and allocation works again.
 */
public class HeapExhaustedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HeapExhaustedException(String message) {
        super(message);
    }

    /** Exhaustion met by {@code cause}, reported under another message (a library's operation name). */
    public HeapExhaustedException(String message, Throwable cause) {
        super(message, cause);
    }
}
