package dev.ephemera.scheme.machine;

import dev.ephemera.scheme.read.SourcePos;

/**
 * A procedure's reference to itself by the name it was defined with
 * ({@code (define (loop ...) ... (loop ...))}, named {@code let}): the closure being run. The
 * compiler uses it when that name is never assigned with {@code set!}, so within the body it
 * always denotes the running closure; the closure then needs no free variable for itself, and no
 * box — which keeps loops as cheap as before closures became flat.
 */
public final class SelfRef extends Node {
    private final int depth;

    public SelfRef(SourcePos pos, int depth) {
        super(pos);
        this.depth = depth;
    }

    @Override
    public void eval(Machine m) {
        m.ret(inline(m, 0));
    }

    @Override
    public long inline(Machine m, int d) {
        return FreeRef.closure(m, depth);
    }

    @Override
    public boolean isSimple() {
        return true;
    }
}
