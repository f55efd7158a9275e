package dev.ephemera.object;

import dev.ephemera.memory.Arena;

/**
 * The value encoding: what a 64-bit word means to the heap. The words used here — word,
 * value, immediate, pointer, block, field, header — are defined in the package's glossary
 * ({@link dev.ephemera.object}).
 *
 * <pre>
 *  63                                                              1  0
 * +-----------------------------------------------------------------+--+
 * |                 63-bit signed integer                            | 1|  immediate
 * +-----------------------------------------------------------------+--+
 * |       word address of field 0 (chunk index : offset)             | 0|  pointer (0 = none)
 * +-----------------------------------------------------------------+--+
 * </pre>
 *
 * <p>Conversions are named one way only: {@code ofX} makes a value from an X, {@code xOf} reads
 * an X out of a value (OCaml's {@code Val_long} is {@link #ofInt}, {@code Long_val} is
 * {@link #intOf}).
 *
 * <p><b>A raw pointer is valid only until the next allocation or collection</b>: a minor
 * collection moves young blocks, and a major collection frees unreachable ones. Keep values that
 * must survive an allocation in a root (a handle, a global root or a root area).
 */
public final class Value {
    /** The empty value: an unset ephemeron key or data slot, a cleared weak reference, "null". */
    public static final long NONE = 0L;
    /** The immediate 0, OCaml's {@code ()} and {@code false}. */
    public static final long UNIT = 1L;
    /** The immediate 0 read as a boolean. */
    public static final long FALSE = 1L;
    /** The immediate 1 read as a boolean. */
    public static final long TRUE = 3L;
    /** The smallest immediate integer, -2<sup>62</sup>. */
    public static final long MIN_INT = -(1L << 62);
    /** The largest immediate integer, 2<sup>62</sup> - 1. */
    public static final long MAX_INT = (1L << 62) - 1;
    /** A pointer is its word address shifted left by this, leaving the low bit 0. */
    private static final int POINTER_SHIFT = 1;

    private Value() {}

    /**
     * {@return the immediate for {@code n}; {@code n} is truncated to 63 bits (OCaml's
     * wrap-around)}
     *
     * @param n the integer; only its low 63 bits are kept
     */
    public static long ofInt(long n) {
        return (n << 1) | 1L;
    }

    /**
     * {@return the immediate for {@code n}}
     *
     * @param n the integer, in [{@link #MIN_INT}, {@link #MAX_INT}]
     * @throws ArithmeticException if {@code n} does not fit in 63 bits
     */
    public static long ofIntExact(long n) {
        if (n < MIN_INT || n > MAX_INT) {
            throw new ArithmeticException("Value.ofIntExact: " + n + " does not fit in 63 bits");
        }
        return (n << 1) | 1L;
    }

    /**
     * {@return the integer held by the immediate {@code v}}
     *
     * @param v an immediate
     */
    public static long intOf(long v) {
        return v >> 1;
    }

    /**
     * {@return the immediate for a boolean}
     *
     * @param b the boolean
     */
    public static long ofBool(boolean b) {
        return b ? TRUE : FALSE;
    }

    /**
     * {@return true unless {@code v} is the immediate 0}
     *
     * @param v an immediate
     */
    public static boolean boolOf(long v) {
        return v != FALSE;
    }

    /**
     * {@return true if {@code v} is an immediate integer}
     *
     * @param v any value
     */
    public static boolean isInt(long v) {
        return (v & 1L) != 0;
    }

    /**
     * {@return true if {@code v} is a pointer to a block (not an immediate and not {@link #NONE})}
     *
     * @param v any value
     */
    public static boolean isBlock(long v) {
        return (v & 1L) == 0 && v != NONE;
    }

    /**
     * {@return true if {@code v} is {@link #NONE}}
     *
     * @param v any value
     */
    public static boolean isNone(long v) {
        return v == NONE;
    }

    /**
     * {@return the word address of field 0 of the block {@code v} points to}
     *
     * @param v a pointer to a block
     */
    public static long addressOf(long v) {
        return v >>> POINTER_SHIFT;
    }

    /**
     * {@return the pointer to the block whose field 0 is at word address {@code address}}
     *
     * @param address a word address (chunk index in the high 32 bits, offset in the low 32)
     */
    public static long ofAddress(long address) {
        return address << POINTER_SHIFT;
    }

    /**
     * {@return the arena chunk index holding the block {@code v} points to}
     *
     * @param v a pointer to a block
     */
    public static int chunkIndexOf(long v) {
        return (int) (v >>> (POINTER_SHIFT + Arena.OFFSET_BITS)); // one shift: this is the young test
    }

    /**
     * {@return a short human-readable rendering for error messages: {@code 42}, {@code none},
     * {@code 0x…}}
     *
     * @param v any value
     */
    public static String describe(long v) {
        if (isInt(v)) {
            return "immediate " + intOf(v);
        }
        if (v == NONE) {
            return "none";
        }
        long a = addressOf(v);
        return "block@" + Arena.indexOf(a) + ":" + Arena.offsetOf(a);
    }
}
