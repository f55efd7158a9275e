package dev.ephemera;

/**
 * A heap was used from a thread that does not own it. A heap has one owner thread at a time; hand it over with {@link Heap#transferTo}.
 */
public class WrongThreadException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * A use from another thread, reported under {@code message}, which names the operation and the
     * threads.
     *
     * @param message the message
     */
    public WrongThreadException(String message) {
        super(message);
    }
}
