package dev.ephemera;

/**
 * The heap was used after {@link Heap#close}.
 */
public class HeapClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * A use of a closed heap, reported under {@code message}, which names the operation.
     *
     * @param message the message
     */
    public HeapClosedException(String message) {
        super(message);
    }
}
