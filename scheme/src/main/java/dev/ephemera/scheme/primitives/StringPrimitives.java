package dev.ephemera.scheme.primitives;

import dev.ephemera.object.Value;
import dev.ephemera.scheme.machine.Machine;
import dev.ephemera.scheme.machine.Primitive;
import dev.ephemera.scheme.runtime.SchemeHeap;

/**
 * Strings, characters and symbols. Strings are heap byte strings holding UTF-8; indices count
 * characters (code points), so the procedures decode the string to work on it.
 */
public final class StringPrimitives {
    private StringPrimitives() {}

    private interface StringCompare {
        boolean test(int c);
    }

    private static Primitive compare(String name, StringCompare test) {
        return new Primitive(name, 1, -1, (m, a, n) -> {
            String prev = Args.string(m, name, a, 0);
            boolean ok = true;
            for (int i = 1; i < n; i++) {
                String s = Args.string(m, name, a, i);
                if (!test.test(prev.compareTo(s))) {
                    ok = false;
                }
                prev = s;
            }
            return m.h.bool(ok);
        });
    }

    private static Primitive charCompare(String name, StringCompare test) {
        return new Primitive(name, 1, -1, (m, a, n) -> {
            boolean ok = true;
            for (int i = 0; i + 1 < n; i++) {
                if (!test.test(Integer.compare(Args.character(m, name, a, i), Args.character(m, name, a, i + 1)))) {
                    ok = false;
                }
            }
            if (n == 1) {
                Args.character(m, name, a, 0);
            }
            return m.h.bool(ok);
        });
    }

    private interface CharTest {
        boolean test(int c);
    }

    private static Primitive charPredicate(String name, CharTest t) {
        return new Primitive(name, 1, 1, (m, a, n) -> m.h.bool(t.test(Args.character(m, name, a, 0))));
    }

    static int[] codePoints(String s) {
        return s.codePoints().toArray();
    }

    static String fromCodePoints(int[] cps, int from, int to) {
        return new String(cps, from, to - from);
    }

    public static void install(Machine m) {
        SchemeHeap h = m.h;
        m.define(new Primitive("string-length", 1, 1, (mm, a, n) -> {
            String s = Args.string(mm, "string-length", a, 0);
            return Value.ofInt(s.codePointCount(0, s.length()));
        }));
        m.define(new Primitive("string-ref", 2, 2, (mm, a, n) -> {
            int[] cps = codePoints(Args.string(mm, "string-ref", a, 0));
            int i = Args.index(mm, "string-ref", a, 1, cps.length, "string", 0);
            return h.character(cps[i]);
        }));
        m.define(new Primitive("substring", 2, 3, (mm, a, n) -> {
            int[] cps = codePoints(Args.string(mm, "substring", a, 0));
            int[] r = Args.range(mm, "substring", a, n, 1, cps.length, "string");
            return h.string(fromCodePoints(cps, r[0], r[1]));
        }));
        m.define(new Primitive("string-copy", 1, 3, (mm, a, n) -> {
            int[] cps = codePoints(Args.string(mm, "string-copy", a, 0));
            int[] r = Args.range(mm, "string-copy", a, n, 1, cps.length, "string");
            return h.string(fromCodePoints(cps, r[0], r[1]));
        }));
        m.define(new Primitive("string-append", 0, -1, (mm, a, n) -> {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                sb.append(Args.string(mm, "string-append", a, i));
            }
            return h.string(sb.toString());
        }));
        m.define(new Primitive("string", 0, -1, (mm, a, n) -> {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                sb.appendCodePoint(Args.character(mm, "string", a, i));
            }
            return h.string(sb.toString());
        }));
        m.define(new Primitive("make-string", 1, 2, (mm, a, n) -> {
            int k = Args.count(mm, "make-string", a, 0);
            int c = n == 2 ? Args.character(mm, "make-string", a, 1) : ' ';
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < k; i++) {
                sb.appendCodePoint(c);
            }
            return h.string(sb.toString());
        }));
        m.define(compare("string=?", c -> c == 0));
        m.define(compare("string<?", c -> c < 0));
        m.define(compare("string>?", c -> c > 0));
        m.define(compare("string<=?", c -> c <= 0));
        m.define(compare("string>=?", c -> c >= 0));
        m.define(new Primitive("string->symbol", 1, 1, (mm, a, n) -> h.symbol(Args.string(mm, "string->symbol", a, 0))));
        m.define(new Primitive("symbol->string", 1, 1, (mm, a, n) -> h.string(h.symbolName(Args.symbol(mm, "symbol->string", a, 0)))));
        m.define(new Primitive("string->list", 1, 3, (mm, a, n) -> {
            int[] cps = codePoints(Args.string(mm, "string->list", a, 0));
            int[] r = Args.range(mm, "string->list", a, n, 1, cps.length, "string");
            int tail = mm.st.push(h.nil());
            for (int i = r[1] - 1; i >= r[0]; i--) {
                long c = h.character(cps[i]);
                mm.st.set(tail, h.cons(c, mm.st.get(tail)));
            }
            long result = mm.st.get(tail);
            mm.st.reset(tail);
            return result;
        }));
        m.define(new Primitive("list->string", 1, 1, (mm, a, n) -> {
            StringBuilder sb = new StringBuilder();
            long l = Args.list(mm, "list->string", a, 0);
            while (h.isPair(l)) {
                long c = h.car(l);
                if (!h.isChar(c)) {
                    throw Args.wrongType(mm, "list->string", "a list of characters", mm.arg(a, 0));
                }
                sb.appendCodePoint(h.charValue(c));
                l = h.cdr(l);
            }
            return h.string(sb.toString());
        }));
        m.define(new Primitive("string-upcase", 1, 1, (mm, a, n) -> h.string(Args.string(mm, "string-upcase", a, 0).toUpperCase())));
        m.define(new Primitive("string-downcase", 1, 1, (mm, a, n) -> h.string(Args.string(mm, "string-downcase", a, 0).toLowerCase())));
        m.define(new Primitive("symbol=?", 1, -1, (mm, a, n) -> {
            for (int i = 0; i < n; i++) {
                Args.symbol(mm, "symbol=?", a, i);
            }
            for (int i = 0; i + 1 < n; i++) {
                if (mm.arg(a, i) != mm.arg(a, i + 1)) {
                    return h.f();
                }
            }
            return h.t();
        }));
        m.define(new Primitive("char->integer", 1, 1, (mm, a, n) -> Value.ofInt(Args.character(mm, "char->integer", a, 0))));
        m.define(new Primitive("integer->char", 1, 1, (mm, a, n) -> {
            long v = mm.arg(a, 0);
            if (!Value.isInt(v) || Value.intOf(v) < 0 || Value.intOf(v) > Character.MAX_CODE_POINT
                    || (Value.intOf(v) >= 0xD800 && Value.intOf(v) <= 0xDFFF)) {
                throw Args.wrongType(mm, "integer->char", "a Unicode scalar value", v);
            }
            return h.character((int) Value.intOf(v));
        }));
        m.define(charCompare("char=?", c -> c == 0));
        m.define(charCompare("char<?", c -> c < 0));
        m.define(charCompare("char>?", c -> c > 0));
        m.define(charCompare("char<=?", c -> c <= 0));
        m.define(charCompare("char>=?", c -> c >= 0));
        m.define(charPredicate("char-alphabetic?", Character::isLetter));
        m.define(charPredicate("char-numeric?", Character::isDigit));
        m.define(charPredicate("char-whitespace?", Character::isWhitespace));
        m.define(charPredicate("char-upper-case?", Character::isUpperCase));
        m.define(charPredicate("char-lower-case?", Character::isLowerCase));
        m.define(new Primitive("char-upcase", 1, 1, (mm, a, n) -> h.character(Character.toUpperCase(Args.character(mm, "char-upcase", a, 0)))));
        m.define(new Primitive("char-downcase", 1, 1, (mm, a, n) -> h.character(Character.toLowerCase(Args.character(mm, "char-downcase", a, 0)))));
    }
}
