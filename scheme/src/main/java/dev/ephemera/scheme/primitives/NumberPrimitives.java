package dev.ephemera.scheme.primitives;

import dev.ephemera.object.Value;
import dev.ephemera.scheme.machine.ErrorSignal;
import dev.ephemera.scheme.machine.Machine;
import dev.ephemera.scheme.machine.Primitive;
import dev.ephemera.scheme.machine.Printer;
import dev.ephemera.scheme.read.Reader;
import dev.ephemera.scheme.read.ReadError;

/**
 * Numbers: exact integers are the heap's 63-bit immediates, and an exact result outside
 * [-2<sup>62</sup>, 2<sup>62</sup>-1] is an {@code overflow} error, never a silent wrap.
 * Flonums are boxed doubles; mixing them with exact integers gives a flonum. There are no
 * rationals: {@code /} of exact integers that do not divide evenly gives a flonum.
 */
public final class NumberPrimitives {
    private NumberPrimitives() {}

    static final long MIN = Value.MIN_INT;
    static final long MAX = Value.MAX_INT;

    static long exact(Machine m, String op, long r, String detail) {
        if (r < MIN || r > MAX) {
            throw new ErrorSignal("overflow", op + ": integer overflow: " + detail + " is outside the 63-bit range ["
                    + MIN + ", " + MAX + "]");
        }
        return Value.ofInt(r);
    }

    static long number(Machine m, double d) {
        return m.h.flonum(d);
    }

    private static long checkNumber(Machine m, String op, int args, int i) {
        long v = m.arg(args, i);
        if (!Value.isInt(v) && !m.h.isFlonum(v)) {
            throw Args.wrongType(m, op, "a number", v);
        }
        return v;
    }

    private static long add(Machine m, int args, int n) {
        long acc = 0;
        int i = 0;
        for (; i < n; i++) {
            long v = checkNumber(m, "+", args, i);
            if (!Value.isInt(v)) {
                break;
            }
            long x = Value.intOf(v);
            long r = acc + x;
            if (r < MIN || r > MAX) {
                exact(m, "+", r, acc + " + " + x);
            }
            acc = r;
        }
        if (i == n) {
            return Value.ofInt(acc);
        }
        double d = acc;
        for (; i < n; i++) {
            checkNumber(m, "+", args, i);
            d += Args.real(m, "+", args, i);
        }
        return number(m, d);
    }

    private static long multiply(Machine m, int args, int n) {
        long acc = 1;
        int i = 0;
        for (; i < n; i++) {
            long v = checkNumber(m, "*", args, i);
            if (!Value.isInt(v)) {
                break;
            }
            long x = Value.intOf(v);
            long r;
            try {
                r = Math.multiplyExact(acc, x);
            } catch (ArithmeticException e) {
                throw new ErrorSignal("overflow", "*: integer overflow: " + acc + " * " + x
                        + " is outside the 63-bit range [" + MIN + ", " + MAX + "]");
            }
            if (r < MIN || r > MAX) {
                exact(m, "*", r, acc + " * " + x);
            }
            acc = r;
        }
        if (i == n) {
            return Value.ofInt(acc);
        }
        double d = acc;
        for (; i < n; i++) {
            checkNumber(m, "*", args, i);
            d *= Args.real(m, "*", args, i);
        }
        return number(m, d);
    }

    private static long subtract(Machine m, int args, int n) {
        long first = checkNumber(m, "-", args, 0);
        if (n == 1) {
            if (Value.isInt(first)) {
                long x = Value.intOf(first);
                return exact(m, "-", -x, "-(" + x + ")");
            }
            return number(m, -m.h.flonumValue(first));
        }
        boolean allExact = true;
        for (int i = 0; i < n; i++) {
            allExact &= Value.isInt(checkNumber(m, "-", args, i));
        }
        if (allExact) {
            long acc = Value.intOf(first);
            for (int i = 1; i < n; i++) {
                long x = Value.intOf(m.arg(args, i));
                long r = acc - x;
                if (r < MIN || r > MAX) {
                    exact(m, "-", r, acc + " - " + x);
                }
                acc = r;
            }
            return Value.ofInt(acc);
        }
        double d = Args.real(m, "-", args, 0);
        for (int i = 1; i < n; i++) {
            d -= Args.real(m, "-", args, i);
        }
        return number(m, d);
    }

    private static long divide(Machine m, int args, int n) {
        for (int i = 0; i < n; i++) {
            checkNumber(m, "/", args, i);
        }
        if (n == 1) {
            long v = m.arg(args, 0);
            if (Value.isInt(v)) {
                long x = Value.intOf(v);
                if (x == 0) {
                    throw new ErrorSignal("division-by-zero", "/: division by zero", v);
                }
                if (x == 1 || x == -1) {
                    return v;
                }
                return number(m, 1.0 / x);
            }
            return number(m, 1.0 / m.h.flonumValue(v));
        }
        long first = m.arg(args, 0);
        if (Value.isInt(first)) {
            long acc = Value.intOf(first);
            int i = 1;
            for (; i < n; i++) {
                long v = m.arg(args, i);
                if (!Value.isInt(v)) {
                    break;
                }
                long x = Value.intOf(v);
                if (x == 0) {
                    throw new ErrorSignal("division-by-zero", "/: division by zero (" + acc + " / 0)", v);
                }
                if (acc % x != 0) {
                    break;
                }
                acc = acc / x;
                if (acc > MAX) {
                    exact(m, "/", acc, "the quotient");
                }
            }
            if (i == n) {
                return Value.ofInt(acc);
            }
            double d = acc;
            for (; i < n; i++) {
                double x = Args.real(m, "/", args, i);
                if (x == 0 && Value.isInt(m.arg(args, i))) {
                    throw new ErrorSignal("division-by-zero", "/: division by zero", m.arg(args, i));
                }
                d /= x;
            }
            return number(m, d);
        }
        double d = m.h.flonumValue(first);
        for (int i = 1; i < n; i++) {
            double x = Args.real(m, "/", args, i);
            if (x == 0 && Value.isInt(m.arg(args, i))) {
                throw new ErrorSignal("division-by-zero", "/: division by zero", m.arg(args, i));
            }
            d /= x;
        }
        return number(m, d);
    }

    /** quotient (0), remainder (1), modulo (2). */
    private static long integerDivision(Machine m, String op, int args, int kind) {
        long a = m.arg(args, 0);
        long b = m.arg(args, 1);
        boolean exact = Value.isInt(a) && Value.isInt(b);
        long x = Args.fixnum(m, op, args, 0);
        long y = Args.fixnum(m, op, args, 1);
        if (y == 0) {
            throw new ErrorSignal("division-by-zero", op + ": division by zero (" + x + " by 0)", b);
        }
        long r;
        switch (kind) {
            case 0: r = x / y; break;
            case 1: r = x % y; break;
            default: r = Math.floorMod(x, y); break;
        }
        if (!exact) {
            return number(m, r);
        }
        return exact(m, op, r, "the result");
    }

    private interface Compare {
        boolean test(double a, double b);
    }

    private interface CompareExact {
        boolean test(long a, long b);
    }

    private static Primitive comparison(String name, CompareExact exact, Compare inexact) {
        return new Primitive(name, 1, -1, (m, args, n) -> {
            for (int i = 0; i < n; i++) {
                checkNumber(m, name, args, i);
            }
            boolean result = true;
            for (int i = 0; i + 1 < n; i++) {
                long a = m.arg(args, i);
                long b = m.arg(args, i + 1);
                boolean ok = Value.isInt(a) && Value.isInt(b) ? exact.test(Value.intOf(a), Value.intOf(b))
                        : inexact.test(Args.real(m, name, args, i), Args.real(m, name, args, i + 1));
                if (!ok) {
                    result = false;
                }
            }
            return m.h.bool(result);
        });
    }

    private static long minMax(Machine m, String op, int args, int n, boolean max) {
        boolean inexact = false;
        long best = checkNumber(m, op, args, 0);
        int bestIndex = 0;
        for (int i = 0; i < n; i++) {
            long v = checkNumber(m, op, args, i);
            inexact |= !Value.isInt(v);
            if (i > 0) {
                double a = Args.real(m, op, args, i);
                double b = Args.real(m, op, args, bestIndex);
                if (max ? a > b : a < b) {
                    bestIndex = i;
                }
            }
        }
        best = m.arg(args, bestIndex);
        if (inexact && Value.isInt(best)) {
            return number(m, Value.intOf(best));
        }
        return best;
    }

    private static long toExact(Machine m, String op, int args) {
        long v = checkNumber(m, op, args, 0);
        if (Value.isInt(v)) {
            return v;
        }
        double d = m.h.flonumValue(v);
        if (Double.isNaN(d) || Double.isInfinite(d) || d != Math.rint(d)) {
            throw new ErrorSignal("wrong-type", op + ": " + Printer.flonum(d) + " has no exact integer value", v);
        }
        if (d < -4.611686018427388E18 || d >= 4.611686018427388E18) {
            throw new ErrorSignal("overflow", op + ": integer overflow: " + Printer.flonum(d)
                    + " is outside the 63-bit range [" + MIN + ", " + MAX + "]", v);
        }
        return Value.ofInt((long) d);
    }

    private interface DoubleOp {
        double apply(double d);
    }

    private static Primitive rounding(String name, DoubleOp op) {
        return new Primitive(name, 1, 1, (m, args, n) -> {
            long v = checkNumber(m, name, args, 0);
            if (Value.isInt(v)) {
                return v;
            }
            return number(m, op.apply(m.h.flonumValue(v)));
        });
    }

    private static Primitive math(String name, DoubleOp op) {
        return new Primitive(name, 1, 1, (m, args, n) -> number(m, op.apply(Args.real(m, name, args, 0))));
    }

    /** The numeric procedures. */
    public static void install(Machine m) {
        m.define(new Primitive("+", 0, -1, NumberPrimitives::add));
        m.define(new Primitive("*", 0, -1, NumberPrimitives::multiply));
        m.define(new Primitive("-", 1, -1, NumberPrimitives::subtract));
        m.define(new Primitive("/", 1, -1, NumberPrimitives::divide));
        m.define(new Primitive("quotient", 2, 2, (mm, a, n) -> integerDivision(mm, "quotient", a, 0)));
        m.define(new Primitive("remainder", 2, 2, (mm, a, n) -> integerDivision(mm, "remainder", a, 1)));
        m.define(new Primitive("modulo", 2, 2, (mm, a, n) -> integerDivision(mm, "modulo", a, 2)));
        m.define(new Primitive("abs", 1, 1, (mm, a, n) -> {
            long v = checkNumber(mm, "abs", a, 0);
            if (Value.isInt(v)) {
                long x = Value.intOf(v);
                return exact(mm, "abs", Math.abs(x), "(abs " + x + ")");
            }
            return number(mm, Math.abs(mm.h.flonumValue(v)));
        }));
        m.define(new Primitive("min", 1, -1, (mm, a, n) -> minMax(mm, "min", a, n, false)));
        m.define(new Primitive("max", 1, -1, (mm, a, n) -> minMax(mm, "max", a, n, true)));
        m.define(comparison("=", (a, b) -> a == b, (a, b) -> a == b));
        m.define(comparison("<", (a, b) -> a < b, (a, b) -> a < b));
        m.define(comparison(">", (a, b) -> a > b, (a, b) -> a > b));
        m.define(comparison("<=", (a, b) -> a <= b, (a, b) -> a <= b));
        m.define(comparison(">=", (a, b) -> a >= b, (a, b) -> a >= b));
        m.define(new Primitive("zero?", 1, 1, (mm, a, n) -> mm.h.bool(Args.real(mm, "zero?", a, 0) == 0)));
        m.define(new Primitive("positive?", 1, 1, (mm, a, n) -> mm.h.bool(Args.real(mm, "positive?", a, 0) > 0)));
        m.define(new Primitive("negative?", 1, 1, (mm, a, n) -> mm.h.bool(Args.real(mm, "negative?", a, 0) < 0)));
        m.define(new Primitive("even?", 1, 1, (mm, a, n) -> mm.h.bool((Args.fixnum(mm, "even?", a, 0) & 1) == 0)));
        m.define(new Primitive("odd?", 1, 1, (mm, a, n) -> mm.h.bool((Args.fixnum(mm, "odd?", a, 0) & 1) != 0)));
        m.define(new Primitive("number?", 1, 1, (mm, a, n) -> mm.h.bool(mm.h.isNumber(mm.arg(a, 0)))));
        m.define(new Primitive("complex?", 1, 1, (mm, a, n) -> mm.h.bool(mm.h.isNumber(mm.arg(a, 0)))));
        m.define(new Primitive("real?", 1, 1, (mm, a, n) -> mm.h.bool(mm.h.isNumber(mm.arg(a, 0)))));
        m.define(new Primitive("rational?", 1, 1, (mm, a, n) -> {
            long v = mm.arg(a, 0);
            return mm.h.bool(Value.isInt(v) || (mm.h.isFlonum(v) && Double.isFinite(mm.h.flonumValue(v))));
        }));
        m.define(new Primitive("integer?", 1, 1, (mm, a, n) -> {
            long v = mm.arg(a, 0);
            if (Value.isInt(v)) {
                return mm.h.t();
            }
            if (mm.h.isFlonum(v)) {
                double d = mm.h.flonumValue(v);
                return mm.h.bool(Double.isFinite(d) && d == Math.rint(d));
            }
            return mm.h.f();
        }));
        m.define(new Primitive("exact-integer?", 1, 1, (mm, a, n) -> mm.h.bool(Value.isInt(mm.arg(a, 0)))));
        m.define(new Primitive("exact?", 1, 1, (mm, a, n) -> mm.h.bool(Value.isInt(checkNumber(mm, "exact?", a, 0)))));
        m.define(new Primitive("inexact?", 1, 1, (mm, a, n) -> mm.h.bool(!Value.isInt(checkNumber(mm, "inexact?", a, 0)))));
        m.define(new Primitive("nan?", 1, 1, (mm, a, n) -> mm.h.bool(Double.isNaN(Args.real(mm, "nan?", a, 0)))));
        m.define(new Primitive("exact->inexact", 1, 1, (mm, a, n) -> toInexact(mm, "exact->inexact", a)));
        m.define(new Primitive("inexact", 1, 1, (mm, a, n) -> toInexact(mm, "inexact", a)));
        m.define(new Primitive("exact", 1, 1, (mm, a, n) -> toExact(mm, "exact", a)));
        m.define(new Primitive("inexact->exact", 1, 1, (mm, a, n) -> toExact(mm, "inexact->exact", a)));
        m.define(rounding("floor", Math::floor));
        m.define(rounding("ceiling", Math::ceil));
        m.define(rounding("round", Math::rint));
        m.define(rounding("truncate", d -> d < 0 ? Math.ceil(d) : Math.floor(d)));
        m.define(math("exp", Math::exp));
        m.define(math("log", Math::log));
        m.define(math("sin", Math::sin));
        m.define(math("cos", Math::cos));
        m.define(math("tan", Math::tan));
        m.define(math("atan", Math::atan));
        m.define(new Primitive("sqrt", 1, 1, (mm, a, n) -> {
            long v = checkNumber(mm, "sqrt", a, 0);
            if (Value.isInt(v) && Value.intOf(v) >= 0) {
                long x = Value.intOf(v);
                long r = (long) Math.sqrt((double) x);
                while (r * r > x) {
                    r--;
                }
                while ((r + 1) * (r + 1) <= x) {
                    r++;
                }
                if (r * r == x) {
                    return Value.ofInt(r);
                }
            }
            return number(mm, Math.sqrt(Args.real(mm, "sqrt", a, 0)));
        }));
        m.define(new Primitive("square", 1, 1, (mm, a, n) -> {
            mm.st.push(mm.arg(a, 0));
            mm.st.push(mm.arg(a, 0));
            long r = multiply(mm, mm.st.sp() - 2, 2);
            mm.st.reset(mm.st.sp() - 2);
            return r;
        }));
        m.define(new Primitive("expt", 2, 2, (mm, a, n) -> {
            long base = checkNumber(mm, "expt", a, 0);
            long e = checkNumber(mm, "expt", a, 1);
            if (base == Value.ofInt(0) && Args.real(mm, "expt", a, 1) < 0) {
                // exact zero to a negative power is 1/0: an error, as in R7RS and Chez, not +inf.0
                throw new ErrorSignal("division-by-zero", "expt: division by zero: (expt 0 "
                        + mm.printer.brief(e) + ")", e);
            }
            if (Value.isInt(base) && Value.isInt(e) && Value.intOf(e) >= 0) {
                long b = Value.intOf(base);
                long k = Value.intOf(e);
                long r = 1;
                for (long i = 0; i < k; i++) {
                    try {
                        r = Math.multiplyExact(r, b);
                    } catch (ArithmeticException ex) {
                        r = Long.MAX_VALUE;
                    }
                    if (r < MIN || r > MAX) {
                        exact(mm, "expt", r, "(expt " + b + " " + k + ")");
                    }
                    if (r == 0 || r == 1 && b == 1) {
                        break;
                    }
                }
                return Value.ofInt(r);
            }
            return number(mm, Math.pow(Args.real(mm, "expt", a, 0), Args.real(mm, "expt", a, 1)));
        }));
        m.define(new Primitive("gcd", 0, -1, (mm, a, n) -> {
            long g = 0;
            for (int i = 0; i < n; i++) {
                g = gcd(g, Args.fixnum(mm, "gcd", a, i));
            }
            // gcd is never negative: (gcd most-negative-fixnum 0) is 2^62, one past the largest fixnum
            return exact(mm, "gcd", g, "the result " + g);
        }));
        m.define(new Primitive("lcm", 0, -1, (mm, a, n) -> {
            long l = 1;
            for (int i = 0; i < n; i++) {
                long x = Math.abs(Args.fixnum(mm, "lcm", a, i));
                if (x == 0) {
                    return Value.ofInt(0);
                }
                long q = x / gcd(l, x);
                try {
                    l = Math.multiplyExact(l, q);
                } catch (ArithmeticException e) {
                    throw new ErrorSignal("overflow", "lcm: integer overflow: the result is outside the 63-bit range ["
                            + MIN + ", " + MAX + "]");
                }
                exact(mm, "lcm", l, "the result " + l);
            }
            return Value.ofInt(l);
        }));
        m.define(new Primitive("number->string", 1, 2, (mm, a, n) -> {
            long v = checkNumber(mm, "number->string", a, 0);
            int radix = n == 2 ? (int) Args.fixnum(mm, "number->string", a, 1) : 10;
            if (radix != 2 && radix != 8 && radix != 10 && radix != 16) {
                throw Args.wrongType(mm, "number->string", "a radix of 2, 8, 10 or 16", mm.arg(a, 1));
            }
            String s = Value.isInt(v) ? Long.toString(Value.intOf(v), radix) : Printer.flonum(mm.h.flonumValue(v));
            return mm.h.string(s);
        }));
        m.define(new Primitive("string->number", 1, 2, (mm, a, n) -> {
            String s = Args.string(mm, "string->number", a, 0);
            int radix = n == 2 ? (int) Args.fixnum(mm, "string->number", a, 1) : 10;
            String prefix = radix == 16 ? "#x" : radix == 8 ? "#o" : radix == 2 ? "#b" : "";
            try {
                Reader reader = new Reader(prefix + s, "string->number");
                Object d = reader.read();
                if (reader.read() != Reader.EOF) {
                    return mm.h.f();
                }
                if (d instanceof Long l) {
                    return Value.ofInt(l);
                }
                if (d instanceof Double x) {
                    return number(mm, x);
                }
            } catch (ReadError e) {
                if (e.getMessage().contains("63 bits")) {
                    throw new ErrorSignal("overflow", "string->number: integer overflow: " + s
                            + " is outside the 63-bit range [" + MIN + ", " + MAX + "]", mm.arg(a, 0));
                }
                return mm.h.f();
            }
            return mm.h.f();
        }));
    }

    /** The greatest common divisor of |a| and |b| (a long: |most-negative-fixnum| fits). */
    static long gcd(long a, long b) {
        a = Math.abs(a);
        b = Math.abs(b);
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private static long toInexact(Machine m, String op, int args) {
        long v = checkNumber(m, op, args, 0);
        if (Value.isInt(v)) {
            return number(m, Value.intOf(v));
        }
        return v;
    }
}
