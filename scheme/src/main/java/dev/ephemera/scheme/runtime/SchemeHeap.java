package dev.ephemera.scheme.runtime;

import dev.ephemera.Heap;
import dev.ephemera.Rank;
import dev.ephemera.RootArea;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.scheme.object.CharLayout;
import dev.ephemera.scheme.object.ConstantLayout;
import dev.ephemera.scheme.object.PairLayout;
import dev.ephemera.scheme.object.SchemeTag;
import dev.ephemera.tables.Hashtables;

/**
 * Scheme objects on an ephemera {@link Heap}: the unique constants, characters, pairs, strings,
 * symbols and vectors, their predicates and accessors. Every method that allocates keeps its
 * inputs rooted (on the {@link Stack}) across the allocation; the values it returns are raw
 * pointers, valid until the next allocation.
 */
public final class SchemeHeap implements AutoCloseable {
    /** Codes of the unique constants: their slots in the constant area. */
    public static final int NIL = 0;
    public static final int TRUE = 1;
    public static final int FALSE = 2;
    public static final int UNSPECIFIED = 3;
    public static final int EOF = 4;
    public static final int UNASSIGNED = 5;
    private static final int CONSTANTS = 6;
    private static final int ASCII = 128;
    private static final String[] CONSTANT_NAMES = {
        "()", "#t", "#f", "#<unspecified>", "#<eof>", "#<unassigned>"
    };

    public final Heap heap;
    public final Stack stack;
    public final Symbols symbols;
    /**
     * The heap's SRFI 126 tables: a Scheme hashtable <em>is</em> a core {@link Hashtables}
     * table, so Java code can hand tables to Scheme code and back.
     */
    public final Hashtables tables;
    private final RootArea constantArea;
    /** The constant area's slots: constants, then the ASCII characters. Never grows. */
    private final long[] k;

    public SchemeHeap(Heap heap) {
        this.heap = heap;
        this.stack = new Stack(heap);
        this.constantArea = heap.newRootArea(CONSTANTS + ASCII, Rank.STRONG);
        constantArea.setUsed(CONSTANTS + ASCII);
        for (int i = 0; i < CONSTANTS; i++) {
            long c = heap.alloc(SchemeTag.CONSTANT, Value.ofInt(i));
            constantArea.set(i, c);
        }
        for (int i = 0; i < ASCII; i++) {
            long c = heap.alloc(SchemeTag.CHAR, Value.ofInt(i));
            constantArea.set(CONSTANTS + i, c);
        }
        this.k = constantArea.slots();
        this.symbols = new Symbols(heap, stack);
        this.tables = Hashtables.of(heap);
    }

    // ------------------------------------------------------------------ constants

    public long nil() {
        return k[NIL];
    }

    public long t() {
        return k[TRUE];
    }

    public long f() {
        return k[FALSE];
    }

    public long bool(boolean b) {
        return b ? k[TRUE] : k[FALSE];
    }

    public long unspecified() {
        return k[UNSPECIFIED];
    }

    public long eof() {
        return k[EOF];
    }

    public long unassigned() {
        return k[UNASSIGNED];
    }

    /** True unless {@code v} is {@code #f}. */
    public boolean isTrue(long v) {
        return v != k[FALSE];
    }

    /** The printed name of a constant. */
    public String constantName(long v) {
        return CONSTANT_NAMES[(int) Value.intOf(heap.field(v, ConstantLayout.CODE_FIELD))];
    }

    // ------------------------------------------------------------------ kinds

    public boolean is(long v, int tag) {
        return Value.isBlock(v) && heap.tag(v) == tag;
    }

    public boolean isFlonum(long v) {
        return is(v, Tag.DOUBLE);
    }

    public boolean isNumber(long v) {
        return Value.isInt(v) || is(v, Tag.DOUBLE);
    }

    public boolean isString(long v) {
        return is(v, Tag.STRING);
    }

    public boolean isPair(long v) {
        return is(v, SchemeTag.PAIR);
    }

    public boolean isSymbol(long v) {
        return is(v, SchemeTag.SYMBOL);
    }

    public boolean isChar(long v) {
        return is(v, SchemeTag.CHAR);
    }

    public boolean isVector(long v) {
        return is(v, SchemeTag.VECTOR);
    }

    public boolean isProcedure(long v) {
        return is(v, SchemeTag.CLOSURE) || is(v, SchemeTag.PRIMITIVE);
    }

    /** True if {@code v} is a hashtable (a core {@link Hashtables} table, tag 0). */
    public boolean isHashtable(long v) {
        return tables.isHashtable(v);
    }

    public boolean isBoolean(long v) {
        return v == k[TRUE] || v == k[FALSE];
    }

    // ------------------------------------------------------------------ characters

    /** The character with code point {@code cp}. */
    public long character(int cp) {
        if (cp >= 0 && cp < ASCII) {
            return k[CONSTANTS + cp];
        }
        return heap.alloc(SchemeTag.CHAR, Value.ofInt(cp));
    }

    public int charValue(long c) {
        return (int) Value.intOf(heap.field(c, CharLayout.CODE_FIELD));
    }

    // ------------------------------------------------------------------ pairs and lists

    public long cons(long car, long cdr) {
        return heap.alloc(SchemeTag.PAIR, car, cdr);
    }

    public long car(long p) {
        return heap.field(p, PairLayout.CAR_FIELD);
    }

    public long cdr(long p) {
        return heap.field(p, PairLayout.CDR_FIELD);
    }

    /**
     * A proper list of the stack slots [from, to), ending in {@code tail} (which must be a
     * constant or itself on the stack: it is read before any allocation only if it is NIL).
     */
    public long listFromStack(int from, int to) {
        int tailIndex = stack.push(nil());
        for (int i = to - 1; i >= from; i--) {
            long p = cons(stack.get(i), stack.get(tailIndex));
            stack.set(tailIndex, p);
        }
        long result = stack.get(tailIndex);
        stack.reset(tailIndex);
        return result;
    }

    /** Length of a proper list, or -1 if {@code v} is not one (improper or circular). */
    public int listLength(long v) {
        int n = 0;
        long slow = v;
        long nil = nil();
        while (true) {
            if (v == nil) {
                return n;
            }
            if (!isPair(v)) {
                return -1;
            }
            v = cdr(v);
            n++;
            if ((n & 1) == 0) {
                slow = cdr(slow);
                if (slow == v && v != nil) {
                    return -1;
                }
            }
        }
    }

    // ------------------------------------------------------------------ strings and symbols

    public long string(String s) {
        return heap.allocString(s);
    }

    public String stringValue(long s) {
        return heap.stringValue(s);
    }

    public long symbol(String name) {
        return symbols.intern(name);
    }

    public String symbolName(long sym) {
        return symbols.name(sym);
    }

    // ------------------------------------------------------------------ numbers

    public long flonum(double d) {
        return heap.allocDouble(d);
    }

    public double flonumValue(long v) {
        return heap.doubleValue(v);
    }

    @Override
    public void close() {
        stack.close();
        constantArea.close();
    }
}
