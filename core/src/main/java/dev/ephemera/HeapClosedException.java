package dev.ephemera;

/**
 * The heap was used after {@link Heap#close}.
 */
public class HeapClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public HeapClosedException(String message) {
        super(message);
    }
}
