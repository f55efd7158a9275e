package dev.ephemera;

/**
 * An operation was given a block of the wrong kind (tag): a string where an ephemeron was needed, a raw block where a scanned one was. The message names the operation, the expected and the actual tag.
 */
public class WrongTagException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * A wrong tag reported under {@code message}, which names the operation, the tag expected and
     * the tag found.
     *
     * @param message the message
     */
    public WrongTagException(String message) {
        super(message);
    }
}
