package dev.ephemera.scheme.machine;

import dev.ephemera.object.Value;
import dev.ephemera.scheme.object.EnvironmentLayout;
import dev.ephemera.scheme.read.SourcePos;

/** A reference to a local variable by lexical address: {@code depth} parents up, slot {@code index}. */
public final class LocalRef extends Node {
    private final int depth;
    private final int index;
    private final String name;
    /** The variable is a letrec/internal definition that may be read before it is assigned. */
    private final boolean checked;

    public LocalRef(SourcePos pos, int depth, int index, String name, boolean checked) {
        super(pos);
        this.depth = depth;
        this.index = index;
        this.name = name;
        this.checked = checked;
    }

    /** The environment {@code depth} levels up from the current one. */
    static long frame(Machine m, int depth) {
        long e = m.env();
        for (int d = 0; d < depth; d++) {
            e = m.heap.field(e, EnvironmentLayout.PARENT_FIELD);
        }
        return e;
    }

    @Override
    public void eval(Machine m) {
        m.ret(inline(m, 0));
    }

    @Override
    public long inline(Machine m, int d) {
        long v = m.heap.field(frame(m, depth), EnvironmentLayout.slotField(index));
        if (checked && v == m.h.unassigned()) {
            throw new ErrorSignal("unbound-variable", name + ": variable used before its definition", Value.NONE);
        }
        return v;
    }

    @Override
    public boolean isSimple() {
        return true;
    }
}
