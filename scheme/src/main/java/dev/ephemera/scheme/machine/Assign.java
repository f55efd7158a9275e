package dev.ephemera.scheme.machine;

import dev.ephemera.object.Value;
import dev.ephemera.scheme.object.EnvironmentLayout;
import dev.ephemera.scheme.read.SourcePos;

/**
 * {@code define} and {@code set!} of a local (depth &ge; 0) or global (depth -1) variable: evaluates
 * the value, stores it, returns the unspecified value.
 */
public final class Assign extends Node {
    private final int depth;
    private final int index;
    private final String name;
    private final boolean define;
    private final Node value;

    public Assign(SourcePos pos, int depth, int index, String name, boolean define, Node value) {
        super(pos);
        this.depth = depth;
        this.index = index;
        this.name = name;
        this.define = define;
        this.value = value;
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
    public void resume(Machine m) {
        m.popFrame();
        store(m, m.val());
    }

    private void store(Machine m, long v) {
        if (depth < 0) {
            if (!define && m.globals.get(index) == Value.NONE) {
                throw new ErrorSignal("unbound-variable", "set!: unbound variable: " + name);
            }
            m.globals.set(index, v);
        } else {
            m.heap.setField(LocalRef.frame(m, depth), EnvironmentLayout.slotField(index), v);
        }
        m.ret(m.h.unspecified());
    }
}
