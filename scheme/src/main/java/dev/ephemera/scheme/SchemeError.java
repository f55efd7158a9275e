package dev.ephemera.scheme;

/**
 * An error that reached the top of a Scheme evaluation: an uncaught {@code raise} or runtime
 * error, a syntax error in a form, or a read error. The message names the procedure and the
 * offending value (runtime errors) or the file, line and column (read errors).
 */
public final class SchemeError extends RuntimeException {
    private final String kind;

    public SchemeError(String kind, String message) {
        super(message);
        this.kind = kind;
    }

    /**
     * The kind of error, as the symbol an error object would carry: {@code error} (from
     * {@code error} or {@code raise}), {@code unbound-variable}, {@code wrong-type},
     * {@code wrong-arity}, {@code bad-index}, {@code overflow}, {@code division-by-zero},
     * {@code syntax-error}, {@code read-error}, {@code heap-exhausted}, {@code internal}.
     */
    public String kind() {
        return kind;
    }
}
