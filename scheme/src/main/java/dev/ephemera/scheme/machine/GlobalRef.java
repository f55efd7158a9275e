package dev.ephemera.scheme.machine;

import dev.ephemera.object.Value;
import dev.ephemera.scheme.read.SourcePos;

/** A reference to a global variable. */
public final class GlobalRef extends Node {
    private final int slot;
    private final String name;

    public GlobalRef(SourcePos pos, int slot, String name) {
        super(pos);
        this.slot = slot;
        this.name = name;
    }

    @Override
    public void eval(Machine m) {
        m.ret(inline(m, 0));
    }

    @Override
    public long inline(Machine m, int depth) {
        long v = m.globals.get(slot);
        if (v == Value.NONE) {
            throw new ErrorSignal("unbound-variable", "unbound variable: " + name, Value.NONE, this);
        }
        return v;
    }

    @Override
    public boolean isSimple() {
        return true;
    }
}
