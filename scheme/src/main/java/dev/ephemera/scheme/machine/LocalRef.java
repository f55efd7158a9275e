package dev.ephemera.scheme.machine;

import dev.ephemera.object.Value;
import dev.ephemera.scheme.object.BoxLayout;
import dev.ephemera.scheme.object.EnvironmentLayout;
import dev.ephemera.scheme.read.SourcePos;

/**
 * A reference to a variable of the current procedure activation: slot {@code index} of the
 * frame {@code depth} links out from the environment register (0 for the innermost block).
 */
public final class LocalRef extends Node implements Boxable {
    private final int depth;
    private final int index;
    private final String name;
    /** The variable is a letrec/internal definition that may be read before it is assigned. */
    private final boolean checked;
    private boolean boxed;

    public LocalRef(SourcePos pos, int depth, int index, String name, boolean checked) {
        super(pos);
        this.depth = depth;
        this.index = index;
        this.name = name;
        this.checked = checked;
    }

    @Override
    public void useBox() {
        boxed = true;
    }

    /** The frame {@code depth} links out from the current one (all within one activation). */
    static long frame(Machine m, int depth) {
        long e = m.env();
        for (int d = 0; d < depth; d++) {
            e = m.heap.field(e, EnvironmentLayout.LINK_FIELD);
        }
        return e;
    }

    /** Checks that a letrec variable has been assigned; returns its value. */
    static long checkAssigned(Machine m, long v, String name, Node where) {
        if (v == m.h.unassigned()) {
            throw new ErrorSignal("unbound-variable", name + ": variable used before its definition", Value.NONE, where);
        }
        return v;
    }

    @Override
    public void eval(Machine m) {
        m.ret(inline(m, 0));
    }

    @Override
    public long inline(Machine m, int d) {
        long v = m.heap.field(frame(m, depth), EnvironmentLayout.slotField(index));
        if (boxed) {
            v = m.heap.field(v, BoxLayout.VALUE_FIELD);
        }
        return checked ? checkAssigned(m, v, name, this) : v;
    }

    @Override
    public boolean isSimple() {
        return true;
    }
}
