package dev.ephemera.scheme.machine;

import dev.ephemera.object.Value;
import dev.ephemera.scheme.object.SchemeTag;
import dev.ephemera.scheme.read.SourcePos;

/** A {@code lambda} expression: makes a closure of its code and the current environment. */
public final class LambdaNode extends Node {
    public final Lambda lambda;

    public LambdaNode(SourcePos pos, Lambda lambda) {
        super(pos);
        this.lambda = lambda;
    }

    @Override
    public void eval(Machine m) {
        m.ret(inline(m, 0));
    }

    @Override
    public long inline(Machine m, int depth) {
        return m.heap.alloc(SchemeTag.CLOSURE, Value.ofInt(lambda.id), m.env());
    }
}
