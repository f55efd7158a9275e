package dev.ephemera.scheme;

import dev.ephemera.scheme.read.SourcePos;
import java.util.List;

/**
 * An error that reached the top of a Scheme evaluation: an uncaught {@code raise} or runtime
 * error, a syntax error in a form, or a read error. The message names the procedure and the
 * offending value (runtime errors) or the file, line and column (read and syntax errors).
 *
 * <p>A runtime error also knows where it happened: the {@linkplain #position() position} of the
 * failing call, and a short {@linkplain #backtrace() backtrace} of the procedures that were
 * waiting for it. {@link #getMessage()} is the position followed by the description, as for
 * read errors ({@code prog.scm:3:12: car: expected a pair, got 5}); {@link #report()} adds the
 * backtrace, one line each.
 */
public final class SchemeError extends RuntimeException {
    private final String kind;
    private final String description;
    private final SourcePos position;
    private final List<String> backtrace;

    /** An error whose message says everything (read and syntax errors, host-side failures). */
    public SchemeError(String kind, String message) {
        this(kind, message, null, List.of());
    }

    /** A runtime error: what went wrong, where (or null), and the backtrace lines, innermost first. */
    public SchemeError(String kind, String description, SourcePos position, List<String> backtrace) {
        super(position != null ? position + ": " + description : description);
        this.kind = kind;
        this.description = description;
        this.position = position;
        this.backtrace = List.copyOf(backtrace);
    }

    /**
     * The kind of error, as the symbol an error object would carry: {@code error} (from
     * {@code error} or {@code raise}), {@code unbound-variable}, {@code wrong-type},
     * {@code wrong-arity}, {@code bad-index}, {@code overflow}, {@code division-by-zero},
     * {@code syntax-error}, {@code read-error}, {@code file-error}, {@code heap-exhausted},
     * {@code internal}.
     */
    public String kind() {
        return kind;
    }

    /** The message without the position: {@code car: expected a pair, got 5}. */
    public String description() {
        return description;
    }

    /** The source position of the failing call, or null if unknown (or given in the message). */
    public SourcePos position() {
        return position;
    }

    /**
     * The backtrace, innermost first: {@code in f (prog.scm:3:12)} for the procedure the error
     * happened in (absent at top level), then {@code called from g (prog.scm:7:5)} for each
     * procedure waiting for a value ({@code , 9999 times} for a run of identical frames), and
     * {@code ...} if it was cut short. Tail calls leave no trace, as in Chez and Racket.
     */
    public List<String> backtrace() {
        return backtrace;
    }

    /** The message, then the backtrace lines indented by two spaces: what {@code run} prints. */
    public String report() {
        StringBuilder sb = new StringBuilder(getMessage());
        for (String line : backtrace) {
            sb.append("\n  ").append(line);
        }
        return sb.toString();
    }
}
