package dev.ephemera.scheme.machine;

import dev.ephemera.object.Value;
import dev.ephemera.scheme.read.SourcePos;

/**
 * A sequence ({@code begin}, a body), and also {@code and}/{@code or}: evaluates its parts in
 * order; the last is in tail position. For {@code and} ({@code or}) a false (true) value
 * stops the sequence and is the result.
 */
public final class SeqNode extends Node {
    /** What the sequence is. */
    public enum Kind { BEGIN, AND, OR }

    private final Node[] parts;
    private final Kind kind;

    public SeqNode(SourcePos pos, Node[] parts, Kind kind) {
        super(pos);
        this.parts = parts;
        this.kind = kind;
    }

    @Override
    public void eval(Machine m) {
        from(m, 0, false);
    }

    @Override
    public void resume(Machine m) {
        int i = m.frameState();
        if (stops(m, m.val())) {
            m.popFrame();
            m.node = null;
            return;
        }
        from(m, i + 1, true);
    }

    @Override
    public SourcePos waitingAt(int state) {
        return state >= 0 && state < parts.length && parts[state].pos != null ? parts[state].pos : pos;
    }

    private boolean stops(Machine m, long v) {
        switch (kind) {
            case AND: return !m.h.isTrue(v);
            case OR: return m.h.isTrue(v);
            default: return false;
        }
    }

    /** Continues at part {@code i}; {@code framed} says whether our frame is on top. */
    private void from(Machine m, int i, boolean framed) {
        int last = parts.length - 1;
        for (; i < last; i++) {
            long v = parts[i].inline(m, 0);
            if (v == Value.NONE) {
                if (!framed) {
                    m.pushFrame(this, 0);
                }
                m.setFrameState(i);
                m.node = parts[i];
                return;
            }
            if (stops(m, v)) {
                if (framed) {
                    m.popFrame();
                }
                m.ret(v);
                return;
            }
        }
        if (framed) {
            m.popFrame();
        }
        m.node = parts[last];
    }
}
