package dev.ephemera.scheme.machine;

import dev.ephemera.object.Value;
import dev.ephemera.scheme.object.BacktraceLayout;
import dev.ephemera.scheme.object.EnvironmentLayout;
import dev.ephemera.scheme.object.FrameLayout;
import dev.ephemera.scheme.object.SchemeTag;
import dev.ephemera.scheme.read.SourcePos;
import dev.ephemera.scheme.runtime.Stack;
import java.util.ArrayList;
import java.util.List;

/**
 * A short backtrace: the procedure an error happened in, and the continuation frames waiting
 * for it — each naming the procedure it belongs to and the position of the expression it waits
 * for, as Chez's and Racket's error contexts do. Tail calls leave no frame, so, as there, a
 * procedure that tail-called the failing one does not appear.
 *
 * <p>Each procedure activation is one entry: its innermost frame, which says which call it is
 * waiting for (an activation has several frames when calls nest in its body, as in
 * {@code (+ 1 (f x))}); the frames of the activation the error happened in are left out, since
 * the first line names it. Consecutive identical entries (a deep non-tail recursion) are one
 * entry with a count. At most {@link #MAX_ENTRIES} entries are kept and {@link #MAX_FRAMES}
 * frames walked; beyond, the backtrace ends in "...". An error object keeps its backtrace as a
 * vector of fixnums ({@link BacktraceLayout}: node id, state and count per entry, then a mark
 * if truncated), so it reports where it was made even when raised again elsewhere; node ids
 * index the machine's append-only code table.
 */
public final class Backtrace {
    static final int MAX_ENTRIES = 8;
    static final int MAX_FRAMES = 10_000;

    private final List<Node> nodes = new ArrayList<>();
    private final List<Integer> states = new ArrayList<>();
    private final List<Integer> times = new ArrayList<>();
    /** More entries follow those kept. */
    private boolean truncated;
    /** The walk stopped at {@link #MAX_FRAMES}: the last count is a lower bound. */
    private boolean walkStopped;

    private Backtrace() {}

    /**
     * The frames of the current continuation (the continuation register), seen from the code
     * running in the environment register.
     */
    static Backtrace ofContinuation(Machine m) {
        Backtrace b = new Backtrace();
        long k = m.st.get(Stack.K);
        long activation = activation(m, m.st.get(Stack.ENV));
        for (int walked = 0; Value.isBlock(k); walked++) {
            if (walked == MAX_FRAMES) {
                b.truncated = true;
                b.walkStopped = true;
                break;
            }
            Node n = m.node((int) Value.intOf(m.heap.field(k, FrameLayout.NODE_FIELD)));
            int state = (int) Value.intOf(m.heap.field(k, FrameLayout.STATE_FIELD));
            long frameActivation = activation(m, m.heap.field(k, FrameLayout.ENV_FIELD));
            k = m.heap.field(k, FrameLayout.NEXT_FIELD);
            if (n.pos == null && n.owner == null) {
                continue; // the machine's own frames (handler bookkeeping): not the program's
            }
            if (frameActivation == activation) {
                continue; // an outer frame of an activation already listed
            }
            activation = frameActivation;
            int last = b.nodes.size() - 1;
            if (last >= 0 && b.nodes.get(last) == n && b.states.get(last) == state) {
                b.times.set(last, b.times.get(last) + 1);
                continue;
            }
            if (b.nodes.size() == MAX_ENTRIES) {
                b.truncated = true;
                break;
            }
            b.nodes.add(n);
            b.states.add(state);
            b.times.add(1);
        }
        return b;
    }

    /**
     * The frame of the procedure activation {@code env} belongs to: {@code env}, or the frame its
     * chain of block frames ({@code let}s) leads to — the one linked to a closure (NONE at top
     * level).
     */
    private static long activation(Machine m, long env) {
        while (Value.isBlock(env)) {
            long link = m.heap.field(env, EnvironmentLayout.LINK_FIELD);
            if (!m.h.is(link, SchemeTag.ENVIRONMENT)) {
                return env;
            }
            env = link;
        }
        return env;
    }

    /** The backtrace as a fixnum vector ({@link BacktraceLayout}; raw: valid until the next allocation). */
    long toHeap(Machine m) {
        int n = BacktraceLayout.sizeWords(nodes.size(), truncated);
        long v = m.heap.allocBlock(SchemeTag.VECTOR, n);
        for (int i = 0; i < nodes.size(); i++) {
            int entry = BacktraceLayout.entryField(i);
            m.heap.setField(v, entry + BacktraceLayout.NODE_OFFSET, Value.ofInt(nodes.get(i).id));
            m.heap.setField(v, entry + BacktraceLayout.STATE_OFFSET, Value.ofInt(states.get(i)));
            m.heap.setField(v, entry + BacktraceLayout.COUNT_OFFSET, Value.ofInt(times.get(i)));
        }
        if (truncated) {
            m.heap.setField(v, BacktraceLayout.endMarkField(n),
                    Value.ofInt(walkStopped ? BacktraceLayout.WALK_STOPPED : BacktraceLayout.TRUNCATED));
        }
        return v;
    }

    /** Decodes {@link #toHeap}'s vector. */
    static Backtrace fromHeap(Machine m, long v) {
        Backtrace b = new Backtrace();
        if (!m.h.is(v, SchemeTag.VECTOR)) {
            return b;
        }
        int n = m.heap.size(v);
        for (int i = 0; i < BacktraceLayout.entryCount(n); i++) {
            int entry = BacktraceLayout.entryField(i);
            b.nodes.add(m.node((int) Value.intOf(m.heap.field(v, entry + BacktraceLayout.NODE_OFFSET))));
            b.states.add((int) Value.intOf(m.heap.field(v, entry + BacktraceLayout.STATE_OFFSET)));
            b.times.add((int) Value.intOf(m.heap.field(v, entry + BacktraceLayout.COUNT_OFFSET)));
        }
        b.truncated = BacktraceLayout.hasEndMark(n);
        b.walkStopped = b.truncated
                && Value.intOf(m.heap.field(v, BacktraceLayout.endMarkField(n))) == BacktraceLayout.WALK_STOPPED;
        return b;
    }

    /**
     * The lines to print, innermost first: {@code in f (file:line:col)} for the procedure
     * {@code where} is in (nothing if it is at top level), then one {@code called from} line per
     * entry, then {@code ...} if truncated.
     */
    List<String> lines(Node where) {
        List<String> out = new ArrayList<>();
        if (where != null && where.owner != null) {
            out.add("in " + where.owner.displayName() + at(where.pos));
        }
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            String who = n.owner != null ? n.owner.displayName() : "top level";
            int k = times.get(i);
            boolean lowerBound = walkStopped && i == nodes.size() - 1;
            out.add("called from " + who + at(n.waitingAt(states.get(i)))
                    + (k > 1 ? ", " + (lowerBound ? "at least " : "") + k + " times" : ""));
        }
        if (truncated) {
            out.add("...");
        }
        return out;
    }

    private static String at(SourcePos pos) {
        return pos != null ? " (" + pos + ")" : "";
    }
}
