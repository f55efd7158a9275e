package dev.ephemera.scheme.machine;

import dev.ephemera.scheme.object.SchemeTag;
import dev.ephemera.scheme.read.SourcePos;
import dev.ephemera.scheme.runtime.Stack;

/**
 * {@code (guard (var clause ...) body ...)}. Evaluating it pushes a frame and puts a
 * {@linkplain dev.ephemera.scheme.object.HandlerLayout guard entry} naming that frame on the
 * handler stack. If the body returns, the frame restores the handlers. If something is raised,
 * {@link Machine#raise} makes the frame current again — unwinding every frame above it at once
 * — and calls {@link #handle}, which runs the clauses (compiled as the body of a one-parameter
 * lambda, re-raising when no clause applies) in the guard's environment.
 */
public final class GuardNode extends Node {
    private final Node body;
    private final Lambda handler;

    public GuardNode(SourcePos pos, Node body, Lambda handler) {
        super(pos);
        this.body = body;
        this.handler = handler;
    }

    @Override
    public void eval(Machine m) {
        m.pushFrame(this, 1);
        m.setFrameValue(0, m.st.get(Stack.HANDLERS));
        long entry = m.heap.alloc(SchemeTag.GUARD_HANDLER, m.st.get(Stack.K));
        m.st.set(Stack.HANDLERS, m.h.cons(entry, m.st.get(Stack.HANDLERS)));
        m.node = body;
    }

    @Override
    public void resume(Machine m) {
        m.st.set(Stack.HANDLERS, m.frameValue(0));
        m.popFrame();
        m.node = null;
    }

    /** Called by raise with this guard's frame current and the raised object in the value register. */
    void handle(Machine m) {
        m.st.set(Stack.HANDLERS, m.frameValue(0));
        m.popFrame();
        int base = m.st.sp();
        m.st.push(m.env());
        m.st.push(m.val());
        m.enter(handler, base, 1);
    }
}
