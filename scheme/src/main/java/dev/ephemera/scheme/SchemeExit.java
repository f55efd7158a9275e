package dev.ephemera.scheme;

/** Thrown by {@code (exit)}: unwinds every evaluation to the host, which exits with {@link #status()}. */
public final class SchemeExit extends RuntimeException {
    private final int status;

    public SchemeExit(int status) {
        super("exit " + status, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
