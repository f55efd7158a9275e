package dev.ephemera.scheme.primitives;

import dev.ephemera.object.Value;
import dev.ephemera.scheme.machine.Machine;
import dev.ephemera.scheme.machine.Primitive;
import dev.ephemera.scheme.object.SchemeTag;
import dev.ephemera.scheme.object.VectorLayout;
import dev.ephemera.scheme.runtime.SchemeHeap;

/** Vectors: blocks whose fields are the elements ({@link VectorLayout}). */
public final class VectorPrimitives {
    private VectorPrimitives() {}

    /** A vector of the stack slots [from, to). */
    static long fromStack(Machine m, int from, int to) {
        long v = m.heap.allocBlock(SchemeTag.VECTOR, VectorLayout.sizeWords(to - from));
        for (int i = from; i < to; i++) {
            m.heap.setField(v, VectorLayout.elementField(i - from), m.st.get(i));
        }
        return v;
    }

    public static void install(Machine m) {
        SchemeHeap h = m.h;
        m.define(new Primitive("make-vector", 1, 2, (mm, a, n) -> {
            int k = Args.count(mm, "make-vector", a, 0);
            long v = mm.heap.allocBlock(SchemeTag.VECTOR, VectorLayout.sizeWords(k));
            long fill = n == 2 ? mm.arg(a, 1) : h.f();
            for (int i = 0; i < k; i++) {
                mm.heap.setField(v, VectorLayout.elementField(i), fill);
            }
            return v;
        }));
        m.define(new Primitive("vector", 0, -1, (mm, a, n) -> fromStack(mm, a, a + n)));
        m.define(new Primitive("vector-length", 1, 1, (mm, a, n) -> Value.ofInt(mm.heap.size(Args.vector(mm, "vector-length", a, 0)))));
        m.define(new Primitive("vector-ref", 2, 2, (mm, a, n) -> {
            long v = Args.vector(mm, "vector-ref", a, 0);
            int i = Args.index(mm, "vector-ref", a, 1, mm.heap.size(v), "vector", 0);
            return mm.heap.field(v, VectorLayout.elementField(i));
        }));
        m.define(new Primitive("vector-set!", 3, 3, (mm, a, n) -> {
            long v = Args.vector(mm, "vector-set!", a, 0);
            int i = Args.index(mm, "vector-set!", a, 1, mm.heap.size(v), "vector", 0);
            mm.heap.setField(v, VectorLayout.elementField(i), mm.arg(a, 2));
            return h.unspecified();
        }));
        m.define(new Primitive("vector->list", 1, 3, (mm, a, n) -> {
            long v = Args.vector(mm, "vector->list", a, 0);
            int size = mm.heap.size(v);
            int[] range = Args.range(mm, "vector->list", a, n, 1, size, "vector");
            int tail = mm.st.push(h.nil());
            for (int i = range[1] - 1; i >= range[0]; i--) {
                mm.st.set(tail, h.cons(mm.heap.field(mm.arg(a, 0), VectorLayout.elementField(i)), mm.st.get(tail)));
            }
            long r = mm.st.get(tail);
            mm.st.reset(tail);
            return r;
        }));
        Primitive.Body listToVector = (mm, a, n) -> {
            int base = mm.st.sp();
            ListPrimitives.pushElements(mm, "list->vector", mm.arg(a, 0), mm.arg(a, 0));
            long v = fromStack(mm, base, mm.st.sp());
            mm.st.reset(base);
            return v;
        };
        m.define(new Primitive("list->vector", 1, 1, listToVector));
        m.define(new Primitive("%list->vector", 1, 1, listToVector));
        m.define(new Primitive("vector-fill!", 2, 4, (mm, a, n) -> {
            long v = Args.vector(mm, "vector-fill!", a, 0);
            int size = mm.heap.size(v);
            int[] r = Args.range(mm, "vector-fill!", a, n, 2, size, "vector");
            for (int i = r[0]; i < r[1]; i++) {
                mm.heap.setField(v, VectorLayout.elementField(i), mm.arg(a, 1));
            }
            return h.unspecified();
        }));
        m.define(new Primitive("vector-copy", 1, 3, (mm, a, n) -> {
            long v = Args.vector(mm, "vector-copy", a, 0);
            int size = mm.heap.size(v);
            int[] r = Args.range(mm, "vector-copy", a, n, 1, size, "vector");
            int start = r[0];
            int end = r[1];
            long copy = mm.heap.allocBlock(SchemeTag.VECTOR, VectorLayout.sizeWords(end - start));
            for (int i = start; i < end; i++) {
                mm.heap.setField(copy, VectorLayout.elementField(i - start),
                        mm.heap.field(mm.arg(a, 0), VectorLayout.elementField(i)));
            }
            return copy;
        }));
    }
}
