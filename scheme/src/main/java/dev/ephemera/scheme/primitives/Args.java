package dev.ephemera.scheme.primitives;

import dev.ephemera.object.Value;
import dev.ephemera.scheme.machine.ErrorSignal;
import dev.ephemera.scheme.machine.Machine;
import dev.ephemera.scheme.object.SchemeTag;
import dev.ephemera.scheme.runtime.SchemeHeap;

/**
 * Argument checks for primitives. Each reads argument {@code i} from the stack and either
 * returns it (converted) or throws a {@code wrong-type} / {@code bad-index} error whose message
 * names the procedure and the offending value: {@code car: expected a pair, got 5}.
 */
final class Args {
    private Args() {}

    static ErrorSignal wrongType(Machine m, String proc, String expected, long v) {
        return new ErrorSignal("wrong-type", proc + ": expected " + expected + ", got " + m.printer.brief(v), v);
    }

    static ErrorSignal badIndex(Machine m, String proc, long index, String what, long range, long v) {
        return new ErrorSignal("bad-index", proc + ": index " + index + " out of range [0, " + range + ") for "
                + what + " " + m.printer.brief(v), Value.ofInt(index));
    }

    static long fixnum(Machine m, String proc, int args, int i) {
        long v = m.arg(args, i);
        if (!Value.isInt(v)) {
            if (m.h.isFlonum(v)) {
                double d = m.h.flonumValue(v);
                if (d == Math.rint(d) && Math.abs(d) < 9.0e15) {
                    return (long) d;
                }
            }
            throw wrongType(m, proc, "an exact integer", v);
        }
        return Value.intOf(v);
    }

    /** A non-negative exact integer that fits an int. */
    static int count(Machine m, String proc, int args, int i) {
        long v = m.arg(args, i);
        if (!Value.isInt(v) || Value.intOf(v) < 0 || Value.intOf(v) > Integer.MAX_VALUE - 16) {
            throw wrongType(m, proc, "a non-negative exact integer", v);
        }
        return (int) Value.intOf(v);
    }

    /** An index in [0, size) of {@code what} (the value at {@code objArg}). */
    static int index(Machine m, String proc, int args, int i, int size, String what, int objArg) {
        long v = m.arg(args, i);
        if (!Value.isInt(v)) {
            throw wrongType(m, proc, "an exact integer index", v);
        }
        long k = Value.intOf(v);
        if (k < 0 || k >= size) {
            throw badIndex(m, proc, k, what, size, m.arg(args, objArg));
        }
        return (int) k;
    }

    static double real(Machine m, String proc, int args, int i) {
        long v = m.arg(args, i);
        if (Value.isInt(v)) {
            return Value.intOf(v);
        }
        if (m.h.isFlonum(v)) {
            return m.h.flonumValue(v);
        }
        throw wrongType(m, proc, "a number", v);
    }

    static long pair(Machine m, String proc, int args, int i) {
        long v = m.arg(args, i);
        if (!m.h.isPair(v)) {
            throw wrongType(m, proc, "a pair", v);
        }
        return v;
    }

    static long list(Machine m, String proc, int args, int i) {
        long v = m.arg(args, i);
        if (m.h.listLength(v) < 0) {
            throw wrongType(m, proc, "a proper list", v);
        }
        return v;
    }

    static long of(Machine m, String proc, int args, int i, int tag, String expected) {
        long v = m.arg(args, i);
        if (!m.h.is(v, tag)) {
            throw wrongType(m, proc, expected, v);
        }
        return v;
    }

    static String string(Machine m, String proc, int args, int i) {
        long v = m.arg(args, i);
        if (!m.h.isString(v)) {
            throw wrongType(m, proc, "a string", v);
        }
        return m.h.stringValue(v);
    }

    static long symbol(Machine m, String proc, int args, int i) {
        return of(m, proc, args, i, SchemeTag.SYMBOL, "a symbol");
    }

    static int character(Machine m, String proc, int args, int i) {
        return m.h.charValue(of(m, proc, args, i, SchemeTag.CHAR, "a character"));
    }

    static long vector(Machine m, String proc, int args, int i) {
        return of(m, proc, args, i, SchemeTag.VECTOR, "a vector");
    }

    static long procedure(Machine m, String proc, int args, int i) {
        long v = m.arg(args, i);
        if (!m.h.isProcedure(v)) {
            throw wrongType(m, proc, "a procedure", v);
        }
        return v;
    }

    /** A heap object (not a fixnum), as weak references and finalisers need. */
    static long block(Machine m, String proc, int args, int i) {
        long v = m.arg(args, i);
        if (!Value.isBlock(v)) {
            throw wrongType(m, proc, "a heap-allocated object (not a fixnum)", v);
        }
        return v;
    }

    static SchemeHeap h(Machine m) {
        return m.h;
    }
}
