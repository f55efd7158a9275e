package dev.ephemera.scheme.machine;

import dev.ephemera.scheme.object.BoxLayout;
import dev.ephemera.scheme.object.ClosureLayout;
import dev.ephemera.scheme.object.EnvironmentLayout;
import dev.ephemera.scheme.read.SourcePos;

/**
 * A reference to a free variable of the current procedure: field {@code index} of the closure
 * being run, which is the link of the procedure's frame ({@code depth} links out).
 */
public final class FreeRef extends Node implements Boxable {
    private final int depth;
    private final int index;
    private final String name;
    private final boolean checked;
    private boolean boxed;

    public FreeRef(SourcePos pos, int depth, int index, String name, boolean checked) {
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

    /** The closure of the current procedure activation. */
    static long closure(Machine m, int depth) {
        return m.heap.field(LocalRef.frame(m, depth), EnvironmentLayout.LINK_FIELD);
    }

    @Override
    public void eval(Machine m) {
        m.ret(inline(m, 0));
    }

    @Override
    public long inline(Machine m, int d) {
        long v = m.heap.field(closure(m, depth), ClosureLayout.freeField(index));
        if (boxed) {
            v = m.heap.field(v, BoxLayout.VALUE_FIELD);
        }
        return checked ? LocalRef.checkAssigned(m, v, name, this) : v;
    }

    @Override
    public boolean isSimple() {
        return true;
    }
}
