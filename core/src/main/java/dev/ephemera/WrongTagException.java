package dev.ephemera;

/**
 * An operation was given a block of the wrong kind (tag): a string where an ephemeron was needed, a raw block where a scanned one was. The message names the operation, the expected and the actual tag.
 */
public class WrongTagException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public WrongTagException(String message) {
        super(message);
    }
}
