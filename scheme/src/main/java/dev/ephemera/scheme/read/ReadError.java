package dev.ephemera.scheme.read;

/**
 * A syntax error in the text being read, with its file, line and column. {@link #incomplete()}
 * is true when the text ended inside a datum (the REPL then reads another line).
 */
public final class ReadError extends RuntimeException {
    private final boolean incomplete;

    public ReadError(SourcePos pos, String message, boolean incomplete) {
        super(pos + ": read error: " + message);
        this.incomplete = incomplete;
    }

    public boolean incomplete() {
        return incomplete;
    }
}
