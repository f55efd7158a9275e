package dev.ephemera.scheme.primitives;

import dev.ephemera.object.Value;
import dev.ephemera.scheme.machine.Machine;
import dev.ephemera.scheme.machine.Primitive;
import dev.ephemera.scheme.object.PairLayout;
import dev.ephemera.scheme.runtime.Equality;
import dev.ephemera.scheme.runtime.SchemeHeap;

/**
 * Pairs, lists, the type predicates and equivalence. Procedures that build lists push the
 * elements on the stack (rooted) and cons from the end; none holds a raw pointer across an
 * allocation.
 */
public final class ListPrimitives {
    private ListPrimitives() {}

    private interface Test {
        boolean test(Machine m, long v);
    }

    private static Primitive predicate(String name, Test t) {
        return new Primitive(name, 1, 1, (m, a, n) -> m.h.bool(t.test(m, m.arg(a, 0))));
    }

    /** The c[ad]+r accessor for {@code path}, applied right to left (cadr = car of cdr). */
    private static Primitive cxr(String name, String path) {
        return new Primitive(name, 1, 1, (m, a, n) -> {
            long v = m.arg(a, 0);
            for (int i = path.length() - 1; i >= 0; i--) {
                if (!m.h.isPair(v)) {
                    throw Args.wrongType(m, name, "a pair"
                            + (i < path.length() - 1 ? " at the " + (path.length() - 1 - i) + ". step" : ""), m.arg(a, 0));
                }
                v = path.charAt(i) == 'a' ? m.h.car(v) : m.h.cdr(v);
            }
            return v;
        });
    }

    private interface Match {
        boolean match(Equality eq, long a, long b);
    }

    private static Primitive member(String name, Match match, Equality eq) {
        return new Primitive(name, 2, 2, (m, a, n) -> {
            long x = m.arg(a, 0);
            long l = m.arg(a, 1);
            while (m.h.isPair(l)) {
                if (match.match(eq, x, m.h.car(l))) {
                    return l;
                }
                l = m.h.cdr(l);
            }
            if (l != m.h.nil()) {
                throw Args.wrongType(m, name, "a proper list", m.arg(a, 1));
            }
            return m.h.f();
        });
    }

    private static Primitive assoc(String name, Match match, Equality eq) {
        return new Primitive(name, 2, 2, (m, a, n) -> {
            long x = m.arg(a, 0);
            long l = m.arg(a, 1);
            while (m.h.isPair(l)) {
                long entry = m.h.car(l);
                if (!m.h.isPair(entry)) {
                    throw Args.wrongType(m, name, "an association list (a list of pairs)", m.arg(a, 1));
                }
                if (match.match(eq, x, m.h.car(entry))) {
                    return entry;
                }
                l = m.h.cdr(l);
            }
            if (l != m.h.nil()) {
                throw Args.wrongType(m, name, "a proper list", m.arg(a, 1));
            }
            return m.h.f();
        });
    }

    /** Pushes the elements of the proper list at stack slot {@code listSlot}; returns how many. */
    static int pushElements(Machine m, String proc, long list, long original) {
        int count = 0;
        while (m.h.isPair(list)) {
            m.st.push(m.h.car(list));
            list = m.h.cdr(list);
            count++;
        }
        if (list != m.h.nil()) {
            throw Args.wrongType(m, proc, "a proper list", original);
        }
        return count;
    }

    /**
     * The list at argument 0 after {@code k} cdrs. If it has fewer than {@code k} pairs, a
     * {@code bad-index} error whose range is the valid indices: [0, pairs + {@code extra}) —
     * {@code list-tail} may take every pair ({@code extra} 1), {@code list-ref} one fewer. A
     * circular list has no end: past the point where its cycle is found, the remaining steps are
     * taken modulo the cycle's length, so even a huge {@code k} is answered at once.
     */
    static long drop(Machine m, String proc, int a, long k, int extra) {
        long l = m.arg(a, 0);
        long slow = l;
        for (long i = 0; i < k; i++) {
            if (!m.h.isPair(l)) {
                throw Args.badIndex(m, proc, k, "list", i + extra, m.arg(a, 0));
            }
            l = m.h.cdr(l);
            if ((i & 1) == 1) {
                slow = m.h.cdr(slow);
                if (slow == l) {
                    long cycle = 1;
                    for (long p = m.h.cdr(l); p != l; p = m.h.cdr(p)) {
                        cycle++;
                    }
                    for (long rest = (k - i - 1) % cycle; rest > 0; rest--) {
                        l = m.h.cdr(l);
                    }
                    return l;
                }
            }
        }
        return l;
    }

    public static void install(Machine m, Equality eq) {
        SchemeHeap h = m.h;
        m.define(new Primitive("cons", 2, 2, (mm, a, n) -> h.cons(mm.arg(a, 0), mm.arg(a, 1))));
        m.define(new Primitive("%cons", 2, 2, (mm, a, n) -> h.cons(mm.arg(a, 0), mm.arg(a, 1))));
        m.define(new Primitive("car", 1, 1, (mm, a, n) -> h.car(Args.pair(mm, "car", a, 0))));
        m.define(new Primitive("cdr", 1, 1, (mm, a, n) -> h.cdr(Args.pair(mm, "cdr", a, 0))));
        for (String path : new String[] {"aa", "ad", "da", "dd", "aaa", "aad", "ada", "add", "daa", "dad", "dda", "ddd", "addd", "dddd"}) {
            m.define(cxr("c" + path + "r", path));
        }
        m.define(new Primitive("set-car!", 2, 2, (mm, a, n) -> {
            mm.heap.setField(Args.pair(mm, "set-car!", a, 0), PairLayout.CAR_FIELD, mm.arg(a, 1));
            return h.unspecified();
        }));
        m.define(new Primitive("set-cdr!", 2, 2, (mm, a, n) -> {
            mm.heap.setField(Args.pair(mm, "set-cdr!", a, 0), PairLayout.CDR_FIELD, mm.arg(a, 1));
            return h.unspecified();
        }));
        Primitive.Body list = (mm, a, n) -> h.listFromStack(a, a + n);
        m.define(new Primitive("list", 0, -1, list));
        m.define(new Primitive("%list", 0, -1, list));
        m.define(new Primitive("length", 1, 1, (mm, a, n) -> {
            int len = h.listLength(mm.arg(a, 0));
            if (len < 0) {
                throw Args.wrongType(mm, "length", "a proper list", mm.arg(a, 0));
            }
            return Value.ofInt(len);
        }));
        Primitive.Body append = (mm, a, n) -> {
            if (n == 0) {
                return h.nil();
            }
            int base = mm.st.sp();
            for (int i = 0; i < n - 1; i++) {
                pushElements(mm, "append", mm.arg(a, i), mm.arg(a, i));
            }
            int top = mm.st.sp();
            int tail = mm.st.push(mm.arg(a, n - 1));
            for (int i = top - 1; i >= base; i--) {
                mm.st.set(tail, h.cons(mm.st.get(i), mm.st.get(tail)));
            }
            long r = mm.st.get(tail);
            mm.st.reset(base);
            return r;
        };
        m.define(new Primitive("append", 0, -1, append));
        m.define(new Primitive("%append", 0, -1, append));
        m.define(new Primitive("reverse", 1, 1, (mm, a, n) -> {
            Args.list(mm, "reverse", a, 0);
            int acc = mm.st.push(h.nil());
            int rest = mm.st.push(mm.arg(a, 0));
            while (h.isPair(mm.st.get(rest))) {
                long p = mm.st.get(rest);
                mm.st.set(rest, h.cdr(p));
                mm.st.set(acc, h.cons(h.car(p), mm.st.get(acc)));
            }
            long r = mm.st.get(acc);
            mm.st.reset(acc);
            return r;
        }));
        m.define(new Primitive("list-tail", 2, 2, (mm, a, n) ->
                drop(mm, "list-tail", a, Args.nonNegative(mm, "list-tail", a, 1), 1)));
        m.define(new Primitive("list-ref", 2, 2, (mm, a, n) -> {
            long k = Args.nonNegative(mm, "list-ref", a, 1);
            long l = drop(mm, "list-ref", a, k, 0);
            if (!h.isPair(l)) {
                int len = h.listLength(mm.arg(a, 0));
                throw Args.badIndex(mm, "list-ref", k, "list", Math.max(len, 0), mm.arg(a, 0));
            }
            return h.car(l);
        }));
        m.define(new Primitive("list-copy", 1, 1, (mm, a, n) -> {
            long l = mm.arg(a, 0);
            if (!h.isPair(l)) {
                return l;
            }
            int base = mm.st.sp();
            while (h.isPair(l)) {
                mm.st.push(h.car(l));
                l = h.cdr(l);
            }
            int top = mm.st.sp();
            int tail = mm.st.push(l);
            for (int i = top - 1; i >= base; i--) {
                mm.st.set(tail, h.cons(mm.st.get(i), mm.st.get(tail)));
            }
            long r = mm.st.get(tail);
            mm.st.reset(base);
            return r;
        }));
        m.define(member("memq", (e, x, y) -> x == y, eq));
        m.define(member("memv", Equality::eqv, eq));
        m.define(member("%memv", Equality::eqv, eq));
        m.define(member("member", Equality::equal, eq));
        m.define(assoc("assq", (e, x, y) -> x == y, eq));
        m.define(assoc("assv", Equality::eqv, eq));
        m.define(assoc("assoc", Equality::equal, eq));
        m.define(new Primitive("iota", 1, 3, (mm, a, n) -> {
            int count = Args.count(mm, "iota", a, 0);
            boolean exact = n < 2 || Value.isInt(mm.arg(a, 1));
            exact &= n < 3 || Value.isInt(mm.arg(a, 2));
            double s = n >= 2 ? Args.real(mm, "iota", a, 1) : 0;
            double step = n >= 3 ? Args.real(mm, "iota", a, 2) : 1;
            int tail = mm.st.push(h.nil());
            for (int i = count - 1; i >= 0; i--) {
                long v;
                if (exact) {
                    long x = (long) s + i * (long) step;
                    v = NumberPrimitives.exact(mm, "iota", x, "an element");
                } else {
                    v = h.flonum(s + i * step);
                }
                mm.st.set(tail, h.cons(v, mm.st.get(tail)));
            }
            long r = mm.st.get(tail);
            mm.st.reset(tail);
            return r;
        }));
        m.define(predicate("pair?", (mm, v) -> mm.h.isPair(v)));
        m.define(predicate("null?", (mm, v) -> v == mm.h.nil()));
        m.define(predicate("list?", (mm, v) -> mm.h.listLength(v) >= 0));
        m.define(predicate("symbol?", (mm, v) -> mm.h.isSymbol(v)));
        m.define(predicate("string?", (mm, v) -> mm.h.isString(v)));
        m.define(predicate("char?", (mm, v) -> mm.h.isChar(v)));
        m.define(predicate("boolean?", (mm, v) -> mm.h.isBoolean(v)));
        m.define(predicate("vector?", (mm, v) -> mm.h.isVector(v)));
        m.define(predicate("procedure?", (mm, v) -> mm.h.isProcedure(v)));
        m.define(predicate("not", (mm, v) -> v == mm.h.f()));
        m.define(new Primitive("eq?", 2, 2, (mm, a, n) -> h.bool(mm.arg(a, 0) == mm.arg(a, 1))));
        m.define(new Primitive("eqv?", 2, 2, (mm, a, n) -> h.bool(eq.eqv(mm.arg(a, 0), mm.arg(a, 1)))));
        m.define(new Primitive("equal?", 2, 2, (mm, a, n) -> h.bool(eq.equal(mm.arg(a, 0), mm.arg(a, 1)))));
        m.define(new Primitive("boolean=?", 2, -1, (mm, a, n) -> {
            for (int i = 0; i < n; i++) {
                if (!h.isBoolean(mm.arg(a, i))) {
                    throw Args.wrongType(mm, "boolean=?", "a boolean", mm.arg(a, i));
                }
            }
            for (int i = 0; i + 1 < n; i++) {
                if (mm.arg(a, i) != mm.arg(a, i + 1)) {
                    return h.f();
                }
            }
            return h.t();
        }));
    }
}
