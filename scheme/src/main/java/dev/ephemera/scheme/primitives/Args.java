package dev.ephemera.scheme.primitives;

import dev.ephemera.object.Value;
import dev.ephemera.scheme.machine.ErrorSignal;
import dev.ephemera.scheme.machine.Machine;
import dev.ephemera.scheme.object.SchemeTag;

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

    /** The largest size (of a vector, a string, a list to make): the heap's largest block. */
    static final int MAX_SIZE = Integer.MAX_VALUE - 16;

    /**
     * A size or count: a non-negative exact integer, at most {@link #MAX_SIZE}. A larger one is
     * of the right type but out of range, and said so ({@code bad-index}).
     */
    static int count(Machine m, String proc, int args, int i) {
        long v = m.arg(args, i);
        if (!Value.isInt(v) || Value.intOf(v) < 0) {
            throw wrongType(m, proc, "a non-negative exact integer", v);
        }
        long k = Value.intOf(v);
        if (k > MAX_SIZE) {
            throw new ErrorSignal("bad-index", proc + ": " + k + " is too large (at most " + MAX_SIZE + ")", v);
        }
        return (int) k;
    }

    /** A non-negative exact integer of any size (an index into a list, checked by walking it). */
    static long nonNegative(Machine m, String proc, int args, int i) {
        long v = m.arg(args, i);
        if (!Value.isInt(v) || Value.intOf(v) < 0) {
            throw wrongType(m, proc, "a non-negative exact integer", v);
        }
        return Value.intOf(v);
    }

    /**
     * The optional {@code start} and {@code end} arguments at {@code startArg} and after, of a
     * sequence of {@code length} elements (the value at argument 0, a {@code what}): checks
     * {@code 0 <= start <= end <= length} and returns {start, end}.
     */
    static int[] range(Machine m, String proc, int a, int n, int startArg, int length, String what) {
        int start = 0;
        int end = length;
        if (n > startArg) {
            long v = m.arg(a, startArg);
            if (!Value.isInt(v)) {
                throw wrongType(m, proc, "an exact integer start index", v);
            }
            long s = Value.intOf(v);
            if (s < 0 || s > length) {
                throw badIndex(m, proc, s, what, length + 1, m.arg(a, 0));
            }
            start = (int) s;
        }
        if (n > startArg + 1) {
            long v = m.arg(a, startArg + 1);
            if (!Value.isInt(v)) {
                throw wrongType(m, proc, "an exact integer end index", v);
            }
            long e = Value.intOf(v);
            if (e < start || e > length) {
                throw new ErrorSignal("bad-index", proc + ": end index " + e + " out of range [" + start + ", "
                        + length + "] for " + what + " " + m.printer.brief(m.arg(a, 0)), v);
            }
            end = (int) e;
        }
        return new int[] {start, end};
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

    /**
     * A value that can be finalised or guarded: a heap-allocated object with an identity that
     * can die. Like OCaml's {@code Gc.finalise}, which refuses what is not heap-allocated (and
     * floats), this refuses exact integers (immediates), the unique constants ({@code ()},
     * {@code #t}, {@code #f}, the eof and unspecified values: they never die), characters and
     * flonums (compared by value by {@code eqv?}, so their identity is not guaranteed).
     * {@code verb} says what was attempted: "finalise", "register".
     */
    static long finalisable(Machine m, String proc, String verb, int args, int i) {
        long v = m.arg(args, i);
        String reason = notFinalisable(m, v);
        if (reason != null) {
            throw new ErrorSignal("wrong-type", proc + ": cannot " + verb + " " + m.printer.brief(v) + " (" + reason + ")", v);
        }
        return v;
    }

    /** Why {@code v} cannot be finalised, or null if it can. */
    static String notFinalisable(Machine m, long v) {
        if (Value.isInt(v)) {
            return "an exact integer is an immediate value, not a heap-allocated object";
        }
        if (!Value.isBlock(v)) {
            return "not a heap-allocated object";
        }
        int tag = m.heap.tag(v);
        if (tag == SchemeTag.CONSTANT) {
            return "a constant, not a heap-allocated object: it never dies";
        }
        if (tag == SchemeTag.CHAR) {
            return "a character's identity is not guaranteed: eqv? compares code points";
        }
        if (m.h.isFlonum(v)) {
            return "a flonum's identity is not guaranteed";
        }
        return null;
    }
}
