package dev.ephemera;

/**
 * A handle was used after its scope was closed, or scopes were closed out of order.
 */
public class ScopeClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public ScopeClosedException(String message) {
        super(message);
    }
}
