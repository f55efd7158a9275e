package dev.ephemera.scheme.machine;

import dev.ephemera.object.Value;
import dev.ephemera.scheme.object.SchemeTag;
import dev.ephemera.scheme.read.SourcePos;

/**
 * A procedure call {@code (f a b ...)}. The operator and operands are evaluated left to right;
 * those that need no frame ({@link Node#inline}) go straight onto the stack. The first one that
 * needs the machine makes a frame holding the values so far, and each later return fills the
 * next slot. The call itself is always made in tail position: it pushes no frame.
 *
 * <p>A <i>direct</i> call is {@code ((lambda (x ...) body) a ...)}, what {@code let} compiles to:
 * no closure is made; the lambda is entered with the current environment as parent.
 */
public final class CallNode extends Node {
    private static final int MAX_INLINE_DEPTH = 24;
    /** Operator, then operands. For a direct call, part 0 is the {@link LambdaNode}. */
    private final Node[] parts;
    private final Lambda direct;

    public CallNode(SourcePos pos, Node[] parts) {
        super(pos);
        this.parts = parts;
        this.direct = null;
    }

    public CallNode(SourcePos pos, Lambda direct, Node[] operands) {
        super(pos);
        this.parts = new Node[operands.length + 1];
        this.parts[0] = new LambdaNode(pos, direct);
        System.arraycopy(operands, 0, parts, 1, operands.length);
        this.direct = direct;
    }

    @Override
    public void eval(Machine m) {
        int base = m.st.sp();
        int n = parts.length;
        for (int j = 0; j < n; j++) {
            if (j == 0 && direct != null) {
                m.st.push(m.env());
                continue;
            }
            long v = parts[j].inline(m, 0);
            if (v == Value.NONE) {
                m.pushFrame(this, n);
                for (int i = 0; i < j; i++) {
                    m.setFrameValue(i, m.st.get(base + i));
                }
                m.st.reset(base);
                m.setFrameState(j);
                m.node = parts[j];
                return;
            }
            m.st.push(v);
        }
        finish(m, base);
    }

    @Override
    public void resume(Machine m) {
        int j = m.frameState();
        m.setFrameValue(j, m.val());
        int n = parts.length;
        for (j++; j < n; j++) {
            long v = parts[j].inline(m, 0);
            if (v == Value.NONE) {
                m.setFrameState(j);
                m.node = parts[j];
                return;
            }
            m.setFrameValue(j, v);
        }
        int base = m.st.sp();
        for (int i = 0; i < n; i++) {
            m.st.push(m.frameValue(i));
        }
        m.popFrame();
        finish(m, base);
    }

    @Override
    public SourcePos waitingAt(int state) {
        return state >= 0 && state < parts.length && parts[state].pos != null ? parts[state].pos : pos;
    }

    private void finish(Machine m, int base) {
        m.lastCall = this;
        if (direct != null) {
            m.enter(direct, base, parts.length - 1);
        } else {
            m.apply(base, parts.length - 1);
        }
    }

    /**
     * True if this call can be computed at once with no side effect before it is sure to
     * finish: the operator is a variable or constant whose value is an inlinable primitive, and
     * every operand is simple, a lambda, or such a call.
     */
    private boolean canInline(Machine m, int depth) {
        if (direct != null || depth > MAX_INLINE_DEPTH || !parts[0].isSimple()) {
            return false;
        }
        long f = parts[0].inline(m, depth);
        if (!m.h.is(f, SchemeTag.PRIMITIVE) || !m.primitive(f).inlinable) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            Node p = parts[i];
            if (!(p.isSimple() || p instanceof LambdaNode
                    || (p instanceof CallNode c && c.canInline(m, depth + 1)))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long inline(Machine m, int depth) {
        if (!canInline(m, depth)) {
            return Value.NONE;
        }
        int base = m.st.sp();
        int n = parts.length;
        for (int j = 0; j < n; j++) {
            m.st.push(parts[j].inline(m, depth + 1));
        }
        Primitive p = m.primitive(m.st.get(base));
        int nargs = n - 1;
        m.lastCall = this;
        if (nargs < p.minArgs || (p.maxArgs >= 0 && nargs > p.maxArgs)) {
            throw new ErrorSignal("wrong-arity", p.name + ": wrong number of arguments: expected "
                    + p.arityText() + ", got " + nargs);
        }
        long r = p.body.apply(m, base + 1, nargs);
        m.st.reset(base);
        return r;
    }
}
