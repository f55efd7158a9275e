package dev.ephemera.scheme.machine;

import dev.ephemera.object.Value;
import dev.ephemera.scheme.read.SourcePos;

/** {@code (if test then else)}; both branches are in tail position. */
public final class IfNode extends Node {
    private final Node test;
    private final Node then;
    private final Node otherwise;

    public IfNode(SourcePos pos, Node test, Node then, Node otherwise) {
        super(pos);
        this.test = test;
        this.then = then;
        this.otherwise = otherwise;
    }

    @Override
    public void eval(Machine m) {
        long v = test.inline(m, 0);
        if (v == Value.NONE) {
            m.pushFrame(this, 0);
            m.node = test;
            return;
        }
        m.node = m.h.isTrue(v) ? then : otherwise;
    }

    @Override
    public SourcePos waitingAt(int state) {
        return test.pos != null ? test.pos : pos;
    }

    @Override
    public void resume(Machine m) {
        m.popFrame();
        m.node = m.h.isTrue(m.val()) ? then : otherwise;
    }
}
