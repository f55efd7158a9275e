package dev.ephemera.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The readable form of a run: one line per act executed, operands resolved, indented by the
 * finaliser bodies it ran in, with the events between acts (a finaliser starting, a
 * registration a cycle may have selected). A failing program is reported as its trace.
 */
final class Trace {
    private final List<String> lines = new ArrayList<>();
    private final FinaliserBodies bodies;
    /** The line of the act executing now (at this depth), which {@link #note} replaces. */
    private int currentLine;

    Trace(FinaliserBodies bodies) {
        this.bodies = bodies;
    }

    /** The lines so far (live: a failure reports what had run). */
    List<String> lines() {
        return lines;
    }

    /** Starts the line of an act, until {@link #note} describes it. */
    void act(String text) {
        currentLine = lines.size();
        lines.add(indent() + text);
    }

    /** Replaces the line of the act being executed by a readable description. */
    void note(String text) {
        lines.set(currentLine, indent() + text);
    }

    /** A line for something that happened during the current act. */
    void event(String text) {
        lines.add(indent() + "  " + text);
    }

    private String indent() {
        return "  ".repeat(bodies.depth());
    }

    /** A model value (null, a Long, an Obj, or a list of them) as the trace shows it. */
    static String show(Object m) {
        if (m instanceof List) {
            return ((List<?>) m).stream().map(Trace::show).collect(Collectors.joining(", ", "[", "]"));
        }
        return m == null ? "none" : m.toString();
    }
}
