package dev.ephemera.object;

/**
 * Block tags (8 bits, OCaml's numbering). Tags below {@link #NO_SCAN} mark blocks whose fields
 * are values the collector traces; tags at or above it mark blocks whose words are raw data, or
 * (for {@link #EPHEMERON}) blocks only weak processing may look into.
 *
 * <pre>
 *   0 .. 245   ordinary scanned blocks (tuples, records, constructors; free for clients)
 *   246 LAZY   a lazy value (scanned; refused by finalisation, as in OCaml)
 *   247 CLOSURE, 248 OBJECT   scanned, for clients that mirror OCaml
 *   250 FORWARD   a forced lazy (scanned; refused by finalisation)
 *   ---- NO_SCAN = 251 ------------------------------------------------
 *   251 EPHEMERON  ephemerons and weak arrays (OCaml uses Abstract_tag)
 *   252 STRING     bytes, padded OCaml-style
 *   253 DOUBLE     a boxed float
 *   254 DOUBLE_ARRAY  a flat array of floats
 *   255 CUSTOM     raw words of a client payload (field 0 names its kind)
 * </pre>
 *
 * Each format at or above {@code NO_SCAN} has a layout class, with its diagram, in the
 * collector's internal package {@code dev.ephemera.object.layout}.
 */
public final class Tag {
    /** The largest tag a client may use for an ordinary scanned block of its own. */
    public static final int MAX_CLIENT = 245;
    /** OCaml's {@code Lazy_tag}. */
    public static final int LAZY = 246;
    /** OCaml's {@code Closure_tag}. */
    public static final int CLOSURE = 247;
    /** OCaml's {@code Object_tag}. */
    public static final int OBJECT = 248;
    /** OCaml's {@code Infix_tag}; never allocated by ephemera (no infix pointers). */
    public static final int INFIX = 249;
    /** OCaml's {@code Forward_tag}. */
    public static final int FORWARD = 250;
    /** Tags at or above this hold no traced values. */
    public static final int NO_SCAN = 251;
    /** Ephemerons and weak arrays. */
    public static final int EPHEMERON = 251;
    /** Byte strings. */
    public static final int STRING = 252;
    /** Boxed doubles. */
    public static final int DOUBLE = 253;
    /** Flat arrays of doubles. */
    public static final int DOUBLE_ARRAY = 254;
    /** Client payloads of raw words. */
    public static final int CUSTOM = 255;

    private Tag() {}

    /**
     * {@return true if blocks of this tag hold values that the marker traces}
     *
     * @param tag a tag, 0 to 255
     */
    public static boolean isScanned(int tag) {
        return tag < NO_SCAN;
    }

    /**
     * {@return true if a client may allocate an ordinary block with this tag via the generic
     * allocators}
     *
     * @param tag a tag, 0 to 255
     */
    public static boolean isAllocatable(int tag) {
        return tag >= 0 && tag < NO_SCAN && tag != INFIX;
    }

    /**
     * {@return a name for error messages}
     *
     * @param tag a tag, 0 to 255
     */
    public static String name(int tag) {
        switch (tag) {
            case LAZY: return "lazy";
            case CLOSURE: return "closure";
            case OBJECT: return "object";
            case INFIX: return "infix";
            case FORWARD: return "forward";
            case EPHEMERON: return "ephemeron";
            case STRING: return "string";
            case DOUBLE: return "double";
            case DOUBLE_ARRAY: return "double array";
            case CUSTOM: return "custom";
            default: return "tag " + tag;
        }
    }
}
