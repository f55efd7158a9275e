package dev.ephemera.scheme;

import java.util.List;

/**
 * Thrown when an evaluation stops because {@link Scheme#interrupt()} was called (Ctrl-C): the
 * machine checks for a request at every procedure call, which includes every loop iteration.
 * It is not a Scheme error — {@code guard} does not see it, as Chez's keyboard interrupt and
 * OCaml's {@code Sys.Break} in the toplevel are not ordinary errors — and it unwinds the whole
 * evaluation. The interpreter, its globals and its heap are intact afterwards.
 */
public final class SchemeInterrupt extends RuntimeException {
    private final List<String> backtrace;

    /** An interrupt at the place the {@code backtrace} describes (see {@link SchemeError#backtrace()}). */
    public SchemeInterrupt(List<String> backtrace) {
        super("interrupted", null, false, false);
        this.backtrace = List.copyOf(backtrace);
    }

    /** Where the evaluation was when it stopped, innermost first. */
    public List<String> backtrace() {
        return backtrace;
    }

    /** {@code interrupted}, then the backtrace lines indented by two spaces. */
    public String report() {
        StringBuilder sb = new StringBuilder(getMessage());
        for (String line : backtrace) {
            sb.append("\n  ").append(line);
        }
        return sb.toString();
    }
}
