package dev.ephemera.fuzz;

/**
 * The heap and the reference model disagree. {@link #kind} names what disagreed (the shrinker
 * keeps a smaller program only if it fails with the same kind).
 */
final class Mismatch extends AssertionError {
    private static final long serialVersionUID = 1L;

    final String kind;

    Mismatch(String kind, String message) {
        super(kind + ": " + message);
        this.kind = kind;
    }
}
