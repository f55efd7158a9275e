package dev.ephemera.scheme.machine;

import dev.ephemera.object.Value;
import dev.ephemera.scheme.object.BoxLayout;
import dev.ephemera.scheme.object.ClosureLayout;
import dev.ephemera.scheme.object.EnvironmentLayout;
import dev.ephemera.scheme.read.SourcePos;

/**
 * {@code define} and {@code set!}: evaluates the value, stores it, returns the unspecified value.
 * The variable is a global, a slot of a frame of the current activation ({@code depth} links
 * out), or a free variable of the current closure — which is then always boxed, since a closure
 * holds a copy of an unboxed variable.
 */
public final class Assign extends Node implements Boxable {
    /** Where the variable lives. */
    public enum Target { GLOBAL, LOCAL, FREE }

    private final Target target;
    private final int depth;
    private final int index;
    private final String name;
    private final boolean define;
    private final Node value;
    private boolean boxed;

    public Assign(SourcePos pos, Target target, int depth, int index, String name, boolean define, Node value) {
        super(pos);
        this.target = target;
        this.depth = depth;
        this.index = index;
        this.name = name;
        this.define = define;
        this.value = value;
    }

    @Override
    public void useBox() {
        boxed = true;
    }

    @Override
    public void eval(Machine m) {
        long v = value.inline(m, 0);
        if (v == Value.NONE) {
            m.pushFrame(this, 0);
            m.node = value;
            return;
        }
        store(m, v);
    }

    @Override
    public SourcePos waitingAt(int state) {
        return value.pos != null ? value.pos : pos;
    }

    @Override
    public void resume(Machine m) {
        m.popFrame();
        store(m, m.val());
    }

    private void store(Machine m, long v) {
        switch (target) {
            case GLOBAL:
                if (!define && m.globals.get(index) == Value.NONE) {
                    throw new ErrorSignal("unbound-variable", "set!: unbound variable: " + name, Value.NONE, this);
                }
                m.globals.set(index, v);
                break;
            case LOCAL: {
                long frame = LocalRef.frame(m, depth);
                if (boxed) {
                    m.heap.setField(m.heap.field(frame, EnvironmentLayout.slotField(index)), BoxLayout.VALUE_FIELD, v);
                } else {
                    m.heap.setField(frame, EnvironmentLayout.slotField(index), v);
                }
                break;
            }
            default: {
                if (!boxed) {
                    throw new IllegalStateException("assignment to the unboxed free variable " + name);
                }
                long box = m.heap.field(FreeRef.closure(m, depth), ClosureLayout.freeField(index));
                m.heap.setField(box, BoxLayout.VALUE_FIELD, v);
            }
        }
        m.ret(m.h.unspecified());
    }
}
