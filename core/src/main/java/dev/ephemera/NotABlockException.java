package dev.ephemera;

/**
 * An operation that needs a block was given an immediate integer or {@code NONE}. The message names the operation and the value.
 */
public class NotABlockException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public NotABlockException(String message) {
        super(message);
    }
}
