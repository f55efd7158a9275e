package dev.ephemera.scheme.compile;

import dev.ephemera.object.Value;
import dev.ephemera.scheme.object.SchemeTag;
import dev.ephemera.scheme.object.VectorLayout;
import dev.ephemera.scheme.read.Datum;
import dev.ephemera.scheme.read.SPair;
import dev.ephemera.scheme.read.Sym;
import dev.ephemera.scheme.runtime.SchemeHeap;
import dev.ephemera.scheme.runtime.Stack;
import java.util.ArrayList;
import java.util.List;

/** Turns a source {@link Datum} into a heap object (for {@code quote} and literals). */
public final class Quoter {
    private final SchemeHeap h;

    public Quoter(SchemeHeap h) {
        this.h = h;
    }

    /** The heap object for {@code d}; raw, valid until the next allocation. */
    public long toHeap(Object d) {
        Stack st = h.stack;
        if (d == Datum.NIL) {
            return h.nil();
        }
        if (d instanceof Long l) {
            return Value.ofInt(l);
        }
        if (d instanceof Double x) {
            return h.flonum(x);
        }
        if (d instanceof Boolean b) {
            return h.bool(b);
        }
        if (d instanceof Datum.SChar c) {
            return h.character(c.codePoint());
        }
        if (d instanceof Datum.SString s) {
            return h.string(s.value());
        }
        if (d instanceof Sym s) {
            return h.symbol(s.name());
        }
        if (d instanceof Datum.SVector v) {
            int base = st.sp();
            for (Object item : v.items()) {
                st.push(toHeap(item));
            }
            int n = v.items().size();
            long vec = h.heap.allocBlock(SchemeTag.VECTOR, VectorLayout.sizeWords(n));
            for (int i = 0; i < n; i++) {
                h.heap.setField(vec, VectorLayout.elementField(i), st.get(base + i));
            }
            st.reset(base);
            return vec;
        }
        if (d instanceof SPair) {
            List<Object> items = new ArrayList<>();
            Object x = d;
            while (x instanceof SPair p) {
                items.add(p.car);
                x = p.cdr;
            }
            int base = st.sp();
            st.push(toHeap(x));
            for (int i = items.size() - 1; i >= 0; i--) {
                long car = toHeap(items.get(i));
                st.set(base, h.cons(car, st.get(base)));
            }
            long r = st.get(base);
            st.reset(base);
            return r;
        }
        throw new IllegalArgumentException("cannot quote " + d);
    }
}
