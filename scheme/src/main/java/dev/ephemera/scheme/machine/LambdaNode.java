package dev.ephemera.scheme.machine;

import dev.ephemera.object.Value;
import dev.ephemera.scheme.object.ClosureLayout;
import dev.ephemera.scheme.object.SchemeTag;
import dev.ephemera.scheme.read.SourcePos;

/**
 * A {@code lambda} expression: makes a flat closure of its code and the current values of its
 * free variables (boxes, for the variables that are assigned).
 */
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
        Lambda.Capture[] captures = lambda.captures;
        if (captures.length == 0) {
            return m.heap.alloc(SchemeTag.CLOSURE, Value.ofInt(lambda.id));
        }
        if (captures.length == 1) {
            return m.heap.alloc(SchemeTag.CLOSURE, Value.ofInt(lambda.id), captures[0].read(m));
        }
        // The sources are read after the allocation: the environment register is a root, so
        // the frames they are in may have moved, but are still reachable from it.
        long c = m.heap.allocBlock(SchemeTag.CLOSURE, ClosureLayout.sizeWords(captures.length));
        m.heap.setField(c, ClosureLayout.CODE_FIELD, Value.ofInt(lambda.id));
        for (int i = 0; i < captures.length; i++) {
            m.heap.setField(c, ClosureLayout.freeField(i), captures[i].read(m));
        }
        return c;
    }
}
