package dev.ephemera;

/**
 * An operation that needs a block was given an immediate integer or {@code NONE}. The message names the operation and the value.
 */
public class NotABlockException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * A non-block reported under {@code message}, which names the operation, the argument and the
     * value.
     *
     * @param message the message
     */
    public NotABlockException(String message) {
        super(message);
    }
}
