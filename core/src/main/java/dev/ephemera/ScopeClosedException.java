package dev.ephemera;

/**
 * A handle was used after its scope was closed, or scopes were closed out of order.
 */
public class ScopeClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * A use of a closed scope or of one of its handles, reported under {@code message}, which names
     * the operation.
     *
     * @param message the message
     */
    public ScopeClosedException(String message) {
        super(message);
    }
}
