package dev.ephemera.scheme.machine;

import dev.ephemera.scheme.read.SourcePos;

/** A constant: a quoted datum or self-evaluating literal, held in {@link Literals}. */
public final class ConstNode extends Node {
    private final int index;

    public ConstNode(SourcePos pos, int index) {
        super(pos);
        this.index = index;
    }

    @Override
    public void eval(Machine m) {
        m.ret(m.literals.get(index));
    }

    @Override
    public long inline(Machine m, int depth) {
        return m.literals.get(index);
    }

    @Override
    public boolean isSimple() {
        return true;
    }
}
