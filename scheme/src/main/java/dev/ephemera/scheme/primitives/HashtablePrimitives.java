package dev.ephemera.scheme.primitives;

import dev.ephemera.object.Value;
import dev.ephemera.scheme.machine.ErrorSignal;
import dev.ephemera.scheme.machine.Machine;
import dev.ephemera.scheme.machine.Primitive;
import dev.ephemera.scheme.object.HashtableLayout;
import dev.ephemera.scheme.object.SchemeTag;
import dev.ephemera.scheme.runtime.Equality;
import dev.ephemera.scheme.runtime.SchemeHeap;

/**
 * The SRFI 126 hashtable procedures over {@link Hashtables}. Every constructor takes an optional
 * capacity and an optional weakness: {@code #f}, {@code weak-key}, {@code weak-value},
 * {@code weak-key-and-value}, {@code ephemeral-key}, {@code ephemeral-value} or
 * {@code ephemeral-key-and-value}.
 */
public final class HashtablePrimitives {
    private HashtablePrimitives() {}

    private static int weakness(Machine m, String proc, int a, int i, int n) {
        if (i >= n || m.arg(a, i) == m.h.f()) {
            return Hashtables.STRONG;
        }
        long v = m.arg(a, i);
        if (m.h.isSymbol(v)) {
            String name = m.h.symbolName(v);
            for (int w = 1; w < Hashtables.WEAKNESS.length; w++) {
                if (Hashtables.WEAKNESS[w].equals(name)) {
                    return w;
                }
            }
        }
        throw Args.wrongType(m, proc, "a weakness (#f, weak-key, weak-value, weak-key-and-value, ephemeral-key,"
                + " ephemeral-value or ephemeral-key-and-value)", v);
    }

    private static int capacity(Machine m, String proc, int a, int i, int n) {
        if (i >= n || m.arg(a, i) == m.h.f()) {
            return 32;
        }
        return Args.count(m, proc, a, i);
    }

    private static Primitive maker(Hashtables t, String name, int kind) {
        return new Primitive(name, 0, 2, (m, a, n) ->
                t.make(kind, weakness(m, name, a, 1, n), capacity(m, name, a, 0, n), -1, -1));
    }

    private static long table(Machine m, String proc, int a) {
        return Args.of(m, proc, a, 0, SchemeTag.HASHTABLE, "a hashtable");
    }

    public static void install(Machine m, Equality eq) {
        SchemeHeap h = m.h;
        Hashtables t = new Hashtables(m, eq);
        m.define(maker(t, "make-eq-hashtable", Hashtables.EQ));
        m.define(maker(t, "make-eqv-hashtable", Hashtables.EQV));
        m.define(maker(t, "make-equal-hashtable", Hashtables.EQUAL));
        m.define(maker(t, "make-string-hashtable", Hashtables.STRING));
        m.define(new Primitive("make-hashtable", 2, 4, (mm, a, n) -> {
            Args.procedure(mm, "make-hashtable", a, 0);
            Args.procedure(mm, "make-hashtable", a, 1);
            return t.make(Hashtables.CUSTOM, weakness(mm, "make-hashtable", a, 3, n),
                    capacity(mm, "make-hashtable", a, 2, n), a, a + 1);
        }));
        m.define(new Primitive("hashtable?", 1, 1, (mm, a, n) -> h.bool(h.is(mm.arg(a, 0), SchemeTag.HASHTABLE))));
        m.define(new Primitive("hashtable-ref", 2, 3, false, (mm, a, n) -> {
            table(mm, "hashtable-ref", a);
            int hash = t.hash(a, a + 1, "hashtable-ref");
            long e = t.find(a, a + 1, hash, -1);
            if (e == Value.NONE) {
                if (n < 3) {
                    throw new ErrorSignal("bad-index", "hashtable-ref: no entry for key " + mm.printer.write(mm.arg(a, 1))
                            + " and no default given", mm.arg(a, 1));
                }
                return mm.arg(a, 2);
            }
            return t.value(mm.arg(a, 0), e);
        }));
        m.define(new Primitive("hashtable-set!", 3, 3, false, (mm, a, n) -> {
            table(mm, "hashtable-set!", a);
            t.set(a, a + 1, a + 2, "hashtable-set!");
            return h.unspecified();
        }));
        m.define(new Primitive("hashtable-delete!", 2, 2, false, (mm, a, n) -> {
            table(mm, "hashtable-delete!", a);
            t.delete(a, a + 1, "hashtable-delete!");
            return h.unspecified();
        }));
        m.define(new Primitive("hashtable-contains?", 2, 2, false, (mm, a, n) -> {
            table(mm, "hashtable-contains?", a);
            int hash = t.hash(a, a + 1, "hashtable-contains?");
            return h.bool(t.find(a, a + 1, hash, -1) != Value.NONE);
        }));
        m.define(new Primitive("hashtable-size", 1, 1, (mm, a, n) -> {
            table(mm, "hashtable-size", a);
            return Value.ofInt(t.size(a));
        }));
        m.define(new Primitive("hashtable-keys", 1, 1, (mm, a, n) -> {
            table(mm, "hashtable-keys", a);
            int base = mm.st.sp();
            t.pushContents(a, 0);
            long v = VectorPrimitives.fromStack(mm, base, mm.st.sp());
            mm.st.reset(base);
            return v;
        }));
        m.define(new Primitive("hashtable-values", 1, 1, (mm, a, n) -> {
            table(mm, "hashtable-values", a);
            int base = mm.st.sp();
            t.pushContents(a, 1);
            long v = VectorPrimitives.fromStack(mm, base, mm.st.sp());
            mm.st.reset(base);
            return v;
        }));
        m.define(new Primitive("hashtable-entries", 1, 1, (mm, a, n) -> {
            table(mm, "hashtable-entries", a);
            int base = mm.st.sp();
            int count = t.pushContents(a, 0);
            long keys = VectorPrimitives.fromStack(mm, base, base + count);
            mm.st.reset(base);
            mm.st.push(keys);
            int vbase = mm.st.sp();
            t.pushContents(a, 1);
            long values = VectorPrimitives.fromStack(mm, vbase, mm.st.sp());
            mm.st.reset(vbase);
            long r = h.cons(mm.st.get(base), values);
            mm.st.reset(base);
            return r;
        }));
        m.define(new Primitive("hashtable->alist", 1, 1, (mm, a, n) -> {
            table(mm, "hashtable->alist", a);
            int base = mm.st.sp();
            int count = t.pushContents(a, 2);
            for (int i = 0; i < count; i++) {
                long p = h.cons(mm.st.get(base + 2 * i), mm.st.get(base + 2 * i + 1));
                mm.st.set(base + i, p);
            }
            long r = h.listFromStack(base, base + count);
            mm.st.reset(base);
            return r;
        }));
        m.define(new Primitive("hashtable-clear!", 1, 2, (mm, a, n) -> {
            table(mm, "hashtable-clear!", a);
            t.clear(a, capacity(mm, "hashtable-clear!", a, 1, n));
            return h.unspecified();
        }));
        m.define(new Primitive("hashtable-copy", 1, 2, false, (mm, a, n) -> {
            long src = table(mm, "hashtable-copy", a);
            int kind = Hashtables.intField(mm.heap, src, HashtableLayout.KIND_FIELD);
            int w = t.weakness(src);
            int hashSlot = mm.st.push(mm.heap.field(src, HashtableLayout.HASH_FIELD));
            int equivSlot = mm.st.push(mm.heap.field(mm.arg(a, 0), HashtableLayout.EQUIV_FIELD));
            int copy = mm.st.push(t.make(kind, w, t.size(a), hashSlot, equivSlot));
            int base = mm.st.sp();
            int count = t.pushContents(a, 2);
            for (int i = 0; i < count; i++) {
                t.set(copy, base + 2 * i, base + 2 * i + 1, "hashtable-copy");
            }
            long r = mm.st.get(copy);
            mm.st.reset(hashSlot);
            return r;
        }));
        m.define(new Primitive("hashtable-weakness", 1, 1, (mm, a, n) -> {
            int w = t.weakness(table(mm, "hashtable-weakness", a));
            return w == Hashtables.STRONG ? h.f() : h.symbol(Hashtables.WEAKNESS[w]);
        }));
        m.define(new Primitive("equal-hash", 1, 1, (mm, a, n) -> Value.ofInt(t.equalHash(mm.arg(a, 0)))));
        m.define(new Primitive("string-hash", 1, 1, (mm, a, n) -> {
            Args.string(mm, "string-hash", a, 0);
            return Value.ofInt(t.stringHash(mm.arg(a, 0)));
        }));
        m.define(new Primitive("eq-hash", 1, 1, (mm, a, n) -> Value.ofInt(t.eqHash(mm.arg(a, 0)))));
        m.define(new Primitive("eqv-hash", 1, 1, (mm, a, n) -> Value.ofInt(t.eqvHash(mm.arg(a, 0)))));
    }
}
